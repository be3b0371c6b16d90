import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import type { EventStream } from "./event-stream.js";
import { Exchange } from "./exchange.js";
import { streamBody } from "./stream-body.js";
import { createStreamBuffers } from "./stream-buffers.js";

/** A Node response that records what is written, and when the socket is corked. */
function createResponse(options: { stalled?: boolean } = {}) {
  const log: string[] = [];
  const response = Object.assign(new EventEmitter(), {
    writableFinished: false,
    headersSent: false,
    writeHead(status: number) {
      log.push(`head ${status}`);
      response.headersSent = true;
    },
    writableLength: 0,
    write(text: string) {
      log.push(`write ${text}`);
      response.writableLength += text.length;
      return options.stalled !== true;
    },
    destroy() {
      log.push("destroy");
    },
    cork: () => log.push("cork"),
    uncork: () => log.push("uncork"),
    end(text?: string) {
      log.push(text === undefined ? "end" : `end ${text}`);
      response.writableFinished = true;
    },
  });
  return { response: response as unknown as ServerResponse, log };
}

/**
 * Texts already there (as when one upstream read brought them all), and when each was asked for;
 * `endsWithLast`: the stream knows its last text is the last (the answer completed with it).
 */
function createEvents(texts: string[], log: string[], endsWithLast = false): EventStream {
  const pending = [...texts];
  let ended = false;
  return {
    isOver: () => ended,
    next: () => {
      log.push("next");
      const text = pending.shift();
      ended ||= text === undefined || (endsWithLast && pending.length === 0);
      return Promise.resolve(text);
    },
    cancel: () => log.push("cancel"),
    abort: (error) => {
      log.push(`abort ${error.code ?? ""}`);
      ended = true;
      return "failure\n";
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("streamBody", () => {
  it("lets the first text go before working on the rest; later texts of one turn leave together", async () => {
    const incoming = { method: "POST", url: "/v1/chat/completions", headers: {} };
    const { response, log } = createResponse();
    const exchange = new Exchange(incoming as unknown as IncomingMessage, response);
    streamBody(exchange, createEvents(["a", "b", "c"], log));
    // Let the microtasks run: the first text is out, and nothing else has been asked for yet.
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(["head 200", "next", "write a"]);
    await tick();
    await tick();
    expect(log).toEqual([
      "head 200",
      "next",
      "write a",
      "next",
      "cork",
      "write b",
      "next",
      "write c",
      "next",
      "end",
      "uncork",
    ]);
  });

  it("sends the last text and the end of the body in one write", async () => {
    const incoming = { method: "POST", url: "/v1/chat/completions", headers: {} };
    const { response, log } = createResponse();
    const exchange = new Exchange(incoming as unknown as IncomingMessage, response);
    streamBody(exchange, createEvents(["a", "b"], log, true));
    await tick();
    await tick();
    expect(log).toEqual(["head 200", "next", "write a", "next", "end b"]);
  });

  it("a stream past STREAM_BUFFER_LIMIT while its client lags is ended with the error event", async () => {
    const incoming = { method: "POST", url: "/v1/chat/completions", headers: {} };
    const { response, log } = createResponse({ stalled: true });
    const exchange = new Exchange(incoming as unknown as IncomingMessage, response);
    exchange.streamBuffers = createStreamBuffers({ limitBytes: 5 });
    streamBody(exchange, createEvents(["four", "more"], log));
    await tick();
    expect(log).toEqual(["head 200", "next", "write four"]);
    expect(exchange.streamBuffers.total()).toBe(4);
    // The client never drains; the next stream to lag takes the total past the limit.
    const other = createResponse({ stalled: true });
    const otherExchange = new Exchange(incoming as unknown as IncomingMessage, other.response);
    otherExchange.streamBuffers = exchange.streamBuffers;
    streamBody(otherExchange, createEvents(["xy"], other.log));
    await tick();
    expect(log).toEqual(["head 200", "next", "write four", "abort slow_reader", "end failure\n"]);
    expect(other.log).toEqual(["head 200", "next", "write xy"]);
    expect(exchange.streamBuffers.total()).toBe(2);
  });
});
