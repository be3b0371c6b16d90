import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors.js";
import {
  createUpstreamLimit,
  type Release,
  type UpstreamLimit,
  type Waiting,
} from "./upstream-limit.js";

/** A clock that runs scheduled callbacks only when told to. */
function createManualClock() {
  let now = 0;
  const timers = new Set<{ at: number; callback: () => void }>();
  return {
    schedule: (callback: () => void, ms: number) => {
      const timer = { at: now + ms, callback };
      timers.add(timer);
      return () => timers.delete(timer);
    },
    advance(ms: number) {
      now += ms;
      for (const timer of [...timers]) {
        if (timer.at <= now) {
          timers.delete(timer);
          timer.callback();
        }
      }
    },
    pending: () => timers.size,
  };
}

function limitWith(maxTotal: number, maxPerCredential: number) {
  const clock = createManualClock();
  const limit = createUpstreamLimit({
    maxTotal,
    maxPerCredential,
    queueTimeoutMs: 1_000,
    retryAfterSeconds: 5,
    schedule: clock.schedule,
  });
  return { limit, clock };
}

function granted(limit: UpstreamLimit, credential: string): Release {
  const slot = limit.acquire(credential);
  if (typeof slot !== "function") throw new Error("expected a slot at once");
  return slot;
}

function queued(limit: UpstreamLimit, credential: string): Waiting {
  const slot = limit.acquire(credential);
  if (typeof slot === "function") throw new Error("expected to wait");
  return slot;
}

/** What a refused request answers: status, kind, code, Retry-After and message. */
function refusal(thrown: unknown) {
  if (!(thrown instanceof GatewayError)) throw thrown;
  return {
    status: thrown.status,
    kind: thrown.kind,
    code: thrown.code,
    retryAfter: thrown.retryAfter,
    message: thrown.message,
  };
}

function refusalOf(act: () => unknown) {
  try {
    act();
  } catch (error) {
    return refusal(error);
  }
  throw new Error("expected a refusal");
}

describe("createUpstreamLimit", () => {
  it("grants slots at once up to the per-credential limit, then queues", () => {
    const { limit } = limitWith(10, 2);
    granted(limit, "a");
    granted(limit, "a");
    queued(limit, "a");
    granted(limit, "b");
    expect(limit.counts()).toEqual({ active: 3, queued: 1 });
  });

  it("refuses at once with 503 and Retry-After when the gateway is full", () => {
    const { limit } = limitWith(2, 5);
    granted(limit, "a");
    granted(limit, "b");
    expect(refusalOf(() => limit.acquire("c"))).toEqual({
      status: 503,
      kind: "overloaded",
      code: "server_busy",
      retryAfter: "5",
      message:
        "The gateway is serving its limit of 2 requests at once (UPSTREAM_CONCURRENCY); try again in 5 s",
    });
    expect(limit.counts()).toEqual({ active: 2, queued: 0 });
  });

  it("hands a freed slot to the same credential's next request, in arrival order", async () => {
    const { limit, clock } = limitWith(10, 2);
    const first = granted(limit, "a");
    granted(limit, "a");
    const second = queued(limit, "a");
    const third = queued(limit, "a");
    expect(limit.counts()).toEqual({ active: 2, queued: 2 });
    first();
    const secondRelease = await second.slot;
    expect(limit.counts()).toEqual({ active: 2, queued: 1 });
    expect(clock.pending()).toBe(1);
    secondRelease();
    (await third.slot)();
    expect(limit.counts()).toEqual({ active: 1, queued: 0 });
    expect(clock.pending()).toBe(0);
  });

  it("a second release of the same slot does nothing", () => {
    const { limit } = limitWith(10, 2);
    const release = granted(limit, "a");
    granted(limit, "a");
    release();
    release();
    expect(limit.counts()).toEqual({ active: 1, queued: 0 });
  });

  it("fails a request that waited past the queue timeout with 503", async () => {
    const { limit, clock } = limitWith(10, 1);
    granted(limit, "a");
    const waiting = queued(limit, "a");
    clock.advance(999);
    expect(limit.counts()).toEqual({ active: 1, queued: 1 });
    clock.advance(1);
    expect(refusal(await waiting.slot.catch((error: unknown) => error))).toEqual({
      status: 503,
      kind: "overloaded",
      code: "queue_timeout",
      retryAfter: "5",
      message:
        "This credential's 1 requests in progress (CREDENTIAL_CONCURRENCY) freed no slot within 1000 ms (QUEUE_TIMEOUT); try again in 5 s",
    });
    expect(limit.counts()).toEqual({ active: 1, queued: 0 });
  });

  it("bounds a credential's queue by its limit, refusing the next at once", () => {
    const { limit } = limitWith(10, 2);
    granted(limit, "a");
    granted(limit, "a");
    queued(limit, "a");
    queued(limit, "a");
    expect(refusalOf(() => limit.acquire("a"))).toEqual({
      status: 503,
      kind: "overloaded",
      code: "credential_busy",
      retryAfter: "5",
      message:
        "This credential has 2 requests in progress and 2 waiting (CREDENTIAL_CONCURRENCY); try again in 5 s",
    });
    expect(limit.counts()).toEqual({ active: 2, queued: 2 });
  });

  it("a request whose client left gives up its place; the slot goes to the next", async () => {
    const { limit, clock } = limitWith(10, 2);
    const first = granted(limit, "a");
    granted(limit, "a");
    const gone = queued(limit, "a");
    const next = queued(limit, "a");
    gone.leave();
    const error = (await gone.slot.catch((thrown: unknown) => thrown)) as Error;
    expect([error.name, error.message]).toEqual([
      "AbortError",
      "The client closed the connection while waiting for a slot",
    ]);
    expect(limit.counts()).toEqual({ active: 2, queued: 1 });
    first();
    (await next.slot)();
    expect(limit.counts()).toEqual({ active: 1, queued: 0 });
    expect(clock.pending()).toBe(0);
  });

  it("frees a credential's entry once its last slot is back, so the map does not grow", () => {
    const { limit } = limitWith(10, 1);
    for (let index = 0; index < 100; index++) granted(limit, `key-${index % 10}`)();
    expect(limit.counts()).toEqual({ active: 0, queued: 0 });
    granted(limit, "key-0");
    expect(limit.counts()).toEqual({ active: 1, queued: 0 });
  });
});
