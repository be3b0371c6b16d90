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
 * A relayed or translated answer stream: steps of text (one write per step, nothing buffered),
 * with the upstream aborted at once when the client goes away, and an upstream failure or early
 * end turned into the dialect's error event by `renderFailure`, so a cut answer never looks
 * complete. `streamBody` (stream-body.ts) writes it to the client.
 */
export interface EventStream {
  /** The next text to send, or a failure event if the upstream broke; undefined when done. */
  next(): Promise<string | undefined>;
  /** The client went away. */
  cancel(): void;
}

export function createEventStream(
  upstream: CopilotResponse,
  step: () => Promise<StreamStep>,
  renderFailure: (error: GatewayError) => string,
  onEnd: (outcome: StreamOutcome) => void,
): EventStream {
  let ended = false;
  const end = (outcome: StreamOutcome) => {
    if (ended) return;
    ended = true;
    onEnd(outcome);
  };
  const fail = (error: GatewayError): string => {
    upstream.body.destroy();
    end({ complete: false, reason: error.message });
    return renderFailure(error);
  };
  return {
    async next() {
      if (ended) return undefined;
      try {
        for (;;) {
          const next = await step();
          if ("done" in next) {
            return fail(
              new UpstreamConnectionError("The upstream closed the stream before it finished", {
                code: "stream_interrupted",
              }),
            );
          }
          if (next.complete) {
            end({ complete: true });
            void drainRest(upstream, step);
            return next.text;
          }
          if (next.text !== "") return next.text;
        }
      } catch (error) {
        if (ended) return undefined;
        return fail(
          error instanceof GatewayError
            ? error
            : new UpstreamConnectionError(
                `The upstream stream broke off: ${describeNetworkError(error)}`,
                { code: "stream_interrupted" },
              ),
        );
      }
    },
    cancel() {
      // The client went away: stop reading from Copilot at once.
      upstream.body.destroy();
      end({ complete: false, reason: "client closed the connection" });
    },
  };
}

/**
 * After the last event only the end of the chunked body is left: read it, so the connection
 * goes back to the pool and no abort error is made (destroying a body that has not ended does
 * both), then let go of it in any case.
 */
async function drainRest(
  upstream: CopilotResponse,
  step: () => Promise<StreamStep>,
): Promise<void> {
  try {
    for (let steps = 0; steps < 8; steps++) {
      const next = await step();
      if ("done" in next) return;
    }
  } catch {
    // The answer is already complete; nothing left to tell anyone.
  } finally {
    upstream.body.destroy();
  }
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
