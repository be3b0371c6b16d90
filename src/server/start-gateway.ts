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

export interface Gateway {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  readonly tokenSource: TokenSource;
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
    serverGithubToken: options.serverGithubToken ?? config.githubToken,
    verifyGithubToken: async (githubToken) => {
      await tokenSource.getToken(githubToken);
    },
  });

  const server = await listen(app, config);
  const inFlight = trackResponses(server);
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host}:${address.port}`,
    tokenSource,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        await closeServer(server, graceMs, inFlight, () => app.closeWebSockets());
        thinkingSignatures.close();
        accounting.close();
        db?.close();
        await stack.close();
      })();
      return closing;
    },
  };
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

/** Counts responses not yet finished, so shutdown waits for them and nothing else. */
function trackResponses(server: Server): { count: number } {
  const state = { count: 0 };
  server.on("request", (_request: unknown, response: NodeJS.EventEmitter) => {
    state.count++;
    response.once("close", () => state.count--);
  });
  return state;
}

/**
 * Stops accepting, lets responses in flight finish (streams included) for up to `graceMs`, then
 * closes every connection that is left (keep-alive sockets, clients that went quiet).
 */
async function closeServer(
  server: Server,
  graceMs: number,
  inFlight: { count: number },
  closeWebSockets: () => void,
): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const closeAll = () => server.closeAllConnections();
  const deadline = Date.now() + graceMs;
  while (inFlight.count > 0 && Date.now() < deadline) {
    server.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  closeWebSockets();
  closeAll();
  await closed;
}
