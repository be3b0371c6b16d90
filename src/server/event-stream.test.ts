import { Readable } from "node:stream";
import { errors } from "undici";
import { describe, expect, it } from "vitest";
import type { CopilotResponse } from "../copilot/copilot-client.js";
import { UpstreamError, type GatewayError } from "../errors.js";
import type { SseEvent } from "../sse/parse-sse.js";
import {
  createEventStream,
  relayEvents,
  type StepFunction,
  type StreamOutcome,
} from "./event-stream.js";

/** A Copilot answer whose body the test pushes by hand. */
function createUpstream(): { upstream: CopilotResponse; body: Readable } {
  const body = new Readable({ read() {} });
  const upstream = { status: 200, headers: {}, body, accountKey: "a" };
  return { upstream: upstream as unknown as CopilotResponse, body };
}

const renderFailure = (error: GatewayError) => `failure: ${error.message}\n\n`;
const relayUntilDone = relayEvents((event) => event.data === "[DONE]");

function start(step: StepFunction = relayUntilDone) {
  const { upstream, body } = createUpstream();
  const outcomes: StreamOutcome[] = [];
  const events = createEventStream(upstream, step, renderFailure, (outcome) => {
    outcomes.push(outcome);
  });
  return { events, body, outcomes };
}

describe("createEventStream", () => {
  it("hands over all the events one read completes in one next(), the first ones too", async () => {
    const { events, body, outcomes } = start();
    body.push("data: a\n\nevent: e\ndata: b\n\ndata: f\n\ndata: c");
    expect(await events.next()).toBe("data: a\n\nevent: e\ndata: b\n\ndata: f\n\n");
    body.push("\n\ndata: [DONE]\n\ndata: after\n\n");
    expect(await events.next()).toBe("data: c\n\ndata: [DONE]\n\n");
    expect(outcomes).toEqual([{ complete: true }]);
    expect(await events.next()).toBeUndefined();
  });

  it("waits for a read that completes an event, without holding one back", async () => {
    const { events, body } = start();
    const next = events.next();
    body.push("data: a");
    await new Promise((resolve) => setImmediate(resolve));
    body.push("\n\n");
    expect(await next).toBe("data: a\n\n");
  });

  it("skips events whose step gives no text", async () => {
    const step: StepFunction = (event) =>
      event === undefined
        ? { done: true }
        : { text: event.data === "x" ? "" : event.data, complete: false };
    const { events, body } = start(step);
    body.push("data: x\n\n");
    body.push("data: y\n\n");
    expect(await events.next()).toBe("y");
  });

  it("sends what came before a failing event, then the failure event, once", async () => {
    const step: StepFunction = (event) => {
      if (event?.data === "bad") throw new UpstreamError(502, "Copilot sent an error", {});
      return relayUntilDone(event);
    };
    const { events, body, outcomes } = start(step);
    body.push("data: a\n\ndata: b\n\ndata: bad\n\ndata: c\n\n");
    expect(await events.next()).toBe("data: a\n\ndata: b\n\nfailure: Copilot sent an error\n\n");
    expect(outcomes).toEqual([{ complete: false, reason: "Copilot sent an error" }]);
    expect(body.destroyed).toBe(true);
    expect(await events.next()).toBeUndefined();
  });

  it("turns a body that ends before the final event into a failure event", async () => {
    const { events, body, outcomes } = start();
    body.push("data: a\n\ndata: b\n");
    body.push(null);
    expect(await events.next()).toBe("data: a\n\n");
    expect(await events.next()).toBe(
      "data: b\n\nfailure: The upstream closed the stream before it finished\n\n",
    );
    expect(outcomes).toEqual([
      { complete: false, reason: "The upstream closed the stream before it finished" },
    ]);
  });

  it("delivers a final event that lacks only its blank line", async () => {
    const { events, body, outcomes } = start();
    body.push("data: [DONE]\n");
    body.push(null);
    expect(await events.next()).toBe("data: [DONE]\n\n");
    expect(outcomes).toEqual([{ complete: true }]);
  });

  it("keeps asking the step at the end of the body until it completes", async () => {
    const ends: string[] = ["closing 1", "closing 2"];
    const step: StepFunction = (event) => {
      if (event !== undefined) return { text: "", complete: false };
      const text = ends.shift() ?? "";
      return { text, complete: ends.length === 0 };
    };
    const { events, body, outcomes } = start(step);
    body.push(null);
    expect(await events.next()).toBe("closing 1");
    expect(outcomes).toEqual([]);
    expect(await events.next()).toBe("closing 2");
    expect(outcomes).toEqual([{ complete: true }]);
  });

  it("turns a broken body into a failure event", async () => {
    const { events, body, outcomes } = start();
    body.push("data: a\n\n");
    expect(await events.next()).toBe("data: a\n\n");
    body.destroy(new errors.BodyTimeoutError());
    expect(await events.next()).toBe(
      "failure: The upstream stream broke off: the response stalled\n\n",
    );
    expect(outcomes).toEqual([
      { complete: false, reason: "The upstream stream broke off: the response stalled" },
    ]);
  });

  it("stops reading at once when the client goes away", async () => {
    const { events, body, outcomes } = start();
    const next = events.next();
    events.cancel();
    expect(body.destroyed).toBe(true);
    expect(await next).toBeUndefined();
    expect(outcomes).toEqual([{ complete: false, reason: "client closed the connection" }]);
    expect(await events.next()).toBeUndefined();
  });
});

describe("relayEvents", () => {
  const event = (data: string, name?: string): SseEvent => ({ event: name, data, id: undefined });

  it("writes each event as it came, and is done at the end of the body", () => {
    expect(relayUntilDone(event("a\nb", "e"))).toEqual({
      text: "event: e\ndata: a\ndata: b\n\n",
      complete: false,
    });
    // Each line of multi-line data keeps its own `data:` field, named event or not.
    expect(relayUntilDone(event("a\nb"))).toEqual({
      text: "data: a\ndata: b\n\n",
      complete: false,
    });
    expect(relayUntilDone(event("[DONE]"))).toEqual({ text: "data: [DONE]\n\n", complete: true });
    expect(relayUntilDone(undefined)).toEqual({ done: true });
  });
});
