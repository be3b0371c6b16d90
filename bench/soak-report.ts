import { FAULT_KINDS, type SoakResult } from "./soak-run.js";
import { percentile } from "./soak-stats.js";
import { REQUEST_KINDS } from "./soak-traffic.js";

export interface SoakReport {
  readonly ok: boolean;
  /** Why the run failed; empty when ok. */
  readonly problems: readonly string[];
  readonly json: Record<string, unknown>;
}

/** The verdict: no failure the gateway caused, no memory growth beyond noise, a gateway alive to the end. */
export function judgeSoak(result: SoakResult): string[] {
  const { stats, options, memory } = result;
  const problems: string[] = [];
  const gatewayFailures = stats.total("gatewayFailures");
  if (gatewayFailures > 0) problems.push(`${gatewayFailures} failures caused by the gateway`);
  if (stats.total("successes") === 0) problems.push("no request succeeded");
  if (result.gatewayDied) problems.push("the gateway process exited during the run");
  else if (result.gatewayStop.killed)
    problems.push("the gateway did not stop within 5 s of SIGTERM");
  else if (result.gatewayStop.code !== 0) {
    problems.push(`the gateway exited with code ${result.gatewayStop.code} after SIGTERM`);
  }
  if (memory === undefined) {
    if (!result.interrupted) problems.push("the gateway's memory could not be measured");
  } else {
    // Both measured right after a forced full GC: between major GCs RSS swings by 50 MB and more.
    const growthMb = memory.endMb - memory.startMb;
    const growthPercent = (growthMb / memory.startMb) * 100;
    if (growthMb > options.maxRssGrowthMb || growthPercent > options.maxRssGrowthPercent) {
      problems.push(
        `gateway RSS grew ${growthMb.toFixed(1)} MB (${growthPercent.toFixed(0)}%) after warm-up, ` +
          `over the limit of ${options.maxRssGrowthMb} MB or ${options.maxRssGrowthPercent}%`,
      );
    }
    const heapGrowthMb = memory.heapEndMb - memory.heapStartMb;
    if (heapGrowthMb > options.maxHeapGrowthMb) {
      problems.push(
        `gateway JS heap grew ${heapGrowthMb.toFixed(1)} MB after warm-up, over the limit of ` +
          `${options.maxHeapGrowthMb} MB`,
      );
    }
  }
  return problems;
}

export function buildSoakReport(result: SoakResult): SoakReport {
  const problems = judgeSoak(result);
  const { stats, options, memory } = result;
  const seconds = result.elapsedMs / 1000;
  const byKind = Object.fromEntries(
    REQUEST_KINDS.map((kind) => {
      const k = stats.byKind[kind];
      return [
        kind,
        {
          requests: k.requests,
          successes: k.successes,
          upstreamFaults: k.upstreamFaults,
          gatewayFailures: k.gatewayFailures,
          p50Ms: round(percentile(k.latenciesMs, 0.5)),
          p99Ms: round(percentile(k.latenciesMs, 0.99)),
          maxMs: round(percentile(k.latenciesMs, 1)),
        },
      ];
    }),
  );
  const faultsTotal = Object.values(result.faultsInjected).reduce((sum, n) => sum + n, 0);
  const json = {
    ok: problems.length === 0,
    problems,
    seed: options.seed,
    durationSeconds: round(seconds),
    interrupted: result.interrupted,
    concurrency: options.concurrency,
    faultRate: options.faultRate,
    tokenTtlSeconds: options.tokenTtlSeconds,
    requests: stats.total("requests"),
    requestsPerSecond: round(stats.total("requests") / seconds),
    successes: stats.total("successes"),
    failures: {
      upstreamFault: stats.total("upstreamFaults"),
      gateway: stats.total("gatewayFailures"),
      byReason: Object.fromEntries(stats.failureReasons),
      gatewayExamples: stats.gatewayExamples,
    },
    byKind,
    tokenExchanges: result.tokenExchanges,
    tokenRevocations: result.tokenRevocations,
    faultsInjected: { total: faultsTotal, ...result.faultsInjected },
    memoryMb:
      memory === undefined
        ? null
        : {
            afterWarmup: round(memory.startMb),
            end: round(memory.endMb),
            peak: round(memory.peakMb),
            growth: round(memory.endMb - memory.startMb),
            heapAfterWarmup: round(memory.heapStartMb),
            heapEnd: round(memory.heapEndMb),
            heapGrowth: round(memory.heapEndMb - memory.heapStartMb),
            samples: memory.samplesMb.map((mb) => Math.round(mb)),
          },
    gateway: {
      died: result.gatewayDied,
      exit: { ...result.gatewayStop },
      logLines: result.gatewayLogLines,
    },
  };
  return { ok: problems.length === 0, problems, json };
}

