import type { IncomingHttpHeaders } from "node:http";
import WebSocket, { type RawData } from "ws";
import type { CopilotSocketCall } from "../copilot/copilot-client.js";
import type { StreamTranslator } from "../dialects/dialect.js";
import { GatewayError, UpstreamConnectionError, UpstreamTimeoutError } from "../errors.js";
import type { AbortSignalLike } from "../http/abort-signal-like.js";
import { describeNetworkError } from "../http/network-errors.js";
import type { OpenAIResponsesRequest } from "../protocols/openai/responses-request.js";
import type { SseMessage } from "../sse/format-sse.js";
import { createSseParser, type SseEvent } from "../sse/parse-sse.js";
import { endpointsOf } from "./choose-upstream.js";
import {
  ANSWER_NAMES,
  type DialectCall,
  type DialectHandlerDependencies,
} from "./handle-dialect-request.js";
import { expectEventStream } from "./read-upstream-answer.js";

/** The account's Copilot limits, as an answer's headers (or a socket's upgrade) state them. */
function observeQuota(options: AnswerOptions, headers: IncomingHttpHeaders): void {
  options.deps.accounting.accounts.observe(
    options.account,
    headers,
    options.call.fallbackFrom === undefined,
  );
}

/** Where one answer's events go: each message's data is one JSON text frame to the client. */
export type SendMessages = (messages: readonly SseMessage[]) => void;

/** The upstream WebSocket a client socket holds, reused while its headers still fit. */
export interface UpstreamSocketSlot {
  current: { readonly socket: WebSocket; readonly key: string } | undefined;
}

export interface AnswerOptions {
  readonly deps: DialectHandlerDependencies;
  readonly call: DialectCall<OpenAIResponsesRequest>;
  readonly translator: StreamTranslator;
  readonly githubToken: string;
  /** Fingerprint of the account spent: its Copilot limits are read from the answer's headers. */
  readonly account: string;
  readonly requestId: string;
  /** Aborts when the client's socket closes. */
  readonly signal: AbortSignalLike;
  readonly upstream: UpstreamSocketSlot;
  readonly send: SendMessages;
}

/**
 * Streams one answer to the client's socket: over Copilot's own WebSocket when the model lists
 * `ws:/responses` (and the gateway reaches Copilot directly), over HTTP SSE otherwise. Returns
 * the transport used. A failure before the first event throws (the caller sends an error
 * event); a failure after it ends the answer with the dialect's failure events.
 */
export async function answerOverWebSocket(options: AnswerOptions): Promise<"websocket" | "http"> {
  const { call, deps } = options;
  const openWebSocket = deps.copilot.openWebSocket;
  if (
    call.endpoint === "/responses" &&
    openWebSocket !== undefined &&
    endpointsOf(call.model).includes("ws:/responses")
  ) {
    await answerFromUpstreamSocket(options, openWebSocket);
    return "websocket";
  }
  await answerFromHttp(options);
  return "http";
}

async function answerFromHttp(options: AnswerOptions): Promise<void> {
  const { call, translator, send } = options;
  const upstream = await options.deps.copilot.call({
    githubToken: options.githubToken,
    method: "POST",
    path: call.endpoint,
    body: call.outgoing.body,
    initiator: call.traits.initiator,
    vision: call.traits.vision,
    requestId: options.requestId,
    signal: options.signal,
    protocolHeaders: call.outgoing.headers,
  });
  observeQuota(options, upstream.headers);
  await expectEventStream(upstream, ANSWER_NAMES[call.endpoint]);
  const parser = createSseParser();
  try {
    for await (const chunk of upstream.body as AsyncIterable<Buffer>) {
      for (const event of parser.feed(chunk)) {
        send(translator.push(event));
        if (translator.isComplete()) return;
      }
    }
    for (const event of parser.end()) send(translator.push(event));
    const closing = translator.end();
    if (closing !== undefined) send(closing);
    if (!translator.isComplete()) send(translator.fail(cutShort()));
  } catch (error) {
    if (options.signal.aborted) return;
    send(translator.fail(broken(error)));
  } finally {
    upstream.body.destroy();
  }
}

