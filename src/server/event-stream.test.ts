import { Readable } from "node:stream";
import { errors } from "undici";
import { describe, expect, it } from "vitest";
import type { CopilotResponse } from "../copilot/copilot-client.js";
import type { StreamTranslator } from "../dialects/dialect.js";
import { UpstreamError } from "../errors.js";
import type { SseMessage } from "../sse/format-sse.js";
import type { SseEvent } from "../sse/parse-sse.js";
import { createEventStream, type StreamOutcome } from "./event-stream.js";

/** A Copilot answer whose body the test pushes by hand. */
function createUpstream(): { upstream: CopilotResponse; body: Readable } {
  const body = new Readable({ read() {} });
  const upstream = { status: 200, headers: {}, body, accountKey: "a" };
  return { upstream: upstream as unknown as CopilotResponse, body };
}

/**
 * Relays each event as it came until `[DONE]`; `onEvent` may change what an event gives, and
 * `closing` is what the end of the body gives (undefined: the answer was cut short).
 */
function relayUntilDone(
  options: {
    onEvent?: (event: SseEvent) => SseMessage[] | undefined;
    closing?: () => SseMessage[] | undefined;
  } = {},
): StreamTranslator {
  let complete = false;
  return {
    push(event) {
      const custom = options.onEvent?.(event);
      if (custom !== undefined) return custom;
      if (event.data === "[DONE]") complete = true;
      return [{ event: event.event, data: event.data }];
    },
    end() {
      const closing = options.closing?.();
      if (closing !== undefined) complete = true;
      return closing;
    },
    isComplete: () => complete,
    fail: (error) => [{ data: `failure: ${error.message}` }],
  };
}

function start(translator: StreamTranslator = relayUntilDone()) {
  const { upstream, body } = createUpstream();
  const outcomes: StreamOutcome[] = [];
  const events = createEventStream(upstream, translator, (outcome) => {
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

  it("skips events that give the client nothing", async () => {
    const { events, body } = start(
      relayUntilDone({ onEvent: (event) => (event.data === "x" ? [] : undefined) }),
    );
    body.push("data: x\n\n");
    body.push("data: y\n\n");
    expect(await events.next()).toBe("data: y\n\n");
  });

  it("sends what came before a failing event, then the failure event, once", async () => {
    const translator = relayUntilDone({
      onEvent: (event) => {
        if (event.data === "bad") throw new UpstreamError(502, "Copilot sent an error", {});
        return undefined;
      },
    });
    const { events, body, outcomes } = start(translator);
    body.push("data: a\n\ndata: b\n\ndata: bad\n\ndata: c\n\n");
    expect(await events.next()).toBe(
      "data: a\n\ndata: b\n\ndata: failure: Copilot sent an error\n\n",
    );
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
      "data: b\n\ndata: failure: The upstream closed the stream before it finished\n\n",
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

  it("sends the translator's closing events at the end of the body", async () => {
    const { events, body, outcomes } = start(
      relayUntilDone({ closing: () => [{ event: "end", data: "1" }, { data: "2" }] }),
    );
    body.push("data: a\n\n");
    body.push(null);
    expect(await events.next()).toBe("data: a\n\n");
    expect(outcomes).toEqual([]);
    expect(await events.next()).toBe("event: end\ndata: 1\n\ndata: 2\n\n");
    expect(outcomes).toEqual([{ complete: true }]);
  });

  it("turns a broken body into a failure event", async () => {
    const { events, body, outcomes } = start();
    body.push("data: a\n\n");
    expect(await events.next()).toBe("data: a\n\n");
    body.destroy(new errors.BodyTimeoutError());
    expect(await events.next()).toBe(
      "data: failure: The upstream stream broke off: the response stalled\n\n",
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

  describe("with ABORTED_STREAM_WAIT: the rest read for the final usage after the client left", () => {
    /** A usage watch whose final usage is the event `data: usage`. */
    function watchUsage() {
      const seen: string[] = [];
      let final: string | undefined;
      return {
        seen,
        push(event: SseEvent) {
          seen.push(event.data);
          if (event.data === "usage") final = event.data;
        },
        usage: () => final,
      };
    }

    function startReadingOn(readOnMs: number) {
      const { upstream, body } = createUpstream();
      const outcomes: StreamOutcome[] = [];
      const usage = watchUsage();
      const events = createEventStream(
        upstream,
        relayUntilDone(),
        (outcome) => outcomes.push(outcome),
        usage,
        readOnMs,
      );
      return { events, body, outcomes, usage };
    }

    it("reads on to the final usage when the client leaves during a read, then lets go", async () => {
      const { events, body, outcomes, usage } = startReadingOn(5_000);
      body.push("data: a\n\n");
      expect(await events.next()).toBe("data: a\n\n");
      const next = events.next();
      events.cancel();
      expect(body.destroyed).toBe(false);
      body.push("data: b\n\n");
      expect(await next).toBeUndefined();
      expect(outcomes).toEqual([]);
      body.push("data: c\n\ndata: usage\n\n");
      await new Promise((resolve) => setImmediate(resolve));
      expect(usage.seen).toEqual(["a", "b", "c", "usage"]);
      expect(outcomes).toEqual([
        {
          complete: false,
          reason: "client closed the connection; the rest was read for Copilot's cost",
        },
      ]);
      expect(await events.next()).toBeUndefined();
    });

    it("reads on when the client leaves between reads too", async () => {
      const { events, body, outcomes, usage } = startReadingOn(5_000);
      body.push("data: a\n\n");
      expect(await events.next()).toBe("data: a\n\n");
      events.cancel();
      events.cancel();
      body.push("data: usage\n\n");
      await new Promise((resolve) => setImmediate(resolve));
      expect(usage.seen).toEqual(["a", "usage"]);
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]?.reason).toContain("the rest was read");
    });

    it("lets go at the wait's end without the usage, as when it does not read on", async () => {
      const { events, body, outcomes, usage } = startReadingOn(30);
      body.push("data: a\n\n");
      expect(await events.next()).toBe("data: a\n\n");
      events.cancel();
      body.push("data: b\n\n");
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(body.destroyed).toBe(true);
      expect(usage.seen).toEqual(["a", "b"]);
      expect(outcomes).toEqual([{ complete: false, reason: "client closed the connection" }]);
    });

    it("lets go when the body ends or breaks before the usage", async () => {
      const ended = startReadingOn(5_000);
      ended.events.cancel();
      ended.body.push("data: a\n\n");
      ended.body.push(null);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(ended.outcomes).toEqual([{ complete: false, reason: "client closed the connection" }]);
      const broken = startReadingOn(5_000);
      const next = broken.events.next();
      broken.events.cancel();
      broken.body.destroy(new errors.BodyTimeoutError());
      expect(await next).toBeUndefined();
      expect(broken.outcomes).toEqual([
        { complete: false, reason: "client closed the connection" },
      ]);
    });

    it("does not read on once the final usage has passed", async () => {
      const { events, body, outcomes } = startReadingOn(5_000);
      body.push("data: usage\n\n");
      expect(await events.next()).toBe("data: usage\n\n");
      events.cancel();
      expect(body.destroyed).toBe(true);
      expect(outcomes).toEqual([{ complete: false, reason: "client closed the connection" }]);
    });
  });
});
