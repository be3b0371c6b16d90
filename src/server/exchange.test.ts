import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { Exchange } from "./exchange.js";

/** An exchange on a response that only closes, unfinished (the client left), when told to. */
function createExchange() {
  const incoming = Object.assign(new EventEmitter(), {
    method: "POST",
    url: "/v1/chat/completions",
    headers: {},
  });
  const outgoing = Object.assign(new EventEmitter(), { writableFinished: false });
  const exchange = new Exchange(
    incoming as unknown as IncomingMessage,
    outgoing as unknown as ServerResponse,
  );
  return { exchange, clientLeaves: () => outgoing.emit("close") };
}

describe("Exchange: the upstream call and the end of the answer when the client leaves", () => {
  it("aborts the upstream signal, and the answer is over, when the client leaves", () => {
    const { exchange, clientLeaves } = createExchange();
    const signal = exchange.signal;
    const over: string[] = [];
    exchange.whenOver(() => over.push("slot"));
    exchange.whenOver(() => over.push("count"));
    expect(over).toEqual([]);
    clientLeaves();
    expect(signal.aborted).toBe(true);
    expect(over).toEqual(["slot", "count"]);
  });

  it("keeps the upstream call, and the answer going, until the stream lets go", () => {
    const { exchange, clientLeaves } = createExchange();
    const signal = exchange.signal;
    const over: string[] = [];
    exchange.whenOver(() => over.push("slot"));
    const letGo = exchange.letUpstreamOutliveClient();
    clientLeaves();
    expect(signal.aborted).toBe(false);
    expect(over).toEqual([]);
    letGo();
    letGo();
    expect(over).toEqual(["slot"]);
  });

  it("is over when the client leaves if the stream let go before (its answer was whole)", () => {
    const { exchange, clientLeaves } = createExchange();
    const over: string[] = [];
    exchange.whenOver(() => over.push("slot"));
    exchange.letUpstreamOutliveClient()();
    expect(over).toEqual([]);
    clientLeaves();
    expect(over).toEqual(["slot"]);
  });
});
