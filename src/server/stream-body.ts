import type { ServerResponse } from "node:http";
import { OverloadedError } from "../errors.js";
import type { EventStream } from "./event-stream.js";
import type { Exchange } from "./exchange.js";
import type { HeldStream, StreamBuffers } from "./stream-buffers.js";

const STREAM_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
};

/**
 * Answers with an event stream: each event is written straight to the Node response as it is
 * produced (no Web stream in between: fewer allocations, no read-ahead delay), with the headers
 * set so far (request id, CORS, quota).
 */
export function streamBody(exchange: Exchange, events: EventStream): void {
  exchange.start(200, STREAM_HEADERS);
  void pump(events, exchange.outgoing, exchange.streamBuffers);
}

async function pump(
  events: EventStream,
  outgoing: ServerResponse,
  buffers: StreamBuffers | undefined,
): Promise<void> {
  let gone = false;
  const onClose = () => {
    if (!outgoing.writableFinished) {
      gone = true;
      events.cancel();
    }
  };
  outgoing.once("close", onClose);
  // Events that arrive together (one upstream read) leave together, in one write: the socket is
  // corked until the event loop has handled everything already received.
  let corked = false;
  let first = true;
  // Made the first time the client lags: the stream as the shared buffer limit sees it.
  let held: HeldStream | undefined;
  const uncork = () => {
    corked = false;
    outgoing.uncork();
  };
  for (;;) {
    const text = await events.next();
    if (gone) return;
    if (text === undefined) break;
    if (events.isOver()) {
      // The last text and the end of the body leave in one write.
      outgoing.end(text);
      return;
    }
    if (!first && !corked) {
      corked = true;
      outgoing.cork();
      setImmediate(uncork);
    }
    // Respect backpressure: a slow client must not make the gateway buffer the whole answer.
    if (!outgoing.write(text)) {
      if (buffers === undefined) await waitForDrain(outgoing);
      else {
        held ??= { held: 0, cut: () => cutSlowReader(events, outgoing, held?.held ?? 0) };
        held.held = outgoing.writableLength;
        buffers.hold(held);
        await waitForDrain(outgoing);
        buffers.release(held);
      }
    } else if (first) {
      // Node holds a response's writes until the current tick ends; the first text (and the
      // headers) must not wait for the rest of what already arrived to be worked on.
      first = false;
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Cut while it waited for its client (see cutSlowReader): the answer is already ended.
    if (gone || events.isOver()) return;
  }
  outgoing.end();
}

/** How long a cut stream's error event has to reach a client that still reads, however slowly. */
const CUT_GRACE_MS = 1_000;

/**
 * Past STREAM_BUFFER_LIMIT, the stream is ended with the dialect's error event. A client that
 * reads nothing never gets it: the connection is closed after a short grace either way, which
 * frees what was held for it and its slot.
 */
function cutSlowReader(events: EventStream, outgoing: ServerResponse, held: number): void {
  const failure = events.abort(
    new OverloadedError(
      `The client read the stream too slowly: ${held} bytes were waiting for it when the gateway's room for slow readers (STREAM_BUFFER_LIMIT) was full`,
      { code: "slow_reader", retryAfter: "5" },
    ),
  );
  outgoing.end(failure);
  const timer = setTimeout(() => outgoing.destroy(), CUT_GRACE_MS);
  timer.unref();
  outgoing.once("close", () => clearTimeout(timer));
}

function waitForDrain(outgoing: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      outgoing.off("drain", done);
      outgoing.off("close", done);
      resolve();
    };
    outgoing.once("drain", done);
    outgoing.once("close", done);
  });
}
