import type { CopilotResponse } from "../copilot/copilot-client.js";
import type { GatewayError } from "../errors.js";
import type { OpenAIResponsesRequest } from "../protocols/openai/responses-request.js";
import type { ResponsesStreamEvent } from "../protocols/openai/responses-response.js";
import { formatSseEvent } from "../sse/format-sse.js";
import type { SseEvent } from "../sse/parse-sse.js";
import { createChatChunkObjectNormalizer } from "../translate/normalize-chat-completion-chunk.js";
import {
  createResponsesStreamTranslator,
  formatResponsesEvent,
} from "../translate/responses/create-responses-stream-translator.js";
import {
  createEventStream,
  relayEvents,
  type EventStream,
  type StreamOutcome,
  type StreamStep,
} from "./event-stream.js";

const FINAL_EVENTS = new Set([
  "response.completed",
  "response.failed",
  "response.incomplete",
  "error",
]);

/** Copilot's native `/responses` stream, relayed event by event, unchanged. */
export function relayResponsesStream(
  upstream: CopilotResponse,
  onEnd: (outcome: StreamOutcome) => void,
): EventStream {
  let relayed = 0;
  const step = relayEvents((event) => {
    relayed++;
    return FINAL_EVENTS.has(eventType(event));
  });
  const renderFailure = (error: GatewayError) =>
    formatSseEvent("error", JSON.stringify(errorEvent(error, relayed)));
  return createEventStream(upstream, step, renderFailure, onEnd);
}

/** A Chat Completions stream (chat-only models) as the Responses event sequence. */
export function translateChatToResponsesStream(
  upstream: CopilotResponse,
  options: { model: string; created: number; request: OpenAIResponsesRequest },
  onEnd: (outcome: StreamOutcome) => void,
): EventStream {
  const normalize = createChatChunkObjectNormalizer(options);
  const translator = createResponsesStreamTranslator({
    model: options.model,
    request: options.request,
    createdAt: options.created,
  });
  const step = (event: SseEvent | undefined): StreamStep => {
    if (event === undefined) return { done: true };
    if (event.data === "[DONE]") {
      const closing = translator.finish();
      return { text: formatAll(closing), complete: true };
    }
    const chunk = normalize(event.data);
    return { text: chunk === undefined ? "" : formatAll(translator.push(chunk)), complete: false };
  };
  // The translator numbers its events: its own failure events keep the sequence right.
  const renderFailure = (error: GatewayError) =>
    formatAll(translator.fail(error.message, error.code ?? "stream_interrupted"));
  return createEventStream(upstream, step, renderFailure, onEnd);
}

function formatAll(events: readonly ResponsesStreamEvent[]): string {
  let text = "";
  for (const event of events) text += formatResponsesEvent(event);
  return text;
}

function eventType(event: SseEvent): string {
  if (event.event !== undefined) return event.event;
  const match = /"type"\s*:\s*"([^"]+)"/.exec(event.data);
  return match?.[1] ?? "";
}

/** The Responses `error` event: flat fields as typed, nested as OpenAI's servers send them. */
function errorEvent(error: GatewayError, sequenceNumber: number): ResponsesStreamEvent {
  const code = error.code ?? "stream_interrupted";
  return {
    type: "error",
    code,
    message: error.message,
    param: null,
    error: { type: "server_error", code, message: error.message, param: null },
    sequence_number: sequenceNumber,
  };
}
