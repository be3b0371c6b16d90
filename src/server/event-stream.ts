import type { CopilotResponse } from "../copilot/copilot-client.js";
import { GatewayError, UpstreamConnectionError } from "../errors.js";
import { describeNetworkError } from "../http/network-errors.js";
import { formatSseEvent } from "../sse/format-sse.js";
import { parseSse, type SseEvent } from "../sse/parse-sse.js";

export interface StreamOutcome {
  /** Whether the upstream stream finished properly. */
  readonly complete: boolean;
  /** Why it did not, for the log. */
  readonly reason?: string;
}

/** One step of a stream: text to send (possibly empty), and whether the answer is complete. */
export type StreamStep = { done: true } | { text: string; complete: boolean };

/**
 * The response body of every relayed or translated stream: one write per step (nothing is
 * buffered), the upstream aborted at once when the client goes away, and an upstream failure or
 * early end turned into the dialect's error event by `renderFailure`, so a cut answer never looks
 * complete.
 */
export function createEventStream(
  upstream: CopilotResponse,
  step: () => Promise<StreamStep>,
  renderFailure: (error: GatewayError) => string,
  onEnd: (outcome: StreamOutcome) => void,
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
    controller.enqueue(encoder.encode(renderFailure(error)));
    controller.close();
    end({ complete: false, reason: error.message });
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          for (;;) {
            const next = await step();
            if ("done" in next) {
              fail(
                controller,
                new UpstreamConnectionError("The upstream closed the stream before it finished", {
                  code: "stream_interrupted",
                }),
              );
              return;
            }
            if (next.text !== "") controller.enqueue(encoder.encode(next.text));
            if (next.complete) {
              controller.close();
              upstream.body.destroy();
              end({ complete: true });
              return;
            }
            if (next.text !== "") return;
          }
        } catch (error) {
          const failure =
            error instanceof GatewayError
              ? error
              : new UpstreamConnectionError(
                  `The upstream stream broke off: ${describeNetworkError(error)}`,
                  { code: "stream_interrupted" },
                );
          fail(controller, failure);
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

/** Steps that relay upstream SSE events unchanged until `isFinal` says the answer is complete. */
export function relayEvents(
  upstream: CopilotResponse,
  isFinal: (event: SseEvent) => boolean,
): () => Promise<StreamStep> {
  const events = parseSse(upstream.body);
  return async () => {
    const next = await events.next();
    if (next.done === true) return { done: true };
    const { event, data } = next.value;
    const text = event === undefined ? `data: ${data}\n\n` : formatSseEvent(event, data);
    return { text, complete: isFinal(next.value) };
  };
}
