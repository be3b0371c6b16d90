import { agentTurnBody } from "./agent-turn.js";
import type { ComparePlan } from "./bench-options.js";
import type { BenchChild, LoadGenerator } from "./bench-processes.js";
import { median, round3 } from "./bench-stats.js";
import type { LoadResult, LoadTarget, PairedLoadResult } from "./load-types.js";

/**
 * The paired comparison (`--compare`): two gateways serve the same requests at the same time,
 * each load loop alternating between them, and each gateway's CPU time is read from /proc over
 * the same window. Host noise (another tenant, frequency changes) then hits both alike, and the
 * ratio B/A stays steady where two runs one after the other differ by up to a third.
 */

/** One gateway of the pair: where to send requests, and the process whose CPU time counts. */
export interface CompareSide {
  readonly target: LoadTarget;
  readonly pid: number;
}

export interface CompareSetup {
  readonly generator: LoadGenerator;
  readonly a: CompareSide;
  readonly b: CompareSide;
  /** Checked after every round: a process that died makes the benchmark fail. */
  readonly children: readonly BenchChild[];
  readonly plan: ComparePlan;
  readonly concurrency: number;
  /** CPU time a process has used so far, ms (bench/bench-proc.ts). */
  readonly readCpuMs: (pid: number) => number;
}

/** What one gateway did in one round. */
export interface SideRound {
  readonly requests: number;
  readonly cpuMs: number;
}

export interface CompareRound {
  readonly a: SideRound;
  readonly b: SideRound;
  /** CPU time per request, µs. */
  readonly aCpuUsPerRequest: number;
  readonly bCpuUsPerRequest: number;
  /** B's CPU per request over A's. */
  readonly ratio: number;
}

export interface CompareScenarioReport {
  readonly name: string;
  readonly stream: boolean;
  readonly concurrency: number;
  readonly rounds: readonly CompareRound[];
  /** Medians over the rounds. */
  readonly aCpuUsPerRequest: number;
  readonly bCpuUsPerRequest: number;
  readonly ratioMedian: number;
  readonly ratioMin: number;
  readonly ratioMax: number;
}

/**
 * What a scenario sends: a one-line question answered whole (`plain`) or streamed (`stream`), or
 * a coding agent's streamed turn of about 55 KB (`agent`, bench/agent-turn.ts).
 */
export type CompareKind = "plain" | "stream" | "agent";

export function compareRequestBody(kind: CompareKind): string {
  if (kind === "agent") return agentTurnBody("gpt-4o");
  return JSON.stringify({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hello" }],
    ...(kind === "stream" ? { stream: true } : {}),
  });
}

/** One scenario's requests: a warm-up, then `plan.rounds` measured rounds. */
export async function runCompareScenario(
  setup: CompareSetup,
  kind: CompareKind,
): Promise<CompareScenarioReport> {
  const stream = kind !== "plain";
  const body = compareRequestBody(kind);
  const withContentType = (target: LoadTarget): LoadTarget => ({
    url: target.url,
    headers: { ...target.headers, "content-type": "application/json" },
  });
  const runRound = async (durationMs: number): Promise<{ a: SideRound; b: SideRound }> => {
    const aBefore = setup.readCpuMs(setup.a.pid);
    const bBefore = setup.readCpuMs(setup.b.pid);
    const result = await setup.generator.runPaired({
      a: withContentType(setup.a.target),
      b: withContentType(setup.b.target),
      body,
      stream,
      concurrency: setup.concurrency,
      durationMs,
    });
    const aCpuMs = setup.readCpuMs(setup.a.pid) - aBefore;
    const bCpuMs = setup.readCpuMs(setup.b.pid) - bBefore;
    for (const child of setup.children) child.assertAlive();
    assertNoErrors(result);
    return {
      a: { requests: result.a.completed, cpuMs: aCpuMs },
      b: { requests: result.b.completed, cpuMs: bCpuMs },
    };
  };
  // Warm-up: connections open, JIT warm, both gateways' Copilot tokens cached. Not counted.
  await runRound(setup.plan.warmupMs);
  const rounds: CompareRound[] = [];
  for (let round = 0; round < setup.plan.rounds; round++) {
    const { a, b } = await runRound(setup.plan.roundMs);
    rounds.push(summariseRound(a, b));
  }
  return summariseComparison(`${kind} c${setup.concurrency}`, stream, setup.concurrency, rounds);
}

/** A bench of errors would compare error paths: any error fails the run, with samples. */
function assertNoErrors(result: PairedLoadResult): void {
  const describe = (name: string, side: LoadResult): string[] =>
    side.errors === 0
      ? []
      : [`gateway ${name}: ${side.errors} errors (${side.errorSamples.join("; ")})`];
  const problems = [...describe("A", result.a), ...describe("B", result.b)];
  if (problems.length > 0) throw new Error(problems.join("\n"));
}

export function summariseRound(a: SideRound, b: SideRound): CompareRound {
  if (a.requests === 0 || b.requests === 0) {
    throw new Error(`a round without requests (A ${a.requests}, B ${b.requests})`);
  }
  const aCpuUsPerRequest = (1000 * a.cpuMs) / a.requests;
  const bCpuUsPerRequest = (1000 * b.cpuMs) / b.requests;
  return {
    a: { requests: a.requests, cpuMs: round3(a.cpuMs) },
    b: { requests: b.requests, cpuMs: round3(b.cpuMs) },
    aCpuUsPerRequest: round3(aCpuUsPerRequest),
    bCpuUsPerRequest: round3(bCpuUsPerRequest),
    ratio: round3(bCpuUsPerRequest / aCpuUsPerRequest),
  };
}

export function summariseComparison(
  name: string,
  stream: boolean,
  concurrency: number,
  rounds: readonly CompareRound[],
): CompareScenarioReport {
  const ratios = rounds.map((round) => round.ratio);
  return {
    name,
    stream,
    concurrency,
    rounds,
    aCpuUsPerRequest: round3(median(rounds.map((round) => round.aCpuUsPerRequest))),
    bCpuUsPerRequest: round3(median(rounds.map((round) => round.bCpuUsPerRequest))),
    ratioMedian: round3(median(ratios)),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
  };
}
