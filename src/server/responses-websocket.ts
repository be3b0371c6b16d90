import { randomUUID } from "node:crypto";
import { STATUS_CODES, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { z } from "zod";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { AuthenticationError, GatewayError, InvalidRequestError } from "../errors.js";
import { LightAbortSignal } from "../http/abort-signal-like.js";
import { renderOpenAIError, toGatewayError } from "../dialects/openai-chat/render-openai-error.js";
import { openAIResponsesDialect } from "../dialects/openai-responses/openai-responses-dialect.js";
import {
  continuePreviousResponse,
  createResponseRecorder,
  type PreviousResponse,
} from "../dialects/openai-responses/remember-previous-response.js";
import { renderResponsesWebSocketError } from "../dialects/openai-responses/render-responses-websocket-error.js";
import { typedEventMessage, type SseMessage } from "../sse/format-sse.js";
import { createPrewarmEvents } from "../dialects/openai-responses/create-prewarm-events.js";
import { createResponseId } from "../dialects/openai-responses/responses-ids.js";
import { answerOverWebSocket, type UpstreamSocketSlot } from "./answer-over-websocket.js";
import {
  estimateCutUsage,
  prepareDialectCall,
  type DialectHandlerDependencies,
} from "./handle-dialect-request.js";
import {
  readCredentialRequest,
  type Credential,
  type CredentialRequest,
} from "./middleware/auth.js";
import { createStreamUsageReader } from "../dialects/read-stream-usage.js";
import type { ManagedKey } from "../keys/managed-key.js";
import { costOfAnswer } from "../ledger/cost-of-answer.js";
import { writeRequestLog, type LoggedRequest } from "./middleware/request-log.js";
import type { UpstreamLimit } from "./middleware/upstream-limit.js";
import { parseJsonBody } from "./read-json-body.js";

export interface ResponsesWebSocketDependencies extends DialectHandlerDependencies {
  /** The same authentication as HTTP routes. */
  readonly authenticate: (request: CredentialRequest) => Credential;
  /** The same upstream slots as HTTP routes: one per response in flight. */
  readonly upstreamLimit: UpstreamLimit;
}

export interface ResponsesWebSocketServer {
  /** Whether this upgrade is a WebSocket on a Responses path (else it is an ordinary request). */
  accepts(incoming: IncomingMessage): boolean;
  /** Authenticates and opens the socket, or answers the upgrade with an error. */
  handleUpgrade(incoming: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every socket (shutdown). */
  close(): void;
}

const PATHS = new Set(["/v1/responses", "/responses"]);
/** `response.create` frames a client may queue behind the one being answered. */
const MAX_QUEUED = 8;
const frameSchema = z.looseObject({ type: z.string() });

/**
 * Responses over WebSocket (`/v1/responses`, `/responses`), as OpenAI's WebSocket mode: each
 * `response.create` text frame is a Responses request body (without `stream`), answered with
 * the events of the SSE stream, one JSON text frame each, one response at a time, on a socket
 * that stays open. Each request takes the same path as over HTTP (prepareDialectCall) and its
 * own upstream slot, and writes its own log line.
 * https://platform.openai.com/docs/guides/websocket-mode
 */
export function createResponsesWebSocketServer(
  deps: ResponsesWebSocketDependencies,
): ResponsesWebSocketServer {
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: deps.config.bodyLimit,
    perMessageDeflate: false,
  });
  return {
    accepts(incoming) {
      return (
        incoming.method === "GET" &&
        incoming.headers.upgrade?.toLowerCase() === "websocket" &&
        PATHS.has(pathOf(incoming.url ?? "/"))
      );
    },
    handleUpgrade(incoming, socket, head) {
      let credential: Credential;
      try {
        credential = deps.authenticate(readCredentialRequest(incoming));
      } catch (thrown) {
        const error = toGatewayError(thrown, "websocket-upgrade");
        refuseUpgrade(socket, error.status, JSON.stringify(renderOpenAIError(error)));
        return;
      }
      server.handleUpgrade(incoming, socket, head, (webSocket) =>
        serveSocket(webSocket, incoming, credential, deps),
      );
    },
    close() {
      for (const client of server.clients) client.close(1001, "The gateway is shutting down");
      for (const client of server.clients) client.terminate();
      server.close();
    },
  };
}