/** A table for people; the JSON line carries the same numbers. */
export function formatSoakReport(result: SoakResult, report: SoakReport): string {
  const { stats, memory } = result;
  const json = report.json as { requestsPerSecond: number; faultsInjected: Record<string, number> };
  const lines = [
    `soak: ${result.elapsedMs > 0 ? (result.elapsedMs / 1000).toFixed(1) : "0"} s, concurrency ` +
      `${result.options.concurrency}, fault rate ${result.options.faultRate}, Copilot token TTL ` +
      `${result.options.tokenTtlSeconds} s, seed ${result.options.seed}` +
      (result.interrupted ? " (interrupted)" : ""),
    "",
    `${pad("kind", 18)}${pad("requests", 10)}${pad("ok", 8)}${pad("upstream", 10)}` +
      `${pad("gateway", 9)}${pad("p50 ms", 8)}${pad("p99 ms", 8)}max ms`,
  ];
  for (const kind of REQUEST_KINDS) {
    const k = stats.byKind[kind];
    lines.push(
      `${pad(kind, 18)}${pad(k.requests, 10)}${pad(k.successes, 8)}${pad(k.upstreamFaults, 10)}` +
        `${pad(k.gatewayFailures, 9)}${pad(round(percentile(k.latenciesMs, 0.5)), 8)}` +
        `${pad(round(percentile(k.latenciesMs, 0.99)), 8)}${round(percentile(k.latenciesMs, 1))}`,
    );
  }
  lines.push(
    `${pad("total", 18)}${pad(stats.total("requests"), 10)}${pad(stats.total("successes"), 8)}` +
      `${pad(stats.total("upstreamFaults"), 10)}${stats.total("gatewayFailures")}` +
      `   (${json.requestsPerSecond} requests/s)`,
    "",
    "failures by cause:",
    ...(stats.failureReasons.size === 0
      ? ["  none"]
      : [...stats.failureReasons].map(([reason, count]) => `  ${pad(count, 6)}${reason}`)),
    ...stats.gatewayExamples.map((example) => `  e.g. ${example}`),
    `faults injected: ${FAULT_KINDS.map((kind) => `${kind} ${result.faultsInjected[kind]}`).join(", ")}` +
      ` (${json.faultsInjected["total"]} in all)`,
    `token exchanges: ${result.tokenExchanges} (Copilot tokens revoked ${result.tokenRevocations} times)`,
    ...(memory === undefined
      ? ["gateway memory: not measured"]
      : [
          `gateway RSS after a full GC: ${memory.startMb.toFixed(1)} MB after warm-up, ` +
            `${memory.endMb.toFixed(1)} MB at the end (${signed(memory.endMb - memory.startMb)} MB); ` +
            `peak ${memory.peakMb.toFixed(1)} MB`,
          `gateway JS heap after a full GC: ${memory.heapStartMb.toFixed(1)} MB after warm-up, ` +
            `${memory.heapEndMb.toFixed(1)} MB at the end (${signed(memory.heapEndMb - memory.heapStartMb)} MB)`,
        ]),
    `gateway: ${result.gatewayDied ? "DIED during the run" : "alive to the end"}, ` +
      `${result.gatewayLogLines} warning/error log lines, stopped with code ` +
      `${result.gatewayStop.code ?? result.gatewayStop.signal}${result.gatewayStop.killed ? " (killed)" : ""}`,
  );
  if (result.gatewayDied && result.gatewayLogTail.length > 0) {
    lines.push("gateway log tail:", ...result.gatewayLogTail.map((line) => `  ${line}`));
  }
  const verdict = report.ok ? "PASS" : `FAIL: ${report.problems.join("; ")}`;
  lines.push("", result.interrupted ? `INTERRUPTED (so far: ${verdict})` : verdict);
  return lines.join("\n");
}

function pad(value: string | number | undefined, width: number): string {
  return String(value ?? "-").padEnd(width);
}

function round(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value * 10) / 10;
}

function signed(value: number): string {
  return `${value >= 0 ? "+" : ""}${value.toFixed(1)}`;
}
