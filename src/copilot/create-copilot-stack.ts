import { createMemoryTokenCache } from "../cache/memory-token-cache.js";
import { openTokenCache } from "../cache/open-token-cache.js";
import type { TokenCache } from "../cache/token-cache.js";
import type { Config } from "../config/config.js";
import { GatewayError, type UpstreamError } from "../errors.js";
import { exchangeCopilotToken, type GitHubApiOptions } from "../github/github-api.js";
import { createUpstreamHttp, type UpstreamHttp } from "../http/create-upstream-http.js";
import { retry } from "../http/retry.js";
import { createCopilotClient, type CopilotClient } from "./copilot-client.js";
import { createCopilotHeaders, createSessionIds, type CopilotHeaders } from "./copilot-headers.js";
import { createModelCatalog, type ModelCatalog } from "./models.js";
import { createTokenSource, type TokenExchangeOutcome, type TokenSource } from "./token-source.js";

/** Everything that talks to GitHub and Copilot, built once from the configuration. */
export interface CopilotStack {
  /** The HTTP clients (direct and through PROXY) for every request upstream. */
  readonly http: UpstreamHttp;
  readonly headers: CopilotHeaders;
  /** What the GitHub API calls need (token exchange, user, quota). */
  readonly github: GitHubApiOptions;
  /** Where Copilot tokens live: the token source reads and writes it. */
  readonly cache: TokenCache;
  readonly tokenSource: TokenSource;
  readonly client: CopilotClient;
  readonly models: ModelCatalog;
  /** Closes the HTTP clients and the cache; idempotent. */
  close(): Promise<void>;
}

export interface CopilotStackOptions {
  /**
   * `configured`: as CACHE and CACHE_PATH say (the server: tokens survive a restart).
   * `memory`: kept for this process only (a one-off command, which leaves the server's file alone).
   */
  readonly cache: "configured" | "memory";
  /** Told about cache problems and every new Copilot token; a command without a log omits it. */
  readonly log?: {
    info(message: string): void;
    warn(message: string): void;
  };
  /**
   * Longest wait on a 429 before retrying (default RATE_LIMIT_WAIT). A command passes 0: the
   * person at the terminal is better told at once than kept waiting.
   */
  readonly rateLimitWaitMs?: number;
  /** Connections per upstream origin (see UpstreamHttpOptions); the server sizes it to its limit. */
  readonly connectionsPerOrigin?: number;
  /** Told once per exchange of a GitHub token with GitHub (after its retries), for the metrics. */
  readonly onTokenExchange?: (outcome: TokenExchangeOutcome) => void;
}

/**
 * The one place the Copilot stack is wired: upstream HTTP, headers, token cache, token source
 * (exchange retried like Copilot's calls), Copilot client and model catalog. The server and
 * every command build it here, so they reach GitHub and Copilot the same way.
 */
export function createCopilotStack(config: Config, options: CopilotStackOptions): CopilotStack {
  const { log } = options;
  const cache =
    options.cache === "memory"
      ? createMemoryTokenCache()
      : openTokenCache({
          enabled: config.cache,
          path: config.cachePath,
          warn: (message) => log?.warn(message),
        });
  const http = createUpstreamHttp({
    proxy: config.proxy,
    noProxy: config.noProxy,
    connectTimeoutMs: config.connectTimeoutMs,
    headersTimeoutMs: config.headersTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
    ...(options.connectionsPerOrigin === undefined
      ? {}
      : { connectionsPerOrigin: options.connectionsPerOrigin }),
  });
  const headers = createCopilotHeaders(config);
  const github: GitHubApiOptions = {
    githubApiUrl: config.githubApiUrl,
    dispatcherFor: (url) => http.dispatcherFor(url),
    headersFor: (githubToken) => headers.forGitHub(githubToken),
  };
  const retryPolicy = { retries: config.retries, budgetMs: config.retryBudgetMs };
  const tokenSource = createTokenSource({
    cache,
    // GitHub hiccups (5xx, refused connections) are retried like Copilot's.
    exchange: (githubToken) =>
      retry(
        retryPolicy,
        (error) => error instanceof GatewayError && error.retryable,
        () => exchangeCopilotToken(github, githubToken),
      ),
    onExchange: (event) => {
      options.onTokenExchange?.(event.outcome);
      if (event.outcome !== "ok" || log === undefined) return;
      const minutes = Math.round((event.expiresAt * 1000 - Date.now()) / 60_000);
      log.info(
        `Copilot token obtained for account ${event.accountKey.slice(0, 8)} (${event.sku ?? "unknown plan"}, valid ${minutes} min)`,
      );
    },
  });
  const client = createCopilotClient({
    tokenSource,
    retryPolicy,
    rateLimitWaitMs: options.rateLimitWaitMs ?? config.rateLimitWaitMs,
    headers,
    dispatcherFor: (url) => http.dispatcherFor(url),
    copilotApiUrl: config.copilotApiUrl,
    accountType: config.accountType,
    sessionIdFor: createSessionIds(),
    webSockets: config.proxy === undefined,
    webSocketTimeoutMs: config.connectTimeoutMs,
    ...(log === undefined ? {} : { onVersionRejected: logVersionRejectedOnce(log) }),
  });
  const models = createModelCatalog({ client, ttlMs: config.modelsTtlMs });
  let closing: Promise<void> | undefined;

  return {
    http,
    headers,
    github,
    cache,
    tokenSource,
    client,
    models,
    close() {
      closing ??= (async () => {
        try {
          await http.close();
        } finally {
          cache.close();
        }
      })();
      return closing;
    },
  };
}

/**
 * A 466 fails every request until the settings change, and the settings are fixed for the
 * process: the log says so once, not once per request (each client still gets the error, in its
 * own API's shape).
 */
function logVersionRejectedOnce(log: {
  warn(message: string): void;
}): (error: UpstreamError) => void {
  let told = false;
  return (error) => {
    if (told) return;
    told = true;
    log.warn(`${error.message} (logged once; every request fails until the settings change)`);
  };
}