function serveSocket(
  webSocket: WebSocket,
  incoming: IncomingMessage,
  credential: Credential,
  deps: ResponsesWebSocketDependencies,
): void {
  const closed = new LightAbortSignal();
  const upstream: UpstreamSocketSlot = { current: undefined };
  const session = { previous: undefined as PreviousResponse | undefined, queued: 0 };
  let turn = Promise.resolve();
  webSocket.on("close", () => {
    closed.abort(new Error("The client closed the WebSocket"));
    upstream.current?.socket.terminate();
  });
  webSocket.on("error", () => webSocket.terminate());
  webSocket.on("message", (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      // RFC 6455 §7.4.1: 1003, data of a type the endpoint cannot accept.
      webSocket.close(1003, "Binary frames are not accepted: send JSON text frames");
      return;
    }
    if (session.queued >= MAX_QUEUED) {
      webSocket.close(1008, `More than ${MAX_QUEUED} response.create frames are waiting`);
      return;
    }
    session.queued++;
    const bytes = frameBytes(data);
    turn = turn.then(async () => {
      if (!closed.aborted) await answerFrame(bytes);
      session.queued--;
    });
  });

  async function answerFrame(bytes: Buffer): Promise<void> {
    const record: LoggedRequest = {
      requestId: randomUUID(),
      method: "WS",
      path: pathOf(incoming.url ?? "/"),
      startedAt: performance.now(),
      log: { dialect: "responses", keyName: credential.keyName, account: credential.account },
      credential: credential.fingerprint,
      headers: {},
      incoming,
    };
    const send = (messages: readonly SseMessage[]) => {
      for (const message of messages) {
        if (webSocket.readyState === webSocket.OPEN) webSocket.send(message.data);
      }
    };
    let release: (() => void) | undefined;
    let status = 200;
    try {
      const frame = parseJsonBody(bytes, frameSchema).value;
      const { type, ...fields } = frame;
      // Codex acknowledges a response it has recorded; nothing to answer.
      if (type === "response.processed") return;
      if (type !== "response.create") {
        throw new InvalidRequestError(
          `Unsupported event type "${type}": send {"type":"response.create", …} with a Responses request body`,
          { code: "unsupported_event_type", param: "type" },
        );
      }
      // `generate` is WebSocket mode's own field: false asks for a prewarm, not an answer.
      const { generate, ...continued } = continuePreviousResponse(fields, session.previous);
      const body: Record<string, unknown> = { ...continued, stream: true };
      session.previous = undefined;
      const raw = JSON.stringify(body);
      const { value: request } = parseJsonBody(
        Buffer.from(raw),
        openAIResponsesDialect.requestSchema,
      );
      if (generate === false) {
        const messages = createPrewarmEvents(request, {
          id: createResponseId(),
          createdAt: Math.floor(deps.now() / 1000),
          model: request.model ?? "",
        }).map(typedEventMessage);
        const recorder = createResponseRecorder(body["input"]);
        recorder.observe(messages);
        send(messages);
        session.previous = recorder.result();
        record.log.model = request.model ?? undefined;
        record.log.note = "prewarm (generate: false), answered without asking Copilot";
        // Nothing was asked of Copilot: a log line, no ledger entry.
        writeRequestLog(deps.logger, record, 200, deps.config.debug);
        return;
      }
      if (credential.key !== undefined) {
        const key = checkKeyStillValid(deps, credential.key);
        record.log.endKeyTurn = deps.keyLimiter.admit(key);
      }
      release = await takeSlot(deps.upstreamLimit, credential.fingerprint, closed);
      const call = await prepareDialectCall(openAIResponsesDialect, deps, {
        request,
        raw,
        githubToken: credential.githubToken,
        requestId: record.requestId,
        header: (name) => header(incoming, name),
        log: record.log,
        key: credential.key,
        account: credential.account,
      });
      const recorder = createResponseRecorder(body["input"]);
      const translator = openAIResponsesDialect.createStreamTranslator(
        call.endpoint,
        request,
        call.context,
      );
      const usage = createStreamUsageReader(call.endpoint);
      const transport = await answerOverWebSocket({
        deps,
        call,
        translator: {
          ...translator,
          push: (event) => {
            usage.push(event);
            return translator.push(event);
          },
        },
        githubToken: credential.githubToken,
        account: credential.account,
        requestId: record.requestId,
        signal: closed,
        upstream,
        send: (messages) => {
          recorder.observe(messages);
          send(messages);
        },
      });
      session.previous = recorder.result();
      record.log.note = `upstream over ${transport}`;
      record.log.complete = session.previous !== undefined && !closed.aborted;
      record.log.cost = costOfAnswer(
        usage.usage() ?? estimateCutUsage(usage, call.outgoing.body),
        call.model,
        call.traits.initiator,
        deps.accounting.prices,
      );
      if (closed.aborted) status = 499;
      else if (session.previous === undefined) status = 502;
    } catch (thrown) {
      const error =
        closed.aborted && !(thrown instanceof GatewayError)
          ? new GatewayError(499, "invalid_request", "The client closed the WebSocket", {
              code: "client_closed",
            })
          : toGatewayError(thrown, record.requestId);
      if (error.kind === "internal") {
        deps.logger.error({ reqId: record.requestId, err: String(thrown) }, "internal error");
      }
      status = error.status;
      record.log.note = error.message;
      if (webSocket.readyState === webSocket.OPEN) {
        webSocket.send(JSON.stringify(renderResponsesWebSocketError(error)));
      }
    } finally {
      release?.();
    }
    deps.recordRequest(record, status);
  }
}

/**
 * A WebSocket authenticates once, at its upgrade; each response.create on it is a new request,
 * so a managed key revoked or expired meanwhile is refused from its next one.
 */
function checkKeyStillValid(deps: ResponsesWebSocketDependencies, key: ManagedKey): ManagedKey {
  const current = deps.accounting.keys.findByName(key.name);
  const at = deps.now();
  if (current?.id !== key.id || current.revokedAt !== undefined) {
    throw new AuthenticationError(`The key "${key.name}" was revoked`, { code: "key_revoked" });
  }
  if (current.expiresAt !== undefined && current.expiresAt <= at) {
    throw new AuthenticationError(
      `The key "${key.name}" expired at ${new Date(current.expiresAt).toISOString()}`,
      { code: "key_expired" },
    );
  }
  return current;
}

/** An upstream slot for one response; a client that leaves while waiting gives up its place. */
async function takeSlot(
  limit: UpstreamLimit,
  credential: string,
  closed: LightAbortSignal,
): Promise<() => void> {
  const acquired = limit.acquire(credential);
  if (typeof acquired === "function") return acquired;
  closed.addEventListener("abort", acquired.leave);
  try {
    return await acquired.slot;
  } finally {
    closed.removeEventListener("abort", acquired.leave);
  }
}

/** Answers a refused upgrade as HTTP, with the error body, and closes the connection. */
function refuseUpgrade(socket: Duplex, status: number, body: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `connection: close\r\n\r\n${body}`,
  );
}

function header(incoming: IncomingMessage, name: string): string | undefined {
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

function pathOf(url: string): string {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

function frameBytes(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}
