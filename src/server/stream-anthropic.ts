import type { CopilotResponse } from "../copilot/copilot-client.js";
import type { GatewayError } from "../errors.js";
import type { AnthropicStreamEvent } from "../protocols/anthropic/messages-response.js";
import { formatSseEvent } from "../sse/format-sse.js";
import type { SseEvent } from "../sse/parse-sse.js";
import { parseUpstreamEventData } from "./read-upstream-answer.js";
import {
  createAnthropicStreamTranslator,
  formatAnthropicEvent,
} from "../translate/anthropic/create-anthropic-stream-translator.js";
import { renderAnthropicError } from "../translate/anthropic/render-anthropic-error.js";
import { createChatChunkObjectNormalizer } from "../translate/normalize-chat-completion-chunk.js";
import { createChatStreamFromResponsesTranslator } from "../translate/responses/create-chat-stream-from-responses-translator.js";
import {
  createEventStream,
  relayEvents,
  type EventStream,
  type StreamOutcome,
  type StreamStep,
} from "./event-stream.js";

const renderFailure = (error: GatewayError) =>
  formatSseEvent("error", JSON.stringify(renderAnthropicError(error)));

/** Copilot's native `/v1/messages` stream, relayed event by event, unchanged. */
export function relayAnthropicStream(
  upstream: CopilotResponse,
  onEnd: (outcome: StreamOutcome) => void,
): EventStream {
  const step = relayEvents(({ event }) => event === "message_stop" || event === "error");
  return createEventStream(upstream, step, renderFailure, onEnd);
}

export interface AnthropicStreamOptions {
  /** The model name the client asked for. */
  readonly model: string;
  readonly created: number;
}

/** A Chat Completions stream (models served on `/chat/completions`) as Anthropic events. */
export function translateChatToAnthropicStream(
  upstream: CopilotResponse,
  options: AnthropicStreamOptions,
  onEnd: (outcome: StreamOutcome) => void,
): EventStream {
  const normalize = createChatChunkObjectNormalizer(options);
  const translator = createAnthropicStreamTranslator({ model: options.model });
  const step = (event: SseEvent | undefined): StreamStep => {
    if (event === undefined) return { done: true };
    if (event.data === "[DONE]") return closing(translator.finish());
    const chunk = normalize(event.data);
    return { text: chunk === undefined ? "" : formatAll(translator.push(chunk)), complete: false };
  };
  return createEventStream(upstream, step, renderFailure, onEnd);
}

/** A Responses stream (models served on `/responses` only) as Anthropic events, through Chat. */
export function translateResponsesToAnthropicStream(
  upstream: CopilotResponse,
  options: AnthropicStreamOptions,
  onEnd: (outcome: StreamOutcome) => void,
): EventStream {
  const toChat = createChatStreamFromResponsesTranslator({ ...options, includeUsage: true });
  const translator = createAnthropicStreamTranslator({ model: options.model });
  const step = (event: SseEvent | undefined): StreamStep => {
    if (event === undefined) {
      // The Responses stream has no [DONE]: its end is the end of the answer, if it completed.
      const chunks = toChat.finish();
      return closing([
        ...chunks.flatMap((chunk) => translator.push(chunk)),
        ...translator.finish(),
      ]);
    }
    const parsed = parseUpstreamEventData(event.data, "Responses stream");
    return {
      text: formatAll(toChat.push(parsed).flatMap((chunk) => translator.push(chunk))),
      complete: false,
    };
  };
  return createEventStream(upstream, step, renderFailure, onEnd);
}

function closing(events: readonly AnthropicStreamEvent[]): StreamStep {
  const last = events.at(-1)?.type;
  return { text: formatAll(events), complete: last === "message_stop" || last === "error" };
}

function formatAll(events: readonly AnthropicStreamEvent[]): string {
  let text = "";
  for (const event of events) text += formatAnthropicEvent(event);
  return text;
}
