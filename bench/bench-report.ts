import type { CompareScenarioReport } from "./bench-compare.js";
import type { MachineInfo } from "./bench-proc.js";
import type { BenchPlan, ComparePlan } from "./bench-options.js";
import type { BenchMeasurements, TargetCheck } from "./bench-targets.js";
import type { ScenarioReport, SideReport } from "./bench-throughput.js";

const COLUMNS = [24, 26, 11, 11, 14] as const;
// Above this share of the CPUs used by other processes, the measurement is not trustworthy.
const BUSY_SHARE = 0.05;

/** The readable report: machine, the DIRECT/THROUGH table, open streams, targets. */
export function formatReport(
  machine: MachineInfo,
  plan: BenchPlan,
  measured: BenchMeasurements,
  targets: readonly TargetCheck[],
  failures: readonly string[],
): string {
  const lines: string[] = [
    `CoGPT benchmark: ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, Linux ${machine.kernel}`,
    `${plan.rounds} alternating rounds of ${(plan.roundMs / 1000).toFixed(1)} s per side and scenario, after a ${(plan.warmupMs / 1000).toFixed(1)} s warm-up; all on 127.0.0.1`,
    "",
    formatRow(["scenario", "metric", "DIRECT", "THROUGH", "THROUGH/DIRECT"]),
    formatRow(COLUMNS.map((width) => "-".repeat(width))),
  ];
  for (const scenario of measured.scenarios) lines.push(...formatScenario(scenario), "");
  const shares = measured.scenarios.map((scenario) => scenario.otherCpuShare);
  lines.push(
    `Other processes used at least ${shares.map((share) => `${(100 * share).toFixed(0)}%`).join(" / ")} of the CPUs during these rounds (${measured.scenarios.map((scenario) => scenario.name).join(" / ")}).`,
  );
  if (shares.some((share) => share > BUSY_SHARE)) {
    lines.push("WARNING: the machine was busy with other work; the numbers above are disturbed.");
  }
  lines.push("");
  const { chunkTiming: timing, memory } = measured;
  const timingName = `chunks ${timing.chunkDelayMs} ms apart`;
  const gapRows: Array<[string, (side: typeof timing.direct) => number]> = [
    ["chunk gap p50", (side) => side.p50Ms],
    ["chunk gap p99", (side) => side.p99Ms],
    ["chunk gap mean", (side) => side.meanMs],
    [`|mean gap − ${timing.chunkDelayMs} ms|`, (side) => side.meanDeviationMs],
  ];
  gapRows.forEach(([metric, pick], index) => {
    const added = pick(timing.through) - pick(timing.direct);
    lines.push(
      formatRow([
        index === 0 ? timingName : index === 1 ? `(${timing.through.streams} streams/side)` : "",
        metric,
        formatMs(pick(timing.direct)),
        formatMs(pick(timing.through)),
        formatSigned(added),
      ]),
    );
  });
  lines.push(
    "",
    `${memory.streams} streams opened at once through the gateway (upstream chunks ${memory.chunkDelayMs} ms apart):`,
    `  gateway RSS peak ${memory.peakRssMb.toFixed(1)} MB (VmHWM ${memory.hwmMb.toFixed(1)} MB, ${memory.baselineRssMb.toFixed(1)} MB before),` +
      ` ${memory.completed}/${memory.streams} complete in ${memory.seconds.toFixed(1)} s,`,
    `  at most ${memory.peakStreaming} streaming at the same time, last first chunk after ${formatMs(memory.firstChunkMaxMs)}`,
    "",
    "Targets (2-core machine):",
  );
  for (const target of targets) {
    const limit = `${target.kind === "max" ? "≤" : "≥"} ${target.limit} ${target.unit}`;
    const value =
      target.unit === "ms" ? formatMs(target.value) : `${target.value.toFixed(1)} ${target.unit}`;
    lines.push(
      `  ${target.pass ? "PASS" : "FAIL"}  ${target.name.padEnd(50)} ${value.padStart(10)}  (${limit})`,
    );
  }
  if (failures.length > 0) {
    lines.push("", "BROKEN:", ...failures.map((failure) => `  ${failure}`));
  }
  return lines.join("\n");
}

