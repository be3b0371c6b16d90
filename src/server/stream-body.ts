import type { ServerResponse } from "node:http";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Context } from "hono";
import type { AppEnv } from "./app-env.js";
import type { EventStream } from "./event-stream.js";

const STREAM_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
};

/**
 * Answers with an event stream. On a real socket each event is written straight to the Node
 * response as it is produced (no Web stream in between: fewer allocations, no read-ahead delay);
 * under `app.request()` in tests, through a ReadableStream.
 */
export function streamBody(c: Context<AppEnv>, events: EventStream): Response {
  const outgoing = (c.env as AppEnv["Bindings"] | undefined)?.outgoing;
  if (outgoing === undefined) {
    for (const [name, value] of Object.entries(STREAM_HEADERS)) c.header(name, value);
    return c.body(toReadableStream(events));
  }
  // Headers set so far by middleware and the route (request id, CORS, quota) go out too. They are
  // read through a throwaway response: touching `c.res` would make Hono wrap what we return.
  const headers: Record<string, string> = {};
  c.newResponse(null).headers.forEach((value, name) => {
    headers[name] = value;
  });
  Object.assign(headers, STREAM_HEADERS);
  outgoing.writeHead(200, headers);
  void pump(events, outgoing);
  return RESPONSE_ALREADY_SENT;
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
  const uncork = () => {
    corked = false;
    outgoing.uncork();
  };
  for (;;) {
    const text = await events.next();
    if (gone) return;
    if (text === undefined) break;
    if (!corked) {
      corked = true;
      outgoing.cork();
      setImmediate(uncork);
    }
    // Respect backpressure: a slow client must not make the gateway buffer the whole answer.
    if (!outgoing.write(text)) await waitForDrain(outgoing);
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

function toReadableStream(events: EventStream): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const text = await events.next();
        if (text === undefined) controller.close();
        else controller.enqueue(encoder.encode(text));
      },
      cancel() {
        events.cancel();
      },
    },
    { highWaterMark: 0 },
  );
}
