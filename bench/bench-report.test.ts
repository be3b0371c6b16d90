import { describe, expect, it } from "vitest";
import { summariseComparison, summariseRound } from "./bench-compare.js";
import { formatCompareReport } from "./bench-report.js";

const MACHINE = { cpus: 2, cpuModel: "Test CPU", node: "v20.0.0", kernel: "6.1.0" };

describe("formatCompareReport", () => {
  it("lists every round and the medians with the range of the ratio B/A", () => {
    const plain = summariseComparison("plain c16", false, 16, [
      summariseRound({ requests: 4000, cpuMs: 820 }, { requests: 3990, cpuMs: 900 }),
      summariseRound({ requests: 4100, cpuMs: 830 }, { requests: 4100, cpuMs: 910 }),
      summariseRound({ requests: 3900, cpuMs: 800 }, { requests: 3910, cpuMs: 870 }),
    ]);
    const text = formatCompareReport(
      MACHINE,
      {
        plan: { rounds: 3, roundMs: 2_000, warmupMs: 1_000 },
        concurrency: 16,
        aEntry: "/a/dist/src/main.js",
        bEntry: "/b/dist/src/main.js",
        watchRequestsOnB: true,
        cpuSource: "/proc in 10 ms ticks",
      },
      [plain],
    );
    expect(text.split("\n")).toEqual([
      "CoGPT paired comparison: 2 × Test CPU, Node v20.0.0, Linux 6.1.0",
      "A = /a/dist/src/main.js",
      "B = /b/dist/src/main.js (the dashboard's live request table open)",
      "Both at once against one fake upstream; 16 connections, each alternating A and B request by request;",
      "3 rounds of 2.0 s per scenario after a 1.0 s warm-up; CPU from /proc in 10 ms ticks",
      "",
      "scenario       round    A req   B req     A CPU     B CPU   A µs/req   B µs/req    B/A",
      "-------------- ------ ------- ------- --------- --------- ---------- ---------- ------",
      "plain c16      1         4000    3990    820 ms    900 ms      205.0      225.6  1.100",
      "               2         4100    4100    830 ms    910 ms      202.4      222.0  1.096",
      "               3         3900    3910    800 ms    870 ms      205.1      222.5  1.085",
      "               median                                          205.0      222.5  1.096  (1.085–1.100)",
    ]);
  });
});