function formatScenario(scenario: ScenarioReport): string[] {
  const { direct, through } = scenario;
  const label = scenario.stream
    ? `${scenario.name} (${direct.chunksPerStream}/${through.chunksPerStream} ch.)`
    : scenario.name;
  const rows: Array<[string, string, string, string]> = [
    [
      "requests/s",
      direct.requestsPerSecond.toFixed(0),
      through.requestsPerSecond.toFixed(0),
      `${(100 * scenario.throughputRatio).toFixed(1)}%`,
    ],
  ];
  const msRow = (metric: string, pick: (side: SideReport) => number | null): void => {
    const directValue = pick(direct) ?? Number.NaN;
    const throughValue = pick(through) ?? Number.NaN;
    rows.push([
      metric,
      formatMs(directValue),
      formatMs(throughValue),
      formatSigned(throughValue - directValue),
    ]);
  };
  if (scenario.stream) {
    msRow("first chunk p50", (side) => side.firstChunkP50Ms);
    msRow("first chunk p99", (side) => side.firstChunkP99Ms);
    msRow("last chunk p50", (side) => side.latencyP50Ms);
  } else {
    msRow("latency p50", (side) => side.latencyP50Ms);
    msRow("latency p99", (side) => side.latencyP99Ms);
  }
  rows.push([
    "CPU/request (fake | gw)",
    formatMs(direct.serverCpuMsPerRequest),
    formatMs(through.serverCpuMsPerRequest),
    "",
  ]);
  return rows.map(([metric, directText, throughText, comparison], index) =>
    formatRow([index === 0 ? label : "", metric, directText, throughText, comparison]),
  );
}

function formatRow(cells: readonly string[]): string {
  return cells
    .map((cell, index) =>
      index < 2 ? cell.padEnd(COLUMNS[index] ?? 0) : cell.padStart(COLUMNS[index] ?? 0),
    )
    .join(" ")
    .trimEnd();
}

function formatMs(value: number): string {
  if (!Number.isFinite(value)) return "-";
  return `${value < 10 ? value.toFixed(3) : value.toFixed(1)} ms`;
}

function formatSigned(value: number): string {
  if (!Number.isFinite(value)) return "";
  return `${value >= 0 ? "+" : "−"}${formatMs(Math.abs(value))}`;
}

const COMPARE_COLUMNS = [14, 6, 7, 7, 9, 9, 10, 10, 6] as const;

/** The readable report of a paired comparison (`--compare`): every round, then the medians. */
export function formatCompareReport(
  machine: MachineInfo,
  setup: {
    readonly plan: ComparePlan;
    readonly concurrency: number;
    readonly aEntry: string;
    readonly bEntry: string;
    readonly watchRequestsOnB: boolean;
    /** Where the CPU times come from (and so their resolution). */
    readonly cpuSource: string;
  },
  scenarios: readonly CompareScenarioReport[],
): string {
  const { plan } = setup;
  const lines: string[] = [
    `CoGPT paired comparison: ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, Linux ${machine.kernel}`,
    `A = ${setup.aEntry}`,
    `B = ${setup.bEntry}${setup.watchRequestsOnB ? " (the dashboard's live request table open)" : ""}`,
    `Both at once against one fake upstream; ${setup.concurrency} connections, each alternating A and B request by request;`,
    `${plan.rounds} rounds of ${(plan.roundMs / 1000).toFixed(1)} s per scenario after a ${(plan.warmupMs / 1000).toFixed(1)} s warm-up; CPU from ${setup.cpuSource}`,
    "",
    formatCompareRow([
      "scenario",
      "round",
      "A req",
      "B req",
      "A CPU",
      "B CPU",
      "A µs/req",
      "B µs/req",
      "B/A",
    ]),
    formatCompareRow(COMPARE_COLUMNS.map((width) => "-".repeat(width))),
  ];
  for (const scenario of scenarios) {
    scenario.rounds.forEach((round, index) => {
      lines.push(
        formatCompareRow([
          index === 0 ? scenario.name : "",
          String(index + 1),
          String(round.a.requests),
          String(round.b.requests),
          `${round.a.cpuMs.toFixed(0)} ms`,
          `${round.b.cpuMs.toFixed(0)} ms`,
          round.aCpuUsPerRequest.toFixed(1),
          round.bCpuUsPerRequest.toFixed(1),
          round.ratio.toFixed(3),
        ]),
      );
    });
    const median = formatCompareRow([
      "",
      "median",
      "",
      "",
      "",
      "",
      scenario.aCpuUsPerRequest.toFixed(1),
      scenario.bCpuUsPerRequest.toFixed(1),
      scenario.ratioMedian.toFixed(3),
    ]);
    lines.push(`${median}  (${scenario.ratioMin.toFixed(3)}–${scenario.ratioMax.toFixed(3)})`, "");
  }
  return lines.join("\n").trimEnd();
}

function formatCompareRow(cells: readonly string[]): string {
  return cells
    .map((cell, index) =>
      index < 2
        ? cell.padEnd(COMPARE_COLUMNS[index] ?? 0)
        : cell.padStart(COMPARE_COLUMNS[index] ?? 0),
    )
    .join(" ")
    .trimEnd();
}
