import { describe, expect, it } from "vitest";
import { retry, sleepFor } from "./retry.js";

function harness(budgetMs = 10_000, retries = 3) {
  let time = 0;
  const delays: number[] = [];
  const policy = {
    retries,
    budgetMs,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    random: () => 0.5,
    now: () => time,
    sleep: async (ms: number) => {
      delays.push(ms);
      time += ms;
    },
  };
  return { policy, delays };
}

describe("retry", () => {
  it("retries retryable failures with growing, jittered delays", async () => {
    const { policy, delays } = harness();
    let calls = 0;
    const result = await retry(
      policy,
      () => true,
      async ({ attempt }) => {
        calls++;
        if (attempt < 3) throw new Error(`fail ${attempt}`);
        return "ok";
      },
    );
    expect([result, calls, delays]).toEqual(["ok", 4, [75, 150, 300]]);
  });

  it("gives up after the retries and throws the last error", async () => {
    const { policy } = harness(10_000, 2);
    let calls = 0;
    await expect(
      retry(
        policy,
        () => true,
        async () => {
          calls++;
          throw new Error(`fail ${calls}`);
        },
      ),
    ).rejects.toThrow("fail 3");
  });

  it("does not retry what is not retryable", async () => {
    const { policy } = harness();
    let calls = 0;
    await expect(
      retry(
        policy,
        () => false,
        async () => {
          calls++;
          throw new Error("no");
        },
      ),
    ).rejects.toThrow("no");
    expect(calls).toBe(1);
  });

  it("stops when the next wait would exceed the time budget", async () => {
    const { policy, delays } = harness(200, 5);
    let calls = 0;
    await expect(
      retry(
        policy,
        () => true,
        async () => {
          calls++;
          throw new Error("down");
        },
      ),
    ).rejects.toThrow("down");
    expect([calls, delays]).toEqual([2, [75]]);
  });

  it("caps the delay", async () => {
    const { policy, delays } = harness(100_000, 6);
    await retry(
      policy,
      () => true,
      async ({ attempt }) => {
        if (attempt < 6) throw new Error("x");
        return 1;
      },
    );
    expect(delays).toEqual([75, 150, 300, 600, 750, 750]);
  });

  it("does not retry once the signal has aborted", async () => {
    const { policy } = harness();
    const controller = new AbortController();
    let calls = 0;
    await expect(
      retry(
        policy,
        () => true,
        async () => {
          calls++;
          controller.abort();
          throw new Error("gone");
        },
        controller.signal,
      ),
    ).rejects.toThrow("gone");
    expect(calls).toBe(1);
  });
});

describe("sleepFor", () => {
  it("rejects at once when aborted", async () => {
    const controller = new AbortController();
    const pending = sleepFor(60_000, controller.signal);
    controller.abort(new Error("client left"));
    await expect(pending).rejects.toThrow("client left");
  });
});
