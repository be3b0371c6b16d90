import { ServerResponse, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import {
  createMemoryThinkingSignatureStore,
  type ThinkingSignatureStore,
} from "../cache/thinking-signature-store.js";
import type { Config } from "../config/config.js";
import type { CopilotClient } from "../copilot/copilot-client.js";
import type { ModelCatalog } from "../copilot/models.js";
import { GatewayError } from "../errors.js";
import { createKeyLimiter } from "../keys/key-limits.js";
import { createAccounting, type Accounting } from "../ledger/create-accounting.js";
import { openDatabase } from "../store/database.js";
import type { Logger } from "../logging/create-logger.js";
import { Exchange } from "./exchange.js";
import { createAuth, readCredentialRequest } from "./middleware/auth.js";
import { createBodyGate } from "./middleware/body-gate.js";
import { createCors } from "./middleware/cors.js";
import { createUpstreamLimit, limitUpstream } from "./middleware/upstream-limit.js";
import { createStreamBuffers } from "./stream-buffers.js";
import { createRequestRecorder } from "./record-request.js";
import { recordUpstreamErrorIds } from "./record-upstream-request-ids.js";
import { renderOpenAIError, toGatewayError } from "../dialects/openai-chat/render-openai-error.js";
import { createResponsesWebSocketServer } from "./responses-websocket.js";
import { Router } from "./router.js";
import { registerApiRoutes } from "./route-table.js";
import type { Metrics } from "../metrics/create-metrics.js";
import { registerMetricsRoute } from "./routes/metrics-route.js";

export interface AppDependencies {
  readonly config: Config;
  readonly copilot: CopilotClient;
  readonly models: ModelCatalog;
  readonly logger: Logger;
  readonly version: string;
  /** What backs the token cache now ("sqlite" or "memory"), for /healthz. */
  readonly cacheKind: () => string;
  /** Why the SQLite cache is not in use although CACHE is on, for /healthz. */
  readonly cacheError?: () => string | undefined;
  readonly now?: () => number;
  /** Which model made which thinking signature (persisted with the token cache); memory if absent. */
  readonly thinkingSignatures?: ThinkingSignatureStore;
  /** The server-held GitHub token (GITHUB_TOKEN or the saved login), if any. */
  readonly serverGithubToken?: string | undefined;
  /**
   * Proves a client's GitHub token real (a cached Copilot token, or the shared exchange) before
   * a large body is read; fails with 401 when GitHub refuses it.
   */
  readonly verifyGithubToken: (githubToken: string) => Promise<void>;
  /** What `GET /metrics` serves (to the loopback, or with ADMIN_KEY); absent: no /metrics. */
  readonly metrics?: Metrics | undefined;
  /** The ledger, managed keys, prices and account limits; an in-memory database if absent. */
  readonly accounting?: Accounting;
  /** The GitHub token of a saved login, for managed keys that spend one. */
  readonly savedAccount?: ((name: string) => string | undefined) | undefined;
  /** The dashboard (/ui and /ui/*), answered before the fixed routes; absent: no /ui. */
  readonly ui?: PrefixHandler | undefined;
}

/** Answers every path under a prefix itself (the dashboard), before the fixed-path router. */
export interface PrefixHandler {
  handles(path: string): boolean;
  handle(exchange: Exchange): Promise<void>;
}

/** The gateway as a Node request listener. */
export interface App {
  handle(incoming: IncomingMessage, outgoing: ServerResponse): void;
  /** The server's `upgrade` event: Responses over WebSocket, or an ordinary answer. */
  handleUpgrade(incoming: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes the WebSockets still open (shutdown). */
  closeWebSockets(): void;
  /**
   * Answers not yet over, which shutdown waits for: responses in flight, and streams still read
   * for Copilot's cost after their client left (ABORTED_STREAM_WAIT).
   */
  inFlight(): number;
}

/**
 * Builds the whole HTTP application from explicit parts, so tests can pass fakes. Each request
 * goes, in order: request id → CORS (answers preflights) → route look-up (404, 405) →
 * authentication (API routes) → the route's handler; anything thrown becomes an error answer in
 * the route's dialect, and one log line is written when the answer is done.
 * (Built on Node's http module directly rather than a Web-style framework: measured in the
 * benchmark, the framework's Request/Response/Headers objects and middleware chain were a fifth
 * of the gateway's CPU per request.)
 */
export function createApp(deps: AppDependencies): App {
  const { config, logger } = deps;
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const router = new Router();

  const cors = createCors({
    origins: config.corsOrigins,
    allowHeaders: [
      "authorization",
      "x-api-key",
      "content-type",
      "anthropic-version",
      "anthropic-beta",
    ],
    exposeHeaders: ["x-request-id", "retry-after", "x-github-request-id"],
    maxAgeSeconds: 600,
  });
  const accounting =
    deps.accounting ??
    createAccounting(openDatabase(":memory:"), {
      now,
      retentionDays: config.ledgerRetentionDays,
      warn: (message) => logger.warn(message),
    });
  const recordRequest = createRequestRecorder({
    logger,
    debug: config.debug,
    ledger: accounting.ledger,
    metrics: deps.metrics,
    now,
  });
  const keyLimiter = createKeyLimiter(accounting.ledger, now);
  const authenticate = createAuth({
    shareTokens: config.shareTokens,
    serverGithubToken: deps.serverGithubToken,
    apiKeys: config.apiKeys,
    trustedOrigins: config.corsOrigins.filter((origin) => origin !== "*"),
    keys: accounting.keys,
    savedAccount: deps.savedAccount,
    now,
  });

  const admitBody = createBodyGate({
    largeBodyBytes: LARGE_BODY_BYTES,
    maxLargeBodies: config.maxLargeBodies,
    maxWaitMs: LARGE_BODY_WAIT_MS,
    verifyGithubToken: deps.verifyGithubToken,
  });

  const streamBuffers = createStreamBuffers({ limitBytes: config.streamBufferLimit });
  const upstreamLimit = createUpstreamLimit({
    maxTotal: config.upstreamConcurrency,
    maxPerCredential: config.credentialConcurrency,
    queueTimeoutMs: config.queueTimeoutMs,
    retryAfterSeconds: RETRY_AFTER_SECONDS,
  });
  const admitUpstream = limitUpstream(upstreamLimit);

  const publicRoute = { authenticated: false, renderError: renderOpenAIError };
  router.on(
    "GET",
    "/",
    (exchange) =>
      exchange.text(
        `CoGPT ${deps.version} is running: point your OpenAI client at this address + /v1 with your GitHub token as the API key.\n`,
      ),
    publicRoute,
  );
  router.on(
    "GET",
    "/healthz",
    (exchange) =>
      exchange.json({
        status: "ok",
        version: deps.version,
        uptime_seconds: Math.floor((now() - startedAt) / 1000),
        cache: deps.cacheKind(),
        ...cacheErrorField(deps.cacheError?.()),
      }),
    publicRoute,
  );
  if (deps.metrics !== undefined) {
    registerMetricsRoute(router, { metrics: deps.metrics, adminKey: config.adminKey });
  }
  const routeDeps = {
    config,
    copilot: deps.copilot,
    models: deps.models,
    logger,
    now,
    thinkingSignatures: deps.thinkingSignatures ?? createMemoryThinkingSignatureStore(),
    accounting,
    keyLimiter,
    recordRequest,
    metrics: deps.metrics,
  };
  registerApiRoutes(router, routeDeps);
  const webSockets = createResponsesWebSocketServer({
    ...routeDeps,
    authenticate,
    upstreamLimit,
  });

  async function run(exchange: Exchange): Promise<void> {
    // The dashboard is same-origin only: no CORS, its own access checks and error answers.
    if (deps.ui?.handles(exchange.path) === true) {
      exchange.renderError = renderOpenAIError;
      await deps.ui.handle(exchange);
      return;
    }
    if (cors(exchange)) return;
    const match = router.match(exchange.method, exchange.path);
    if (match.kind === "not_found") {
      exchange.renderError = match.nearest?.renderError;
      throw new GatewayError(
        404,
        "not_found",
        `Unknown route: ${exchange.method} ${exchange.path}`,
        { code: "unknown_route" },
      );
    }
    exchange.renderError = match.route.renderError;
    if (match.kind === "method_not_allowed") {
      exchange.setHeader("allow", match.allow.join(", "));
      throw new GatewayError(
        405,
        "method_not_allowed",
        `Method ${exchange.method} is not allowed on ${exchange.path}; use ${match.allow.join(" or ")}`,
        { code: "method_not_allowed" },
      );
    }
    if (match.route.authenticated) {
      const { githubToken, fingerprint, vouched, keyName, key, account } = authenticate(
        readCredentialRequest(exchange.incoming),
      );
      exchange.githubToken = githubToken;
      exchange.credential = fingerprint;
      exchange.key = key;
      exchange.log.keyName = keyName;
      exchange.log.account = account;
      // From here on the request is accounted (a refusal by the key's limits included).
      if (match.route.dialect !== undefined) exchange.log.dialect = match.route.dialect;
      if (key !== undefined) exchange.log.endKeyTurn = keyLimiter.admit(key);
      // Every authenticated route calls Copilot: it takes its slot before its body is read, so a
      // waiting request holds no parsed body, and keeps it until its answer is over.
      const admitted = admitUpstream(exchange);
      if (admitted !== undefined) await admitted;
      if (exchange.method === "POST") {
        exchange.releaseBody = await admitBody({
          headers: exchange.incoming.headers,
          githubToken,
          vouched,
        });
      }
    }
    await match.handler(exchange);
  }

  function answerError(exchange: Exchange, thrown: unknown): void {
    const error =
      !(thrown instanceof GatewayError) && exchange.clientGone
        ? new GatewayError(499, "invalid_request", CLIENT_GONE_MESSAGE, { code: "client_closed" })
        : toGatewayError(thrown, exchange.requestId);
    if (error.kind === "internal") {
      logger.error({ reqId: exchange.requestId, err: serializeError(thrown) }, "internal error");
    }
    // A 466's advice is logged once by the Copilot client; its request lines stay short.
    exchange.log.note =
      error.code === "client_version_rejected" ? CLIENT_VERSION_REJECTED_NOTE : error.message;
    exchange.log.errorCode = error.code ?? error.kind;
    recordUpstreamErrorIds(exchange, error);
    if (exchange.answered) {
      // Too late for an error answer (a stream has begun): the client must not mistake a cut
      // answer for a whole one.
      exchange.outgoing.destroy();
      exchange.status = error.status;
      return;
    }
    if (error.retryAfter !== undefined) exchange.setHeader("retry-after", error.retryAfter);
    exchange.json((exchange.renderError ?? renderOpenAIError)(error), error.status);
  }

  function finish(exchange: Exchange): void {
    // A handler that failed before reading its body gives its turn back here.
    exchange.releaseBody();
    if (exchange.log.deferred !== true) recordRequest(exchange, exchange.status);
    // Node itself drops an unread body that has fully arrived; one still arriving is bounded here.
    if (!exchange.incoming.complete) discardUnreadBody(exchange);
  }

  let inFlight = 0;
  const answerOver = () => {
    inFlight--;
  };
  const app: App = {
    handleUpgrade(incoming, socket, head) {
      if (webSockets.accepts(incoming)) {
        webSockets.handleUpgrade(incoming, socket, head);
        return;
      }
      answerUpgradeAsRequest(app, incoming, socket, head);
    },
    closeWebSockets: () => webSockets.close(),
    inFlight: () => inFlight,
    handle(incoming, outgoing) {
      const exchange = new Exchange(incoming, outgoing);
      exchange.streamBuffers = streamBuffers;
      inFlight++;
      exchange.whenOver(answerOver);
      // `run` is async: whatever goes wrong in it, synchronously or not, arrives here.
      run(exchange).then(
        () => finish(exchange),
        (thrown: unknown) => {
          answerError(exchange, thrown);
          finish(exchange);
        },
      );
    },
  };
  return app;
}

/**
 * An upgrade that is not a Responses WebSocket (another path, or another protocol such as
 * curl's `Upgrade: h2c`) is answered as the ordinary request it also is, on a connection that
 * then closes. Node hands the socket over without its body, so one with a body is refused.
 */
function answerUpgradeAsRequest(
  app: App,
  incoming: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  const hasBody =
    head.length > 0 ||
    incoming.headers["transfer-encoding"] !== undefined ||
    Number(incoming.headers["content-length"] ?? 0) > 0;
  const outgoing = new ServerResponse(incoming);
  outgoing.shouldKeepAlive = false;
  outgoing.assignSocket(socket as Socket);
  outgoing.once("finish", () => {
    outgoing.detachSocket(socket as Socket);
    socket.end();
  });
  if (hasBody) {
    const body = JSON.stringify(
      renderOpenAIError(
        new GatewayError(
          400,
          "invalid_request",
          "An Upgrade header is accepted only for a WebSocket on /v1/responses; send this request without it",
          { code: "unsupported_upgrade" },
        ),
      ),
    );
    outgoing.writeHead(400, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    outgoing.end(body);
    return;
  }
  app.handle(incoming, outgoing);
}

/**
 * Bodies above this wait for a proven credential and a turn (MAX_LARGE_BODIES) before they are
 * read. Chat requests are a few KB; a long agent conversation reaches a few hundred KB and pays
 * only a cache look-up for it.
 */
const LARGE_BODY_BYTES = 256 * 1024;
/** How long a large body waits for its turn before 503: long enough for a burst to clear. */
const LARGE_BODY_WAIT_MS = 5_000;

/**
 * What a client refused for a full gateway or queue is told to wait: long enough for streams to
 * end or a burst to clear, short enough that the SDKs' own retries (which honour Retry-After)
 * come back while the user still waits.
 */
const RETRY_AFTER_SECONDS = 5;

const CLIENT_VERSION_REJECTED_NOTE =
  "Copilot refused the client version (HTTP 466): see the warning logged when it first happened";

/** How much of a body nobody asked for is read and thrown away to keep the connection usable. */
const DISCARD_LIMIT_BYTES = 1024 * 1024;
const DISCARD_TIME_MS = 500;

/**
 * A request answered before its body was read (401, 404, 413, …): the rest of the body is read
 * and dropped, so the keep-alive connection can carry the next request, but only up to a limit
 * in size and time. Beyond it, the connection is closed.
 */
function discardUnreadBody(exchange: Exchange): void {
  const { incoming } = exchange;
  if (incoming.destroyed) return;
  let read = 0;
  const close = () => {
    cleanup();
    incoming.socket.destroySoon();
  };
  const timer = setTimeout(close, DISCARD_TIME_MS);
  timer.unref();
  const onData = (chunk: Buffer) => {
    read += chunk.length;
    if (read > DISCARD_LIMIT_BYTES) close();
  };
  const cleanup = () => {
    clearTimeout(timer);
    incoming.off("data", onData);
    incoming.off("end", cleanup);
    incoming.off("error", cleanup);
  };
  incoming.on("data", onData);
  incoming.on("end", cleanup);
  incoming.on("error", cleanup);
  incoming.resume();
}

/** `cache_error` is there only when the SQLite cache failed: a health check can alert on it. */
function cacheErrorField(error: string | undefined): { cache_error?: string } {
  return error === undefined ? {} : { cache_error: error };
}

/**
 * A client that hangs up, or that Node cuts off (request timeout, malformed chunk), while its body
 * is being read or Copilot is being asked makes the pending read or call fail: that is the client's
 * doing, logged as nginx's 499, never as an internal error. Nobody is left to receive the answer.
 */
const CLIENT_GONE_MESSAGE =
  "The client's connection ended before the answer (closed, malformed, or cut off after CLIENT_TIMEOUT)";

function serializeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error)
    return { type: error.name, message: error.message, stack: error.stack };
  return { value: String(error) };
}
