import type { Readable } from "node:stream";
import type { CopilotResponse } from "../copilot/copilot-client.js";
import { GatewayError, UpstreamConnectionError } from "../errors.js";
import { describeNetworkError } from "../http/network-errors.js";
import type { StreamTranslator } from "../dialects/dialect.js";
import { formatSseMessages } from "../sse/format-sse.js";
import { createSseParser, type SseEvent } from "../sse/parse-sse.js";

export interface StreamOutcome {
  /** Whether the upstream stream finished properly. */
  readonly complete: boolean;
  /** Why it did not, for the log. */
  readonly reason?: string;
}

// The events at the end of the body: `undefined` stands for the end itself.
const END_OF_BODY: readonly undefined[] = [undefined];

/**
 * A relayed or translated answer stream: steps of text (nothing buffered), with the upstream
 * aborted at once when the client goes away (or, with ABORTED_STREAM_WAIT, read on for its final
 * usage alone, so that the ledger has Copilot's own cost), and an upstream failure or early end turned into
 * the dialect's error event by `renderFailure`, so a cut answer never looks complete.
 * `streamBody` (stream-body.ts) writes it to the client.
 */
export interface EventStream {
  /** The next text to send, or a failure event if the upstream broke; undefined when done. */
  next(): Promise<string | undefined>;
  /**
   * True once the answer is over (complete, failed or cancelled): what `next()` gave was the last.
   * A method, not a getter: a getter in the object literal made every stream about 10% dearer
   * in CPU (measured at 32 concurrent streams).
   */
  isOver(): boolean;
  /** The client went away. */
  cancel(): void;
  /**
   * The gateway ends the answer early (a client reading too slowly): the upstream is let go and
   * the dialect's error event for `error` returned, to be written if the client still can take it.
   */
  abort(error: GatewayError): string;
}

/**
 * Reads the upstream body and hands each event to `step`. The texts of all the events that one
 * read of the body completes leave together, in one `next()`: one promise per read rather than
 * per event, and nothing is held back waiting for more data.
 *
 * The first text of an answer leaves with the rest of its read too, not alone ahead of it. From
 * Copilot, whose events come tens of milliseconds apart, a read seldom holds more than one event,
 * so this changes nothing there. A read holding many (a whole answer, in the benchmark) leaves in
 * one write instead of two: with 32 concurrent streams, streamed throughput measured 58-61% of
 * direct this way against 52-57% with the first text split off. What it costs is that first
 * text leaving only once the read's other events are translated (about 6 us each): at
 * concurrency 1 the benchmark's first chunk comes with its last. Splitting only when no other
 * stream was in flight had both, but needed a counter shared by every stream of the process.
 */
