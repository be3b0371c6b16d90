import type { CopilotResponse } from "../copilot/copilot-client.js";
import { GatewayError, UpstreamConnectionError } from "../errors.js";
import { describeNetworkError } from "../http/network-errors.js";
import type { AnthropicStreamEvent } from "../protocols/anthropic/messages-response.js";
import { formatSseEvent } from "../sse/format-sse.js";
import { parseSse } from "../sse/parse-sse.js";
import {
  createAnthropicStreamTranslator,
  formatAnthropicEvent,
} from "../translate/anthropic/create-anthropic-stream-translator.js";
import { renderAnthropicError } from "../translate/anthropic/render-anthropic-error.js";
import { createChatChunkObjectNormalizer } from "../translate/normalize-chat-completion-chunk.js";
import type { StreamOutcome } from "./stream-openai-chat.js";

/**
 * Relays Copilot's native `/v1/messages` stream event by event, unchanged. A stream that ends
 * without `message_stop` gets an `event: error`, never a silent end.
 */
export function relayAnthropicStream(
  upstream: CopilotResponse,
  onEnd: (outcome: StreamOutcome) => void,
): ReadableStream<Uint8Array> {
  const events = parseSse(upstream.body);
  return createEventStream(upstream, onEnd, async () => {
    const next = await events.next();
    if (next.done === true) return { done: true };
    const { event, data } = next.value;
    const text = event === undefined ? `data: ${data}\n\n` : formatSseEvent(event, data);
    return { text, complete: event === "message_stop" || event === "error" };
  });
}

/**
 * Turns Copilot's Chat Completions stream into the Anthropic event sequence, for models that are
 * served on `/chat/completions` only.
 */
export function translateToAnthropicStream(
  upstream: CopilotResponse,
  options: { model: string; inputTokensEstimate?: number | undefined; created: number },
  onEnd: (outcome: StreamOutcome) => void,
): ReadableStream<Uint8Array> {
  const events = parseSse(upstream.body);
  const normalize = createChatChunkObjectNormalizer({
    model: options.model,
    created: options.created,
  });
  const translator = createAnthropicStreamTranslator({
    model: options.model,
    inputTokensEstimate: options.inputTokensEstimate,
  });
  return createEventStream(upstream, onEnd, async () => {
    for (;;) {
      const next = await events.next();
      if (next.done === true) return { done: true };
      if (next.value.data === "[DONE]") {
        const closing = translator.finish();
        return { text: formatAll(closing), complete: closing.at(-1)?.type === "message_stop" };
      }
      const chunk = normalize(next.value.data);
      if (chunk === undefined) continue;
      const out = translator.push(chunk);
      if (out.length > 0) return { text: formatAll(out), complete: false };
    }
  });
}

function formatAll(events: readonly AnthropicStreamEvent[]): string {
  let text = "";
  for (const event of events) text += formatAnthropicEvent(event);
  return text;
}

type Step = { done: true } | { text: string; complete: boolean };

/** One write per step; an upstream failure or early end becomes an Anthropic `error` event. */
function createEventStream(
  upstream: CopilotResponse,
  onEnd: (outcome: StreamOutcome) => void,
  step: () => Promise<Step>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let ended = false;
  const end = (outcome: StreamOutcome) => {
    if (ended) return;
    ended = true;
    onEnd(outcome);
  };
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: GatewayError) => {
    upstream.body.destroy();
    controller.enqueue(
      encoder.encode(formatSseEvent("error", JSON.stringify(renderAnthropicError(error)))),
    );
    controller.close();
    end({ complete: false, reason: error.message });
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await step();
          if ("done" in next) {
            fail(
              controller,
              new UpstreamConnectionError("The upstream closed the stream before it finished"),
            );
            return;
          }
          controller.enqueue(encoder.encode(next.text));
          if (next.complete) {
            controller.close();
            upstream.body.destroy();
            end({ complete: true });
          }
        } catch (error) {
          const failure =
            error instanceof GatewayError
              ? error
              : new UpstreamConnectionError(
                  `The upstream stream broke off: ${describeNetworkError(error)}`,
                );
          fail(controller, failure);
        }
      },
      cancel() {
        upstream.body.destroy();
        end({ complete: false, reason: "client closed the connection" });
      },
    },
    { highWaterMark: 0 },
  );
}
