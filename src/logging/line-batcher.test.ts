import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { createLineBatcher, writeUnwrittenLines, type LineSink } from "./line-batcher.js";

/** A sink that records each write and answers `accepting` (false: "wait for drain"). */
function createSink() {
  const events = new EventEmitter();
  const sink = {
    writes: [] as string[],
    accepting: true,
    write(chunk: string) {
      sink.writes.push(chunk);
      return sink.accepting;
    },
    once(event: "drain", listener: () => void) {
      events.once(event, listener);
    },
    drain() {
      sink.accepting = true;
      events.emit("drain");
    },
  };
  return sink satisfies LineSink;
}

/** A schedule the test runs by hand: `turnEnds()` is the end of an event-loop turn. */
function createManualSchedule() {
  const queued: (() => void)[] = [];
  return {
    schedule: (write: () => void) => void queued.push(write),
    turnEnds: () => queued.splice(0).forEach((write) => write()),
    queued,
  };
}

const describeDropped = (count: number) => `[${count} dropped]\n`;

describe("createLineBatcher", () => {
  it("writes a turn's lines once, in order, when the turn ends", () => {
    const sink = createSink();
    const turn = createManualSchedule();
    const batcher = createLineBatcher({ sink, describeDropped, schedule: turn.schedule });
    batcher.push("a\n");
    batcher.push("b\n");
    batcher.push("c\n");
    expect(sink.writes).toEqual([]);
    expect(turn.queued).toHaveLength(1);
    turn.turnEnds();
    batcher.push("d\n");
    turn.turnEnds();
    turn.turnEnds();
    expect(sink.writes).toEqual(["a\nb\nc\n", "d\n"]);
  });

  it("writes on setImmediate by default", async () => {
    const sink = createSink();
    const batcher = createLineBatcher({ sink, describeDropped });
    batcher.push("a\n");
    batcher.push("b\n");
    await Promise.resolve();
    expect(sink.writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.writes).toEqual(["a\nb\n"]);
  });

  it("writes at once when a turn has logged 64 Ki characters", () => {
    const sink = createSink();
    const turn = createManualSchedule();
    const batcher = createLineBatcher({ sink, describeDropped, schedule: turn.schedule });
    const line = `${"x".repeat(1023)}\n`;
    for (let i = 0; i < 64; i++) batcher.push(line);
    batcher.push("after\n");
    expect(sink.writes).toEqual([line.repeat(64)]);
    turn.turnEnds();
    expect(sink.writes).toEqual([line.repeat(64), "after\n"]);
  });

  it("holds lines while the sink waits for drain, drops beyond the cap, and says so", () => {
    const sink = createSink();
    const turn = createManualSchedule();
    const batcher = createLineBatcher({
      sink,
      describeDropped,
      schedule: turn.schedule,
      maxPendingChars: 6,
    });
    sink.accepting = false;
    batcher.push("1\n");
    turn.turnEnds();
    expect(sink.writes).toEqual(["1\n"]);
    batcher.push("2\n");
    batcher.push("3\n");
    turn.turnEnds();
    batcher.push("4\n");
    batcher.push("5\n"); // 8 characters: over the cap
    batcher.push("6\n"); // fits, but after a gap: dropped too, so the notice marks the gap
    turn.turnEnds();
    expect(sink.writes).toEqual(["1\n"]);
    sink.drain();
    expect(sink.writes).toEqual(["1\n", "2\n3\n4\n[2 dropped]\n"]);
    batcher.push("7\n");
    turn.turnEnds();
    expect(sink.writes).toEqual(["1\n", "2\n3\n4\n[2 dropped]\n", "7\n"]);
  });

  it("writes what it holds when the process exits, even to a sink waiting for drain", () => {
    expect(process.listeners("exit")).toContain(writeUnwrittenLines);
    const waiting = createSink();
    const idle = createSink();
    const turn = createManualSchedule();
    const options = { describeDropped, schedule: turn.schedule, maxPendingChars: 4 };
    const first = createLineBatcher({ sink: waiting, ...options });
    const second = createLineBatcher({ sink: idle, ...options });
    waiting.accepting = false;
    first.push("a\n");
    turn.turnEnds();
    first.push("b\n");
    first.push("c\n");
    first.push("d\n");
    second.push("x\n");
    writeUnwrittenLines();
    expect(waiting.writes).toEqual(["a\n", "b\nc\n[1 dropped]\n"]);
    expect(idle.writes).toEqual(["x\n"]);
    writeUnwrittenLines();
    turn.turnEnds();
    expect(waiting.writes).toEqual(["a\n", "b\nc\n[1 dropped]\n"]);
    expect(idle.writes).toEqual(["x\n"]);
  });
});
