import type { AddressInfo } from "node:net";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { openThinkingSignatureStore } from "../cache/sqlite-thinking-signature-store.js";
import type { Config } from "../config/config.js";
import { createCopilotStack } from "../copilot/create-copilot-stack.js";
import type { TokenSource } from "../copilot/token-source.js";
import type { Logger } from "../logging/create-logger.js";
import { createAccounting, type AccountingOptions } from "../ledger/create-accounting.js";
import { createMemoryAccounting } from "../ledger/create-memory-accounting.js";
import { createMetrics } from "../metrics/create-metrics.js";
import { openDatabase, type SqlDatabase } from "../store/database.js";
import { SqliteUnavailableError } from "../store/sqlite-driver.js";
import { VERSION } from "../version.js";
import { createApp, type App } from "./create-app.js";
import { defaultMaxConnections } from "../config/default-max-connections.js";
import { limitConnections } from "./limit-connections.js";
import { describeSqliteDriver } from "../store/sqlite-driver.js";
import { saveAccount } from "../github/saved-token.js";
import { createUi } from "./ui/create-ui.js";
import { createUiGitHub } from "./ui/ui-github.js";
import { findUiDirectory } from "./ui/serve-ui-files.js";

export interface Gateway {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  readonly tokenSource: TokenSource;
  /**
   * The one-time dashboard sign-in link (`…/ui/login?token=…`, valid 10 minutes) when ADMIN_KEY
   * is not set; a credential: print it to the console only.
   */
  readonly signInUrl: string | undefined;
  /** Stops accepting, lets requests in flight finish (up to `graceMs`), then frees everything. */
  close(graceMs?: number): Promise<void>;
}

/** Wires the configuration into a running server: the Copilot stack, the app, the listener. */
export async function startGateway(
  config: Config,
  logger: Logger,
  options: {
    serverGithubToken?: string | undefined;
    /** The GitHub token of a saved login, for managed keys that spend one. */
    savedAccount?: ((name: string) => string | undefined) | undefined;
    /** Where saved logins live: the join page saves a friend's login there. */
    accountsDirectory?: string | undefined;
    /** The built dashboard (default: dist/ui beside the compiled code). */
    uiDirectory?: string | undefined;
  } = {},
): Promise<Gateway> {
  const metrics = createMetrics();
  const stack = createCopilotStack(config, {
    cache: "configured",
    log: logger,
    onTokenExchange: (outcome) => metrics.countTokenExchange(outcome),
    // Twice the gateway's own limit: requests wait (or are refused) in the gateway's limiter,
    // never in undici's queue, even while sockets of answers that just ended are still closing.
    connectionsPerOrigin: config.upstreamConcurrency * 2,
  });
  const { cache, tokenSource } = stack;
  // Beside the Copilot tokens, in the same file, when that file is in use.
  const thinkingSignatures = openThinkingSignatureStore({
    enabled: cache.kind === "sqlite",
    path: config.cachePath,
    warn: (message) => logger.warn(message),
  });
  const db = openAccountingDatabase(config, cache.kind === "sqlite", logger);
  const accountingOptions: AccountingOptions = {
    now: Date.now,
    retentionDays: config.ledgerRetentionDays,
    warn: (message) => logger.warn(message),
    onAccountChange: (state) => {
      for (const window of Object.values(state.windows)) {
        metrics.setAccountWindow(
          state.account,
          window.name,
          window.percentRemaining,
          window.resetsAt === undefined
            ? undefined
            : Math.max(0, (window.resetsAt - Date.now()) / 1000),
        );
      }
    },
  };
  const accounting =
    db === undefined
      ? createMemoryAccounting(accountingOptions)
      : createAccounting(db, accountingOptions);
  const serverGithubToken = options.serverGithubToken ?? config.githubToken;
  // The device flow is a web route, not the API: the same client headers, no credentials.
  const { authorization: _none, ...flowHeaders } = stack.headers.forGitHub("");
  const { accountsDirectory } = options;
  const ui = createUi({
    config,
    accounting,
    models: stack.models,
    metrics,
    github: createUiGitHub({
      github: stack.github,
      githubUrl: config.githubUrl,
      dispatcher: stack.http.dispatcherFor(new URL(config.githubUrl)),
      headers: flowHeaders,
      exchange: (githubToken) => tokenSource.getToken(githubToken),
    }),
    serverGithubToken,
    savedAccount: options.savedAccount,
    saveAccount:
      accountsDirectory === undefined
        ? undefined
        : (name, githubToken) => {
            saveAccount(accountsDirectory, name, githubToken);
          },
    directory: options.uiDirectory ?? findUiDirectory(import.meta.url),
    version: VERSION,
    now: Date.now,
    cacheKind: () => cache.kind,
    cacheError: () => cache.error,
    storageDriver: describeSqliteDriver,
  });
  const app = createApp({
    config,
    copilot: stack.client,
    models: stack.models,
    logger,
    version: VERSION,
    cacheKind: () => cache.kind,
    cacheError: () => cache.error,
    thinkingSignatures,
    metrics,
    accounting,
    savedAccount: options.savedAccount,
    serverGithubToken,
    ui,
    verifyGithubToken: async (githubToken) => {
      await tokenSource.getToken(githubToken);
    },
  });

  const server = await listen(app, config);
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;

  const url = `http://${host}:${address.port}`;
  return {
    url,
    tokenSource,
    signInUrl:
      config.adminKey === undefined
        ? `${loopbackUrl(address)}/ui/login?token=${ui.issueSignInToken()}`
        : undefined,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        await closeServer(server, graceMs, app);
        thinkingSignatures.close();
        accounting.close();
        db?.close();
        await stack.close();
      })();
      return closing;
    },
  };
}

