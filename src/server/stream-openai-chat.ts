import type { CopilotResponse } from "../copilot/copilot-client.js";
import type { GatewayError } from "../errors.js";
import { formatSseData } from "../sse/format-sse.js";
import { renderOpenAIError } from "./render-openai-error.js";
import type { SseEvent } from "../sse/parse-sse.js";
import { parseUpstreamEventData } from "./read-upstream-answer.js";
import { createChatChunkNormalizer } from "../translate/normalize-chat-completion-chunk.js";
import { createChatStreamFromResponsesTranslator } from "../translate/responses/create-chat-stream-from-responses-translator.js";
import {
  createEventStream,
  type EventStream,
  type StreamOutcome,
  type StreamStep,
} from "./event-stream.js";

export type { StreamOutcome } from "./event-stream.js";

const DONE = "data: [DONE]\n\n";
const MALFORMED = "upstream_malformed_response";
const DONE_STEP: StreamStep = { text: DONE, complete: true };

/**
 * Relays Copilot's chat stream as it arrives (the events of one upstream read leave together,
 * nothing waits for more data), normalised for OpenAI clients. If the upstream breaks off, the
 * client gets an SSE error event, which the official SDK raises, rather than a stream that merely
 * stops: a cut answer must not look complete.
 */
export function streamOpenAIChat(
  upstream: CopilotResponse,
  defaults: { model: string; created: number },
  onEnd: (outcome: StreamOutcome) => void,
): EventStream {
  const normalize = createChatChunkNormalizer(defaults);
  const step = (event: SseEvent | undefined): StreamStep => {
    if (event === undefined) return { done: true };
    const data = event.data;
    if (data === "[DONE]") return DONE_STEP;
    const out = normalize(data);
    return { text: out === undefined ? "" : formatSseData(out), complete: false };
  };
  return createEventStream(upstream, step, renderStreamFailure, onEnd);
}

/** A Responses stream (models served on `/responses` only) as Chat Completions chunks. */
export function translateResponsesToChatStream(
  upstream: CopilotResponse,
  options: { model: string; created: number; includeUsage: boolean },
  onEnd: (outcome: StreamOutcome) => void,
): EventStream {
  const translator = createChatStreamFromResponsesTranslator(options);
  const step = (event: SseEvent | undefined): StreamStep => {
    if (event === undefined)
      return { text: formatChunks(translator.finish()) + DONE, complete: true };
    const parsed = parseUpstreamEventData(event.data, "Responses stream");
    return { text: formatChunks(translator.push(parsed)), complete: false };
  };
  return createEventStream(upstream, step, renderStreamFailure, onEnd);
}

function formatChunks(chunks: readonly unknown[]): string {
  let text = "";
  for (const chunk of chunks) text += formatSseData(JSON.stringify(chunk));
  return text;
}

function renderStreamFailure(error: GatewayError): string {
  // The gateway's own limit (a client reading too slowly): said as the gateway's error.
  if (error.kind === "overloaded") return formatSseData(JSON.stringify(renderOpenAIError(error)));
  // Copilot's malformed answer is said as it is, with its own code; anything else broke the stream.
  if (error.code === MALFORMED) return formatStreamError(error.message, MALFORMED);
  return formatStreamError(
    error.code === "stream_interrupted" || error.kind === "upstream_connection"
      ? error.message
      : `The upstream stream broke off: ${error.message}`,
  );
}

export function formatStreamError(message: string, code = "stream_interrupted"): string {
  return formatSseData(
    JSON.stringify({ error: { message, type: "upstream_error", code, param: null } }),
  );
}
