import { round3 } from "./bench-stats.js";
import type { ChunkTimingReport, MemoryReport } from "./bench-streams.js";
import type { ScenarioReport } from "./bench-throughput.js";

/** One of the targets, as measured. */
export interface TargetCheck {
  readonly name: string;
  readonly value: number;
  readonly limit: number;
  readonly unit: "ms" | "%" | "MB";
  /** The value must be at most (`max`) or at least (`min`) the limit. */
  readonly kind: "max" | "min";
  readonly pass: boolean;
}

export interface BenchMeasurements {
  readonly scenarios: readonly ScenarioReport[];
  readonly chunkTiming: ChunkTimingReport;
  readonly memory: MemoryReport;
}

/** The gateway's CPU time per request over every THROUGH round of plain or streamed requests. */
export function computeCpuPerRequest(
  scenarios: readonly ScenarioReport[],
  stream: boolean,
): number {
  const chosen = scenarios.filter((scenario) => scenario.stream === stream);
  const cpuMs = chosen.reduce((sum, scenario) => sum + scenario.through.serverCpuMs, 0);
  const requests = chosen.reduce((sum, scenario) => sum + scenario.through.requests, 0);
  return round3(cpuMs / Math.max(1, requests));
}

/** The targets of the issue (2-core machine), each with its measured value. */
export function checkTargets(measured: BenchMeasurements): TargetCheck[] {
  const scenario = (name: string): ScenarioReport => {
    const found = measured.scenarios.find((candidate) => candidate.name === name);
    if (found === undefined) throw new Error(`no scenario ${name}`);
    return found;
  };
  const gapDeviation = Math.abs(
    measured.chunkTiming.through.p50Ms - measured.chunkTiming.chunkDelayMs,
  );
  return [
    check("added latency p50, plain c1", scenario("plain c1").addedP50Ms, "max", 0.25, "ms"),
    check(
      "added time to first chunk p50, stream c1",
      scenario("stream c1").addedP50Ms,
      "max",
      0.3,
      "ms",
    ),
    check(
      "gateway CPU per request, plain",
      computeCpuPerRequest(measured.scenarios, false),
      "max",
      0.3,
      "ms",
    ),
    check(
      "gateway CPU per request, stream (20 chunks)",
      computeCpuPerRequest(measured.scenarios, true),
      "max",
      0.5,
      "ms",
    ),
    check(
      "throughput THROUGH/DIRECT, plain c32",
      100 * scenario("plain c32").throughputRatio,
      "min",
      60,
      "%",
    ),
    check(
      "throughput THROUGH/DIRECT, stream c32",
      100 * scenario("stream c32").throughputRatio,
      "min",
      60,
      "%",
    ),
    check(
      `peak RSS, ${measured.memory.streams} open streams`,
      measured.memory.peakRssMb,
      "max",
      150,
      "MB",
    ),
    check(
      `chunk gap p50 THROUGH − ${measured.chunkTiming.chunkDelayMs} ms (not buffered)`,
      gapDeviation,
      "max",
      1,
      "ms",
    ),
  ];
}

function check(
  name: string,
  value: number,
  kind: "max" | "min",
  limit: number,
  unit: TargetCheck["unit"],
): TargetCheck {
  const rounded = round3(value);
  const pass = kind === "max" ? rounded <= limit : rounded >= limit;
  return { name, value: rounded, limit, unit, kind, pass };
}

/** What broke (as opposed to a target missed): failed requests, incomplete or uneven streams. */
export function findFailures(measured: BenchMeasurements): string[] {
  const failures: string[] = [];
  for (const scenario of measured.scenarios) {
    for (const [sideName, side] of [
      ["DIRECT", scenario.direct],
      ["THROUGH", scenario.through],
    ] as const) {
      const where = `${scenario.name} ${sideName}`;
      if (side.errors > 0) {
        failures.push(`${where}: ${side.errors} failed requests (${side.errorSamples.join("; ")})`);
      }
      if (side.requests === 0) failures.push(`${where}: no request completed`);
      if (side.chunksPerStream === -1)
        failures.push(`${where}: streams had different chunk counts`);
    }
  }
  const { chunkTiming, memory } = measured;
  for (const [sideName, side] of [
    ["DIRECT", chunkTiming.direct],
    ["THROUGH", chunkTiming.through],
  ] as const) {
    if (side.errors > 0) failures.push(`chunk timing ${sideName}: ${side.errors} failed streams`);
  }
  if (memory.errors > 0 || memory.completed !== memory.streams) {
    failures.push(
      `open streams: ${memory.completed}/${memory.streams} completed (${memory.errorSamples.join("; ")})`,
    );
  }
  return failures;
}
