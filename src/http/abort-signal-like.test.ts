import { describe, expect, it } from "vitest";
import { LightAbortSignal } from "./abort-signal-like.js";

describe("LightAbortSignal", () => {
  it("calls each listener once, with the reason set, and forgets removed ones", () => {
    const signal = new LightAbortSignal();
    const calls: string[] = [];
    const a = () => calls.push(`a:${String(signal.reason)}`);
    const b = () => calls.push("b");
    signal.addEventListener("abort", a);
    signal.addEventListener("abort", b);
    signal.removeEventListener("abort", b);
    signal.abort("gone");
    signal.abort("again");
    expect([signal.aborted, signal.reason, calls]).toEqual([true, "gone", ["a:gone"]]);
  });

  it("ignores listeners added after the abort", () => {
    const signal = new LightAbortSignal();
    signal.abort("x");
    let called = false;
    signal.addEventListener("abort", () => (called = true));
    expect(called).toBe(false);
  });
});
