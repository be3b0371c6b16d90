import type { ServerResponse } from "node:http";
import type { EventStream } from "./event-stream.js";
import type { Exchange } from "./exchange.js";

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
  void pump(events, exchange.outgoing);
}

async function pump(events: EventStream, outgoing: ServerResponse): Promise<void> {
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
    if (!outgoing.write(text)) await waitForDrain(outgoing);
    else if (first) {
      // Node holds a response's writes until the current tick ends; the first text (and the
      // headers) must not wait for the rest of what already arrived to be worked on.
      first = false;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (gone) return;
  }
  outgoing.end();
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
