import type { IncomingMessage, Server } from "node:http";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { RecordedRequest } from "./fake-copilot-types.js";
import type { Admission } from "./account-limits.js";
import type { FakeResponse, WriteResult } from "./fake-response.js";
import type { FakeState } from "./fake-state.js";
import { isRecord } from "./fake-state.js";
import { handleResponses } from "./responses.js";

export interface ResponsesWebSocketOptions {
  readonly state: FakeState;
  /** Writes down the upgrade and each response.create, as `requests` does for HTTP. */
  readonly record: (request: RecordedRequest) => void;
  /** The token and header checks every Copilot request gets; a refusal answers the upgrade. */
  readonly check: (request: RecordedRequest) => FakeResponse | undefined;
  /** Each response.create's limit check, as for HTTP: a refusal is sent as an error frame. */
  readonly admit: (request: RecordedRequest) => Admission;
  /** Bills an answer for the events sent, as for HTTP. */
  readonly bill: (response: FakeResponse, written: WriteResult) => void;
  /** The quota headers of the upgrade's account, sent with the 101 as with any answer. */
  readonly upgradeHeaders: (request: RecordedRequest) => Record<string, string>;
}

/**
 * Responses over WebSocket at the Copilot base's `/responses` (docs/upstream-protocol.md, 2026
 * changes): the upgrade carries the usual headers; each `{"type":"response.create", …}` text
 * frame (the POST body without `stream`) is answered with the SSE stream's events, one JSON text
 * frame each, and the socket stays open for the next one. Only models whose
 * supported_endpoints list `ws:/responses` are served; others get an error frame.
 */
export function attachResponsesWebSocket(
  server: Server,
  options: ResponsesWebSocketOptions,
): { close(): void } {
  const webSockets = new WebSocketServer({ noServer: true });
  // The 101 carries the account's quota headers, as every Copilot answer does.
  const extraHeaders = new WeakMap<IncomingMessage, Record<string, string>>();
  webSockets.on("headers", (headers, req) => {
    for (const [name, value] of Object.entries(extraHeaders.get(req) ?? {})) {
      headers.push(`${name}: ${value}`);
    }
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const upgrade = upgradeRequest(req);
    options.record(upgrade);
    const refused =
      upgrade.path === "/responses"
        ? options.check(upgrade)
        : ({ kind: "body", status: 404, headers: {}, body: "404 page not found\n" } as const);
    if (refused !== undefined) {
      refuseUpgrade(socket, refused);
      return;
    }
    extraHeaders.set(req, options.upgradeHeaders(upgrade));
    webSockets.handleUpgrade(req, socket, head, (webSocket) => {
      webSocket.on("message", (data, isBinary) => {
        void answerFrame(options, upgrade, webSocket, data, isBinary);
      });
    });
  });
  return {
    close() {
      for (const client of webSockets.clients) client.terminate();
      webSockets.close();
    },
  };
}

async function answerFrame(
  options: ResponsesWebSocketOptions,
  upgrade: RecordedRequest,
  webSocket: WebSocket,
  data: RawData,
  isBinary: boolean,
): Promise<void> {
  const send = (payload: unknown): void => webSocket.send(JSON.stringify(payload));
  const text = isBinary ? "" : rawText(data);
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    event = undefined;
  }
  if (!isRecord(event) || event["type"] !== "response.create") {
    send(errorEvent(400, "invalid_request_error", "expected a response.create text frame"));
    return;
  }
  const { type: _type, ...fields } = event;
  const body = JSON.stringify({ ...fields, stream: true });
  const request: RecordedRequest = { ...upgrade, method: "WS", body };
  options.record(request);
  const model =
    typeof fields["model"] === "string" ? options.state.models.get(fields["model"]) : undefined;
  if (model !== undefined && model.supportedEndpoints?.includes("ws:/responses") !== true) {
    const message = `model "${model.id}" is not accessible via the ws:/responses endpoint`;
    send(errorEvent(400, "unsupported_api_for_model", message));
    return;
  }
  const admission = options.admit(request);
  if (admission.kind === "refused") {
    const refusal = admission.response;
    const body = refusal.kind === "body" ? refusal.body : "";
    const error = JSON.parse(body) as { error: { code: string; message: string } };
    send(errorEvent(refusal.status, error.error.code, error.error.message));
    return;
  }
  const response = handleResponses(options.state, request);
  if (response.kind === "body") {
    send(errorEvent(response.status, "upstream_error", response.body.trim()));
    return;
  }
  const billed =
    admission.kind === "admitted" && response.bill !== undefined
      ? { ...response, bill: { ...response.bill, account: admission.account } }
      : response;
  for (const [index, sseEvent] of response.events.entries()) {
    if (webSocket.readyState !== webSocket.OPEN) {
      options.bill(billed, { complete: false, eventsWritten: index });
      return;
    }
    if (index > 0 && options.state.chunkDelayMs > 0) await sleep(options.state.chunkDelayMs);
    const dataLine = sseEvent.split("\n").find((line) => line.startsWith("data: "));
    if (dataLine !== undefined) webSocket.send(dataLine.slice("data: ".length));
  }
  options.bill(billed, { complete: true, eventsWritten: response.events.length });
}

/** An error frame: the route's refusal kept as its message (Copilot's text or JSON body). */
function errorEvent(status: number, code: string, message: string): Record<string, unknown> {
  return { type: "error", status, error: { type: "invalid_request_error", code, message } };
}

function upgradeRequest(req: IncomingMessage): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const url = req.url ?? "/";
  const queryStart = url.indexOf("?");
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  return { server: "copilot", method: "GET", path, headers, body: "" };
}

function refuseUpgrade(socket: Duplex, response: FakeResponse): void {
  const body = response.kind === "body" ? response.body : "";
  const contentType = response.headers["content-type"] ?? "text/plain; charset=utf-8";
  socket.end(
    `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? "Error"}\r\n` +
      `content-type: ${contentType}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `connection: close\r\n\r\n${body}`,
  );
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data as ArrayBuffer).toString("utf8");
}
