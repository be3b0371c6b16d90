import { describe, expect, it } from "vitest";
import type { GapStats, MemoryReport } from "./bench-streams.js";
import { checkTargets, findFailures, type BenchMeasurements } from "./bench-targets.js";
import type { ScenarioReport, SideReport } from "./bench-throughput.js";

function side(requests: number, serverCpuMs: number, extra: Partial<SideReport> = {}): SideReport {
  return {
    requests,
    errors: 0,
    errorSamples: [],
    seconds: 1,
    requestsPerSecond: requests,
    latencyP50Ms: 1,
    latencyP99Ms: 2,
    firstChunkP50Ms: null,
    firstChunkP99Ms: null,
    chunksPerStream: null,
    serverCpuMsPerRequest: serverCpuMs / requests,
    serverCpuMs,
    ...extra,
  };
}

function scenario(
  name: string,
  through: SideReport,
  throughputRatio: number,
  addedP50Ms: number,
): ScenarioReport {
  const [kind, concurrency] = name.split(" c");
  return {
    name,
    stream: kind === "stream",
    concurrency: Number(concurrency),
    direct: side(1000, 100),
    through,
    throughputRatio,
    addedP50Ms,
    addedLastChunkP50Ms: null,
    otherCpuShare: 0,
  };
}

const gaps: GapStats = {
  streams: 10,
  errors: 0,
  gaps: 220,
  meanMs: 10.4,
  p50Ms: 10.3,
  p99Ms: 12,
  maxMs: 13,
  meanDeviationMs: 0.4,
};

const memory: MemoryReport = {
  streams: 500,
  chunkDelayMs: 200,
  completed: 500,
  errors: 0,
  errorSamples: [],
  baselineRssMb: 60,
  peakRssMb: 151.5,
  hwmMb: 152,
  peakStreaming: 500,
  firstChunkMaxMs: 400,
  seconds: 5,
};

const measured: BenchMeasurements = {
  scenarios: [
    scenario("plain c1", side(1000, 200), 0.8, 0.2),
    scenario("plain c32", side(3000, 1000), 0.59, 5),
    scenario("stream c1", side(500, 200), 0.7, 0.31),
    scenario("stream c32", side(1500, 600), 0.65, 8),
  ],
  chunkTiming: { chunkDelayMs: 10, direct: gaps, through: { ...gaps, p50Ms: 11.2 }, pass: false },
  memory,
};

describe("checkTargets", () => {
  it("compares each measured value with the issue's limit", () => {
    expect(
      checkTargets(measured).map(({ name, value, pass }) => [name, value, pass] as const),
    ).toEqual([
      ["added latency p50, plain c1", 0.2, true],
      ["added time to first chunk p50, stream c1", 0.31, false],
      // (200 + 1000) ms of CPU over 4000 requests; (200 + 600) over 2000.
      ["gateway CPU per request, plain", 0.3, true],
      ["gateway CPU per request, stream (20 chunks)", 0.4, true],
      ["throughput THROUGH/DIRECT, plain c32", 59, false],
      ["throughput THROUGH/DIRECT, stream c32", 65, true],
      ["peak RSS, 500 open streams", 151.5, false],
      ["chunk gap p50 THROUGH − 10 ms (not buffered)", 1.2, false],
    ]);
  });
});

describe("findFailures", () => {
  it("finds nothing when every request completed", () => {
    expect(findFailures(measured)).toEqual([]);
  });

  it("names failed requests, uneven streams and incomplete open streams", () => {
    const broken: BenchMeasurements = {
      ...measured,
      scenarios: [
        scenario("plain c1", side(10, 1, { errors: 2, errorSamples: ["status 502: x"] }), 1, 0),
        scenario("stream c1", side(10, 1, { chunksPerStream: -1 }), 1, 0),
      ],
      memory: {
        ...memory,
        completed: 499,
        errors: 1,
        errorSamples: ["ECONNRESET: other side closed"],
      },
    };
    expect(findFailures(broken)).toEqual([
      "plain c1 THROUGH: 2 failed requests (status 502: x)",
      "stream c1 THROUGH: streams had different chunk counts",
      "open streams: 499/500 completed (ECONNRESET: other side closed)",
    ]);
  });
});