/**
 * One `response.create` on Copilot's WebSocket: the request body without `stream`, and each
 * text frame back is one event. The socket is kept for the client's next request when it was
 * opened with the same initiator and vision headers (they are sent only on the upgrade); a
 * kept socket that fails before its first event is replaced once.
 */
async function answerFromUpstreamSocket(
  options: AnswerOptions,
  openWebSocket: (call: CopilotSocketCall) => Promise<WebSocket>,
): Promise<void> {
  const { call, upstream } = options;
  const key = `${call.traits.initiator}|${String(call.traits.vision)}`;
  const { stream: _stream, ...fields } = JSON.parse(call.outgoing.body) as Record<string, unknown>;
  const frame = JSON.stringify({ type: "response.create", ...fields });
  for (let attempt = 0; ; attempt++) {
    let kept = upstream.current;
    if (kept !== undefined && (kept.key !== key || kept.socket.readyState !== WebSocket.OPEN)) {
      kept.socket.close(1000);
      kept = upstream.current = undefined;
    }
    const reused = kept !== undefined;
    const socket =
      kept?.socket ??
      (await openWebSocket({
        githubToken: options.githubToken,
        path: "/responses",
        initiator: call.traits.initiator,
        vision: call.traits.vision,
        requestId: options.requestId,
        signal: options.signal,
        // The quota headers come once, on the upgrade; frames carry none.
        onUpgrade: (headers) => observeQuota(options, headers),
      }));
    upstream.current = { socket, key };
    const outcome = await relayUpstreamSocket(socket, frame, options);
    if (outcome === "done") return;
    upstream.current = undefined;
    socket.terminate();
    if (outcome === "failed_before_first_event" && reused && attempt === 0) continue;
    if (outcome !== "cancelled") {
      options.send(
        options.translator.fail(
          new UpstreamConnectionError("Copilot's WebSocket closed before the answer was complete", {
            code: "stream_interrupted",
          }),
        ),
      );
    }
    return;
  }
}

type RelayOutcome = "done" | "failed_before_first_event" | "failed" | "cancelled";

function relayUpstreamSocket(
  socket: WebSocket,
  frame: string,
  options: AnswerOptions,
): Promise<RelayOutcome> {
  const { translator, send, signal } = options;
  const idleMs = options.deps.config.idleTimeoutMs;
  return new Promise((resolve) => {
    let events = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: RelayOutcome) => {
      clearTimeout(timer);
      socket.off("message", onMessage);
      socket.off("close", onClose);
      socket.off("error", onError);
      signal.removeEventListener("abort", onAbort);
      resolve(outcome);
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        send(
          translator.fail(
            new UpstreamTimeoutError(`Copilot sent no event for ${idleMs} ms (IDLE_TIMEOUT)`),
          ),
        );
        finish("cancelled");
      }, idleMs);
    };
    const onMessage = (data: RawData, isBinary: boolean) => {
      if (isBinary) return;
      events++;
      arm();
      const event: SseEvent = { event: undefined, data: frameText(data), id: undefined };
      try {
        send(translator.push(event));
      } catch (error) {
        send(translator.fail(broken(error)));
        finish("cancelled");
        return;
      }
      if (translator.isComplete()) finish("done");
    };
    const onClose = () => finish(events === 0 ? "failed_before_first_event" : "failed");
    const onError = () => finish(events === 0 ? "failed_before_first_event" : "failed");
    const onAbort = () => finish("cancelled");
    socket.on("message", onMessage);
    socket.once("close", onClose);
    socket.once("error", onError);
    signal.addEventListener("abort", onAbort, { once: true });
    arm();
    socket.send(frame);
  });
}

function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data as ArrayBuffer).toString("utf8");
}

function cutShort(): UpstreamConnectionError {
  return new UpstreamConnectionError("The upstream closed the stream before it finished", {
    code: "stream_interrupted",
  });
}

function broken(error: unknown): GatewayError {
  return error instanceof GatewayError
    ? error
    : new UpstreamConnectionError(`The upstream stream broke off: ${describeNetworkError(error)}`, {
        code: "stream_interrupted",
      });
}
