import type { UpstreamEndpoint } from "../protocols/copilot.js";
import { readEventJson, type SseEvent } from "../sse/parse-sse.js";
import type { UpstreamAnswer } from "../translate/parse-upstream-json.js";
import { isJsonObject } from "../translate/is-json-object.js";
import { readMessagesUsage } from "./anthropic-messages/read-messages-usage.js";
import type { AnswerUsage } from "./dialect.js";
import { readChatUsage } from "./openai-chat/read-chat-usage.js";
import { readResponsesUsage } from "./openai-responses/read-responses-usage.js";

/**
 * Watches a Copilot stream, as it comes from `endpoint`, for its usage and `copilot_usage`. An
 * event's JSON is parsed once for this reader and the translator after it (readEventJson); of
 * the streams whose translators do not read every event (Responses, Messages), only the few
 * events that can carry usage are read.
 */
export interface StreamUsageReader {
  push(event: SseEvent): void;
  /** The usage of the whole answer, once its final usage event has passed. */
  usage(): AnswerUsage | undefined;
  /**
   * For a stream cut short before its final usage: what was seen (a Messages stream's opening
   * input count), with one output token for each event that went by, a lower bound.
   */
  partialUsage(): Partial<AnswerUsage> & { readonly outputTokens: number };
}

export function createStreamUsageReader(endpoint: UpstreamEndpoint): StreamUsageReader {
  let final: AnswerUsage | undefined;
  let opening: AnswerUsage | undefined;
  let events = 0;
  // Data that is not JSON carries no usage here; the translator reports it.
  const parse = readEventJson;
  const pushers: Record<UpstreamEndpoint, (event: SseEvent) => void> = {
    "/chat/completions": (event) => {
      // Every translator of a chat stream parses each chunk: read here first, it is parsed once.
      if (event.data !== "[DONE]") final = readChatUsage(parse(event)) ?? final;
    },
    "/responses": (event) => {
      const type = event.event ?? "";
      if (
        type === "response.completed" ||
        type === "response.incomplete" ||
        type === "response.failed" ||
        (type === "" && event.data.includes('"response.completed"'))
      ) {
        final = readResponsesUsage(parse(event)) ?? final;
      }
    },
    "/v1/messages": (event) => {
      const type = event.event ?? "";
      if (type === "message_start" || (type === "" && event.data.includes('"message_start"'))) {
        const start = parse(event);
        if (isJsonObject(start)) opening = readMessagesUsage(start.message);
      } else if (
        type === "message_delta" ||
        (type === "" && event.data.includes('"message_delta"'))
      ) {
        const delta = readMessagesUsage(parse(event));
        // The closing delta counts the output; the input is in message_start (and may repeat here).
        if (delta !== undefined) {
          final = {
            ...delta,
            inputTokens: delta.inputTokens || (opening?.inputTokens ?? 0),
            cacheReadTokens: delta.cacheReadTokens || (opening?.cacheReadTokens ?? 0),
            cacheWriteTokens: delta.cacheWriteTokens || (opening?.cacheWriteTokens ?? 0),
          };
        }
      }
    },
  };
  const push = pushers[endpoint];
  return {
    push(event) {
      events += 1;
      push(event);
    },
    usage: () => final,
    partialUsage: () => ({ ...opening, outputTokens: Math.max(0, events - 1) }),
  };
}

/** The usage of a whole (non-stream) answer from `endpoint`; undefined when it has none. */
export function readAnswerUsage(
  endpoint: UpstreamEndpoint,
  upstream: UpstreamAnswer,
): AnswerUsage | undefined {
  const answer = upstream.json();
  switch (endpoint) {
    case "/chat/completions":
      return readChatUsage(answer);
    case "/responses":
      return readResponsesUsage(answer);
    case "/v1/messages":
      return readMessagesUsage(answer);
    default: {
      const unhandled: never = endpoint;
      return unhandled;
    }
  }
}
