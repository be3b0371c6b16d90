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

describe("Exchange and the upstream call when the client leaves", () => {
  it("aborts the upstream signal and lets go at once by default", () => {
    const { exchange, clientLeaves } = createExchange();
    const signal = exchange.signal;
    const released: string[] = [];
    clientLeaves();
    exchange.whenUpstreamLetGo(() => released.push("slot"));
    expect(signal.aborted).toBe(true);
    expect(released).toEqual(["slot"]);
  });

  it("keeps the upstream call and what waits for it until the stream lets go", () => {
    const { exchange, clientLeaves } = createExchange();
    const signal = exchange.signal;
    const letGo = exchange.letUpstreamOutliveClient();
    const released: string[] = [];
    clientLeaves();
    exchange.whenUpstreamLetGo(() => released.push("slot"));
    expect(signal.aborted).toBe(false);
    expect(released).toEqual([]);
    letGo();
    letGo();
    expect(released).toEqual(["slot"]);
    // Anything that asks later is let go at once.
    exchange.whenUpstreamLetGo(() => released.push("later"));
    expect(released).toEqual(["slot", "later"]);
  });
});
