import { describe, expect, it } from "vitest";
import { createStreamBuffers, type HeldStream } from "./stream-buffers.js";

function streamsWith(cuts: string[]) {
  return (name: string, held: number): HeldStream => ({ held, cut: () => cuts.push(name) });
}

describe("createStreamBuffers", () => {
  it("counts what waiting streams hold, and forgets a stream once its client read", () => {
    const cuts: string[] = [];
    const stream = streamsWith(cuts);
    const buffers = createStreamBuffers({ limitBytes: 100 });
    const a = stream("a", 40);
    const b = stream("b", 60);
    buffers.hold(a);
    buffers.hold(b);
    expect(buffers.total()).toBe(100);
    buffers.release(a);
    buffers.release(a);
    expect(buffers.total()).toBe(60);
    expect(cuts).toEqual([]);
  });

  it("past the limit cuts the streams holding the most until the rest fit", () => {
    const cuts: string[] = [];
    const stream = streamsWith(cuts);
    const buffers = createStreamBuffers({ limitBytes: 100 });
    buffers.hold(stream("small", 10));
    const big = stream("big", 50);
    buffers.hold(big);
    buffers.hold(stream("middle", 30));
    buffers.hold(stream("new", 40));
    expect(cuts).toEqual(["big"]);
    expect(buffers.total()).toBe(80);
    buffers.release(big);
    expect(buffers.total()).toBe(80);
    buffers.hold(stream("huge", 200));
    expect(cuts).toEqual(["big", "huge"]);
    expect(buffers.total()).toBe(80);
  });
});