export function createEventStream(
  upstream: CopilotResponse,
  translator: StreamTranslator,
  onEnd: (outcome: StreamOutcome) => void,
  /** Watches each upstream event for the answer's usage (the ledger). */
  usage?: UsageWatch,
  /**
   * How long the rest of the stream is read, for its final usage alone, once the client has left
   * (ABORTED_STREAM_WAIT); 0: Copilot is let go at once.
   */
  readOnMs = 0,
): EventStream {
  const body = upstream.body as unknown as Readable;
  // The body may fail while nobody is waiting for a chunk (the client is slow, or a text is being
  // written): the next read finds it in `body.errored`. Without a listener the failure would be
  // thrown as an uncaught exception.
  body.on("error", ignoreError);
  const parser = createSseParser();
  let bodyEnded = false;
  let ended = false;
  let queue: readonly (SseEvent | undefined)[] = [];
  let queued = 0;
  // A read of the body is awaited; set while the client is gone and the rest is read on.
  let reading = false;
  let leaving = false;
  let leaveTimer: NodeJS.Timeout | undefined;
  const end = (outcome: StreamOutcome) => {
    if (ended) return;
    ended = true;
    onEnd(outcome);
  };
  const letGoAfterClientLeft = () => {
    clearTimeout(leaveTimer);
    if (usage?.usage() === undefined) {
      upstream.body.destroy();
      end({ complete: false, reason: CLIENT_LEFT });
    } else {
      void drainRest(upstream, body);
      end({ complete: false, reason: `${CLIENT_LEFT}; the rest was read for Copilot's cost` });
    }
  };
  // The client has left: the rest of the stream is read only for its final usage, until that
  // passes, the body ends or breaks, or the wait is over (the timer destroys the body).
  const readOnForUsage = async (events: readonly (SseEvent | undefined)[]) => {
    try {
      for (let pending = events; ;) {
        for (const event of pending) {
          if (event === undefined) return;
          usage?.push(event);
        }
        if (usage?.usage() !== undefined) return;
        const chunk = await readChunk(body);
        pending = chunk === undefined ? [...parser.end(), undefined] : parser.feed(chunk);
      }
    } catch {
      // Cut at the wait's end, or broken: the cost is an estimate from what was seen.
    } finally {
      letGoAfterClientLeft();
    }
  };
  const fail = (error: GatewayError): string => {
    upstream.body.destroy();
    end({ complete: false, reason: error.message });
    return formatSseMessages(translator.fail(error));
  };
  return {
    isOver() {
      return ended;
    },
    async next() {
      if (ended) return undefined;
      let text = "";
      try {
        for (;;) {
          if (queued === queue.length) {
            queued = 0;
            if (bodyEnded) queue = END_OF_BODY;
            else {
              reading = true;
              let chunk: Buffer | undefined;
              try {
                chunk = await readChunk(body);
              } finally {
                reading = false;
              }
              if (leaving) {
                void readOnForUsage(
                  chunk === undefined ? [...parser.end(), undefined] : parser.feed(chunk),
                );
                return undefined;
              }
              if (chunk === undefined) {
                bodyEnded = true;
                queue = [...parser.end(), undefined];
              } else queue = parser.feed(chunk);
            }
          }
          while (queued < queue.length) {
            const event = queue[queued++];
            if (event === undefined) {
              // The end of the body: the translator's closing events, if the answer was whole.
              const closing = translator.end();
              if (closing !== undefined) text += formatSseMessages(closing);
              if (!translator.isComplete()) return text + fail(cutShort());
            } else {
              usage?.push(event);
              text += formatSseMessages(translator.push(event));
            }
            if (translator.isComplete()) {
              end({ complete: true });
              void drainRest(upstream, body);
              return text;
            }
          }
          if (text !== "") return text;
        }
      } catch (error) {
        if (ended) return undefined;
        if (leaving) {
          letGoAfterClientLeft();
          return undefined;
        }
        return (
          text +
          fail(
            error instanceof GatewayError
              ? error
              : new UpstreamConnectionError(
                  `The upstream stream broke off: ${describeNetworkError(error)}`,
                  { code: "stream_interrupted" },
                ),
          )
        );
      }
    },
    abort(error) {
      return ended ? "" : fail(error);
    },
    cancel() {
      if (ended || leaving) return;
      if (readOnMs > 0 && usage !== undefined && usage.usage() === undefined) {
        leaving = true;
        leaveTimer = setTimeout(() => upstream.body.destroy(), readOnMs);
        // A read under way (next()) carries on into readOnForUsage; otherwise one starts here.
        if (!reading) void readOnForUsage([]);
        return;
      }
      // The client went away: stop reading from Copilot at once.
      upstream.body.destroy();
      end({ complete: false, reason: CLIENT_LEFT });
    },
  };
}

/** What watches a stream for its usage: told every event; `usage()` once the final one passed. */
export interface UsageWatch {
  push(event: SseEvent): void;
  usage(): unknown;
}

const CLIENT_LEFT = "client closed the connection";

/**
 * After the last event only the end of the chunked body is left: read it, so the connection
 * goes back to the pool and no abort error is made (destroying a body that has not ended does
 * both), then let go of it in any case.
 */
async function drainRest(upstream: CopilotResponse, body: Readable): Promise<void> {
  try {
    for (let reads = 0; reads < 8; reads++) {
      if ((await readChunk(body)) === undefined) return;
    }
  } catch {
    // The answer is already complete; nothing left to tell anyone.
  } finally {
    upstream.body.destroy();
  }
}

/**
 * The next chunk of a body, or undefined at its end; fails with the body's error. What is
 * already buffered comes at once, all of it in one Buffer (cheaper than an async iterator, which
 * costs a promise and a generator step per chunk).
 */
function readChunk(body: Readable): Promise<Buffer | undefined> {
  const buffered = body.read() as Buffer | null;
  if (buffered !== null) return Promise.resolve(buffered);
  if (body.readableEnded) return Promise.resolve(undefined);
  if (body.errored !== null) return Promise.reject(body.errored);
  if (body.destroyed) return Promise.reject(prematureClose());
  return new Promise((resolve, reject) => {
    const onReadable = () => {
      const chunk = body.read() as Buffer | null;
      if (chunk === null) return; // the end, or nothing yet: "end" or the next "readable" follows
      cleanup();
      resolve(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(undefined);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      if (body.readableEnded) resolve(undefined);
      else reject(body.errored ?? prematureClose());
    };
    const cleanup = () => {
      body.off("readable", onReadable);
      body.off("end", onEnd);
      body.off("error", onError);
      body.off("close", onClose);
    };
    body.on("readable", onReadable);
    body.on("end", onEnd);
    body.on("error", onError);
    body.on("close", onClose);
  });
}

function cutShort(): GatewayError {
  return new UpstreamConnectionError("The upstream closed the stream before it finished", {
    code: "stream_interrupted",
  });
}

function ignoreError(): void {
  // Read from `body.errored` instead (see createEventStream).
}

function prematureClose(): Error {
  return new Error("The upstream body closed before it ended");
}