/** The address a browser on this machine opens: a wildcard bind is reached at 127.0.0.1. */
function loopbackUrl(address: AddressInfo): string {
  const wildcard = address.address === "0.0.0.0" || address.address === "::";
  const host = wildcard
    ? "127.0.0.1"
    : address.family === "IPv6"
      ? `[${address.address}]`
      : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * The database of keys, the ledger and the account limits: the token cache's file (CACHE_PATH)
 * when the cache is in use. Without it (CACHE=false, or a file that cannot be used) they live in
 * memory for this run, said loudly: keys made with `cogpt keys` then do not work, and the ledger
 * is lost at exit.
 */
function openAccountingDatabase(
  config: Config,
  useFile: boolean,
  logger: Logger,
): SqlDatabase | undefined {
  if (useFile) {
    try {
      return openDatabase(config.cachePath);
    } catch (error) {
      logger.warn(
        `ledger and keys: cannot use ${config.cachePath} (${error instanceof Error ? error.message : String(error)}); ` +
          "keeping them in memory for this run: managed keys cannot sign in and the ledger is lost at exit",
      );
    }
  } else if (!config.cache) {
    logger.warn(
      "ledger and keys: CACHE=false, so they live in memory for this run: managed keys " +
        "(cogpt keys) cannot sign in and the ledger is lost at exit",
    );
  } else {
    logger.warn(
      "ledger and keys: the cache file is not in use (see the token cache's warning), so they " +
        "live in memory for this run: managed keys (cogpt keys) cannot sign in and the ledger " +
        "is lost at exit",
    );
  }
  try {
    return openDatabase(":memory:");
  } catch (error) {
    // No SQLite in this Node at all (the token cache's warning named the fix): the caller keeps
    // the ledger in plain memory instead.
    if (error instanceof SqliteUnavailableError) return undefined;
    throw error;
  }
}

function listen(app: App, config: Config): Promise<Server> {
  // A client that never finishes its headers or body is cut off (408) after CLIENT_TIMEOUT.
  // Node only checks those timeouts every `connectionsCheckingInterval` (30 s by default), which
  // would let a short CLIENT_TIMEOUT run up to 30 s late.
  const serverOptions = {
    headersTimeout: config.clientTimeoutMs,
    requestTimeout: config.clientTimeoutMs,
    connectionsCheckingInterval: Math.min(30_000, Math.max(100, config.clientTimeoutMs / 4)),
  };
  return new Promise((resolve, reject) => {
    const server = createServer(serverOptions, (incoming, outgoing) =>
      app.handle(incoming, outgoing),
    );
    // Responses over WebSocket; any other upgrade is answered as an ordinary request.
    server.on("upgrade", (incoming: IncomingMessage, socket: Duplex, head: Buffer) =>
      app.handleUpgrade(incoming, socket, head),
    );
    // A keep-alive connection idle past this is closed (Node's default is the same 5 s).
    server.keepAliveTimeout = config.keepAliveTimeoutMs;
    limitConnections(server, config.maxConnections ?? defaultMaxConnections());
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve(server));
  });
}

/**
 * Stops accepting, lets the answers in flight finish (streams included, and those read on for
 * their cost after their client left) for up to `graceMs`, then closes every connection that is
 * left (keep-alive sockets, clients that went quiet).
 */
async function closeServer(server: Server, graceMs: number, app: App): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const closeAll = () => server.closeAllConnections();
  const deadline = Date.now() + graceMs;
  while (app.inFlight() > 0 && Date.now() < deadline) {
    server.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  app.closeWebSockets();
  closeAll();
  await closed;
}
