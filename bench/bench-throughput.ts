import type { BenchChild, LoadGenerator } from "./bench-processes.js";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { readCpuMs, readOtherProcessesCpuMs, sumCpuMsSince } from "./bench-proc.js";
import { percentile, round3 } from "./bench-stats.js";
import type { LoadResult } from "./load-types.js";

/** Where one side of the comparison sends its requests. */
export interface BenchTarget {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface ThroughputSetup {
  readonly generator: LoadGenerator;
  readonly direct: BenchTarget;
  readonly through: BenchTarget;
  /** The process serving each side: its CPU time is measured around that side's rounds. */
  readonly directServerPid: number;
  readonly throughServerPid: number;
  /** Checked after every round: a process that died makes the benchmark fail. */
  readonly children: readonly BenchChild[];
  /** Every process of the benchmark (itself included): the CPU time of the others is noise. */
  readonly benchPids: readonly number[];
  readonly rounds: number;
  readonly roundMs: number;
  readonly warmupMs: number;
}

export interface SideReport {
  readonly requests: number;
  readonly errors: number;
  readonly errorSamples: readonly string[];
  readonly seconds: number;
  readonly requestsPerSecond: number;
  /** The whole answer (a stream: until its end, the time to last chunk). */
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** Streams only (null for plain requests). */
  readonly firstChunkP50Ms: number | null;
  readonly firstChunkP99Ms: number | null;
  readonly chunksPerStream: number | null;
  /** CPU time of the serving process (fake upstream for DIRECT, gateway for THROUGH) per request. */
  readonly serverCpuMsPerRequest: number;
  readonly serverCpuMs: number;
}

export interface ScenarioReport {
  readonly name: string;
  readonly stream: boolean;
  readonly concurrency: number;
  readonly direct: SideReport;
  readonly through: SideReport;
  /** THROUGH requests/s over DIRECT requests/s. */
  readonly throughputRatio: number;
  /** THROUGH p50 − DIRECT p50 of the latency (plain) or of the time to first chunk (stream). */
  readonly addedP50Ms: number;
  /** Streams: the same for the time to last chunk (null for plain requests). */
  readonly addedLastChunkP50Ms: number | null;
  /** Share of the machine's CPUs that other processes used during the rounds (a lower bound):
   *  above a few percent, the numbers are disturbed. */
  readonly otherCpuShare: number;
}

interface Round {
  readonly result: LoadResult;
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly otherCpuMs: number;
}

/** Plain or streamed completions at one concurrency, in alternating DIRECT and THROUGH rounds. */
export async function runThroughputScenario(
  setup: ThroughputSetup,
  stream: boolean,
  concurrency: number,
): Promise<ScenarioReport> {
  const body = JSON.stringify({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hello" }],
    ...(stream ? { stream: true } : {}),
  });
  const runRound = async (target: BenchTarget, pid: number, durationMs: number): Promise<Round> => {
    const startedAt = performance.now();
    const othersBefore = readOtherProcessesCpuMs(setup.benchPids);
    const before = readCpuMs(pid);
    const result = await setup.generator.run({
      url: target.url,
      headers: { ...target.headers, "content-type": "application/json" },
      body,
      stream,
      concurrency,
      durationMs,
    });
    const cpuMs = readCpuMs(pid) - before;
    const otherCpuMs = sumCpuMsSince(othersBefore, readOtherProcessesCpuMs(setup.benchPids));
    const wallMs = performance.now() - startedAt;
    for (const child of setup.children) child.assertAlive();
    return { result, cpuMs, wallMs, otherCpuMs };
  };
  // Warm-up: connections open, JIT warm, the gateway's Copilot token cached. Not counted.
  await runRound(setup.direct, setup.directServerPid, setup.warmupMs);
  await runRound(setup.through, setup.throughServerPid, setup.warmupMs);
  const direct: Round[] = [];
  const through: Round[] = [];
  for (let round = 0; round < setup.rounds; round++) {
    direct.push(await runRound(setup.direct, setup.directServerPid, setup.roundMs));
    through.push(await runRound(setup.through, setup.throughServerPid, setup.roundMs));
  }
  const directReport = summariseSide(direct, stream);
  const throughReport = summariseSide(through, stream);
  const firstOrWhole = (side: SideReport): number => side.firstChunkP50Ms ?? side.latencyP50Ms;
  return {
    name: `${stream ? "stream" : "plain"} c${concurrency}`,
    stream,
    concurrency,
    direct: directReport,
    through: throughReport,
    throughputRatio: round3(throughReport.requestsPerSecond / directReport.requestsPerSecond),
    addedP50Ms: round3(firstOrWhole(throughReport) - firstOrWhole(directReport)),
    addedLastChunkP50Ms: stream
      ? round3(throughReport.latencyP50Ms - directReport.latencyP50Ms)
      : null,
    otherCpuShare: computeOtherCpuShare([...direct, ...through]),
  };
}

function summariseSide(rounds: readonly Round[], stream: boolean): SideReport {
  const latencies = rounds.flatMap((round) => round.result.latenciesMs);
  const firstChunks = rounds.flatMap((round) => round.result.firstChunkMs);
  const requests = rounds.reduce((sum, round) => sum + round.result.completed, 0);
  const errors = rounds.reduce((sum, round) => sum + round.result.errors, 0);
  const elapsedMs = rounds.reduce((sum, round) => sum + round.result.elapsedMs, 0);
  const cpuMs = rounds.reduce((sum, round) => sum + round.cpuMs, 0);
  const chunkCounts = new Set(
    rounds.flatMap((round) =>
      round.result.completed > 0 ? [round.result.chunksMin, round.result.chunksMax] : [],
    ),
  );
  return {
    requests,
    errors,
    errorSamples: rounds.flatMap((round) => round.result.errorSamples).slice(0, 5),
    seconds: round3(elapsedMs / 1000),
    requestsPerSecond: round3(requests / (elapsedMs / 1000)),
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    firstChunkP50Ms: stream ? percentile(firstChunks, 50) : null,
    firstChunkP99Ms: stream ? percentile(firstChunks, 99) : null,
    // Every stream must have had the same number of chunks; -1 marks a difference.
    chunksPerStream: stream ? (chunkCounts.size === 1 ? [...chunkCounts][0]! : -1) : null,
    serverCpuMsPerRequest: round3(cpuMs / Math.max(1, requests)),
    serverCpuMs: round3(cpuMs),
  };
}

function computeOtherCpuShare(rounds: readonly Round[]): number {
  const otherMs = rounds.reduce((sum, round) => sum + round.otherCpuMs, 0);
  const wallMs = rounds.reduce((sum, round) => sum + round.wallMs, 0);
  return round3(otherMs / (wallMs * availableParallelism()));
}
