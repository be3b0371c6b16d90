import type { CopilotResponse } from "../copilot/copilot-client.js";
import { GatewayError } from "../errors.js";
import { describeNetworkError } from "../http/network-errors.js";
import { parseSse } from "../sse/parse-sse.js";
import { formatSseData } from "../sse/format-sse.js";
import { createChatChunkNormalizer } from "../translate/normalize-chat-completion-chunk.js";

export interface StreamOutcome {
  /** Whether the upstream finished with `[DONE]`. */
  readonly complete: boolean;
  /** Why it did not, for the log. */
  readonly reason?: string;
}

const DONE = "data: [DONE]\n\n";

/**
 * Relays Copilot's chat stream event by event (one write per event, nothing buffered), normalised
 * for OpenAI clients. If the upstream breaks off, the client gets an SSE error event, which the
 * official SDK raises, rather than a stream that merely stops: a cut answer must not look complete.
 */
export function streamOpenAIChat(
  upstream: CopilotResponse,
  defaults: { model: string; created: number },
  onEnd: (outcome: StreamOutcome) => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const normalize = createChatChunkNormalizer(defaults);
  const events = parseSse(upstream.body);
  let ended = false;

  function end(outcome: StreamOutcome): void {
    if (ended) return;
    ended = true;
    onEnd(outcome);
  }

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          for (;;) {
            const next = await events.next();
            if (next.done === true) {
              controller.enqueue(
                encoder.encode(
                  formatStreamError("The upstream closed the stream before it finished"),
                ),
              );
              controller.close();
              end({ complete: false, reason: "upstream ended without [DONE]" });
              return;
            }
            const data = next.value.data;
            if (data === "[DONE]") {
              controller.enqueue(encoder.encode(DONE));
              controller.close();
              end({ complete: true });
              upstream.body.destroy();
              return;
            }
            const out = normalize(data);
            if (out !== undefined) {
              controller.enqueue(encoder.encode(formatSseData(out)));
              return;
            }
          }
        } catch (error) {
          upstream.body.destroy();
          const reason =
            error instanceof GatewayError ? error.message : describeNetworkError(error);
          controller.enqueue(
            encoder.encode(formatStreamError(`The upstream stream broke off: ${reason}`)),
          );
          controller.close();
          end({ complete: false, reason });
        }
      },
      cancel() {
        // The client went away: stop reading from Copilot at once.
        upstream.body.destroy();
        end({ complete: false, reason: "client closed the connection" });
      },
    },
    { highWaterMark: 0 },
  );
}

export function formatStreamError(message: string): string {
  return formatSseData(
    JSON.stringify({
      error: { message, type: "upstream_error", code: "stream_interrupted", param: null },
    }),
  );
}
