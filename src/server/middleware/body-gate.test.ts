import { describe, expect, it } from "vitest";
import { AuthenticationError, OverloadedError } from "../../errors.js";
import { createBodyGate, type BodyGateOptions } from "./body-gate.js";

const LARGE = { "content-length": "300000" };
const SMALL = { "content-length": "2000" };

function setup(overrides: Partial<BodyGateOptions> = {}) {
  const verified: string[] = [];
  const timers: { callback: () => void; ms: number; cleared: boolean }[] = [];
  const gate = createBodyGate({
    largeBodyBytes: 256 * 1024,
    maxLargeBodies: 2,
    maxWaitMs: 5000,
    verifyGithubToken: (token) => {
      verified.push(token);
      return token === "ghu_bad"
        ? Promise.reject(new AuthenticationError("Bad credentials"))
        : Promise.resolve();
    },
    setTimeout: (callback, ms) => {
      const timer = { callback, ms, cleared: false, unref: () => undefined };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (timer) => {
      (timer as { cleared: boolean }).cleared = true;
    },
    ...overrides,
  });
  return { gate, verified, timers };
}

describe("createBodyGate", () => {
  it("lets a small body through at once, without asking GitHub", async () => {
    const { gate, verified, timers } = setup();
    for (let i = 0; i < 5; i++) {
      await gate({ headers: SMALL, githubToken: "ghu_bad", vouched: false });
    }
    expect(verified).toEqual([]);
    expect(timers).toEqual([]);
  });

  it("proves a client's GitHub token before a large body, and refuses the one GitHub refuses", async () => {
    const { gate, verified } = setup();
    const release = await gate({ headers: LARGE, githubToken: "ghu_good", vouched: false });
    release();
    await expect(gate({ headers: LARGE, githubToken: "ghu_bad", vouched: false })).rejects.toThrow(
      AuthenticationError,
    );
    expect(verified).toEqual(["ghu_good", "ghu_bad"]);
  });

  it("takes a credential the gateway vouches for without asking GitHub", async () => {
    const { gate, verified } = setup();
    (await gate({ headers: LARGE, githubToken: "ghu_server", vouched: true }))();
    expect(verified).toEqual([]);
  });

  it("counts a body of unknown length (chunked) as large", async () => {
    const { gate, verified } = setup();
    const chunked = { "transfer-encoding": "chunked" };
    (await gate({ headers: chunked, githubToken: "ghu_good", vouched: false }))();
    expect(verified).toEqual(["ghu_good"]);
  });

  it("reads at most maxLargeBodies at once; the next waits for a turn given back", async () => {
    const { gate, timers } = setup();
    const request = { headers: LARGE, githubToken: "ghu_good", vouched: false };
    const first = await gate(request);
    const second = await gate(request);
    let thirdIn = false;
    const third = gate(request).then((release) => {
      thirdIn = true;
      return release;
    });
    await Promise.resolve();
    expect(thirdIn).toBe(false);
    expect(timers.map(({ ms, cleared }) => ({ ms, cleared }))).toEqual([
      { ms: 5000, cleared: false },
    ]);
    first();
    first(); // a second call gives nothing back twice
    const releaseThird = await third;
    expect(thirdIn).toBe(true);
    expect(timers[0]?.cleared).toBe(true);
    // Two are in (second, third): a fourth waits.
    let fourthIn = false;
    void gate(request).then(() => (fourthIn = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(fourthIn).toBe(false);
    second();
    releaseThird();
  });

  it("answers 503 with Retry-After when no turn comes within maxWaitMs", async () => {
    const { gate, timers } = setup({ maxLargeBodies: 1 });
    const request = { headers: LARGE, githubToken: "ghu_good", vouched: true };
    const first = await gate(request);
    const waiting = gate(request);
    await Promise.resolve();
    timers[0]?.callback();
    const error = await waiting.catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OverloadedError);
    expect(error).toMatchObject({
      status: 503,
      code: "server_busy",
      retryAfter: "1",
      message:
        "The gateway is reading 1 large request bodies already (MAX_LARGE_BODIES); try again in a moment",
    });
    // The one that timed out is gone from the queue: the turn goes to the next newcomer.
    first();
    const next = await gate(request);
    next();
  });
});
