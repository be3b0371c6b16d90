import { describe, expect, it } from "vitest";
import { compareRequestBody, summariseComparison, summariseRound } from "./bench-compare.js";

describe("summariseRound", () => {
  it("gives each side's CPU per request in µs and the ratio B/A from unrounded values", () => {
    expect(summariseRound({ requests: 4000, cpuMs: 820 }, { requests: 3990, cpuMs: 900 })).toEqual({
      a: { requests: 4000, cpuMs: 820 },
      b: { requests: 3990, cpuMs: 900 },
      aCpuUsPerRequest: 205,
      bCpuUsPerRequest: 225.564,
      // 225.5639… / 205 = 1.10031…
      ratio: 1.1,
    });
  });

  it("refuses a round in which a side answered nothing", () => {
    expect(() => summariseRound({ requests: 10, cpuMs: 2 }, { requests: 0, cpuMs: 0 })).toThrow(
      "a round without requests (A 10, B 0)",
    );
  });
});

describe("summariseComparison", () => {
  it("reports the median of each side and of the ratios, and the ratios' range", () => {
    const rounds = [
      summariseRound({ requests: 1000, cpuMs: 200 }, { requests: 1000, cpuMs: 220 }),
      summariseRound({ requests: 1000, cpuMs: 210 }, { requests: 1000, cpuMs: 240 }),
      summariseRound({ requests: 1000, cpuMs: 190 }, { requests: 1000, cpuMs: 200 }),
      summariseRound({ requests: 500, cpuMs: 100 }, { requests: 500, cpuMs: 110 }),
    ];
    expect(rounds.map((round) => round.ratio)).toEqual([1.1, 1.143, 1.053, 1.1]);
    const report = summariseComparison("plain c16", false, 16, rounds);
    expect({ ...report, rounds: report.rounds.length }).toEqual({
      name: "plain c16",
      stream: false,
      concurrency: 16,
      rounds: 4,
      // Even counts: the mean of the two middle values.
      aCpuUsPerRequest: 200,
      bCpuUsPerRequest: 220,
      ratioMedian: 1.1,
      ratioMin: 1.053,
      ratioMax: 1.143,
    });
  });
});

describe("compareRequestBody", () => {
  it("sends a one-line question, whole or streamed, or a coding agent's streamed turn", () => {
    expect(JSON.parse(compareRequestBody("plain"))).toEqual({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(JSON.parse(compareRequestBody("stream"))).toMatchObject({ stream: true });
    const agent = compareRequestBody("agent");
    const parsed = JSON.parse(agent) as { stream: boolean; messages: unknown[]; tools: unknown[] };
    expect(agent.length).toBe(53_964);
    expect(parsed.stream).toBe(true);
    expect(parsed.messages).toHaveLength(34);
    expect(parsed.tools).toHaveLength(12);
    // The same bytes every run.
    expect(compareRequestBody("agent")).toBe(agent);
  });
});
