import type { BenchChild, LoadGenerator } from "./bench-processes.js";
import { readMemory } from "./bench-proc.js";
import { mean, percentile, round3 } from "./bench-stats.js";
import type { BenchTarget } from "./bench-throughput.js";
import type { LoadResult, LoadScenario } from "./load-types.js";

const STREAM_BODY = JSON.stringify({
  model: "gpt-4o",
  messages: [{ role: "user", content: "Hello" }],
  stream: true,
});
const MEMORY_SAMPLE_MS = 50;
// Through-gateway gaps must stay this close to the upstream's spacing (the 1 ms).
const GAP_TOLERANCE_MS = 1;
const STREAMS_PER_ROUND = 2;

export interface GapStats {
  readonly streams: number;
  readonly errors: number;
  readonly gaps: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** |mean gap − the upstream's spacing|. */
  readonly meanDeviationMs: number;
}

export interface ChunkTimingReport {
  readonly chunkDelayMs: number;
  readonly direct: GapStats;
  readonly through: GapStats;
  /** The THROUGH p50 gap is within 1 ms of the upstream's spacing. */
  readonly pass: boolean;
}

/**
 * Chunk timing: with the upstream spacing chunks `chunkDelayMs` apart, single streams (DIRECT and
 * THROUGH in alternating rounds) must see the same spacing; a buffering gateway would bunch them.
 */
export async function runChunkTiming(options: {
  readonly generator: LoadGenerator;
  readonly direct: BenchTarget;
  readonly through: BenchTarget;
  readonly children: readonly BenchChild[];
  readonly chunkDelayMs: number;
  readonly streamsPerSide: number;
}): Promise<ChunkTimingReport> {
  const run = async (target: BenchTarget, requests: number): Promise<LoadResult> => {
    const result = await options.generator.run(streamScenario(target, requests, 1, true));
    for (const child of options.children) child.assertAlive();
    return result;
  };
  await run(options.direct, 1);
  await run(options.through, 1);
  const direct: LoadResult[] = [];
  const through: LoadResult[] = [];
  for (let sent = 0; sent < options.streamsPerSide; sent += STREAMS_PER_ROUND) {
    const requests = Math.min(STREAMS_PER_ROUND, options.streamsPerSide - sent);
    direct.push(await run(options.direct, requests));
    through.push(await run(options.through, requests));
  }
  const directStats = summariseGaps(direct, options.chunkDelayMs);
  const throughStats = summariseGaps(through, options.chunkDelayMs);
  return {
    chunkDelayMs: options.chunkDelayMs,
    direct: directStats,
    through: throughStats,
    pass:
      throughStats.errors === 0 &&
      Math.abs(throughStats.p50Ms - options.chunkDelayMs) <= GAP_TOLERANCE_MS,
  };
}

function summariseGaps(results: readonly LoadResult[], chunkDelayMs: number): GapStats {
  const gaps = results.flatMap((result) => result.gapsMs);
  const meanGap = mean(gaps);
  return {
    streams: results.reduce((sum, result) => sum + result.completed, 0),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    gaps: gaps.length,
    meanMs: round3(meanGap),
    p50Ms: percentile(gaps, 50),
    p99Ms: percentile(gaps, 99),
    maxMs: percentile(gaps, 100),
    meanDeviationMs: round3(Math.abs(meanGap - chunkDelayMs)),
  };
}

export interface MemoryReport {
  readonly streams: number;
  readonly chunkDelayMs: number;
  readonly completed: number;
  readonly errors: number;
  readonly errorSamples: readonly string[];
  /** The gateway's resident memory after its warm-up, MB. */
  readonly baselineRssMb: number;
  /** The highest VmRSS sampled every 50 ms during the streams, and VmHWM after them, MB. */
  readonly peakRssMb: number;
  readonly hwmMb: number;
  /** The most streams that were receiving chunks at the same time (ideally all of them). */
  readonly peakStreaming: number;
  readonly firstChunkMaxMs: number;
  readonly seconds: number;
}

/**
 * Peak memory: `streams` streams opened through the gateway at once, against an upstream that
 * spaces chunks far apart so that all of them stay open together for seconds.
 */
export async function runOpenStreams(options: {
  readonly generator: LoadGenerator;
  readonly through: BenchTarget;
  readonly gatewayPid: number;
  readonly children: readonly BenchChild[];
  readonly chunkDelayMs: number;
  readonly streams: number;
}): Promise<MemoryReport> {
  // Warm-up with plain requests: the token is cached and the code paths compiled, in no time.
  const warmup = await options.generator.run({
    url: options.through.url,
    headers: { ...options.through.headers, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "Hello" }] }),
    stream: false,
    concurrency: 4,
    requests: 200,
  });
  if (warmup.errors > 0) throw new Error(`warm-up failed: ${warmup.errorSamples.join("; ")}`);
  const baseline = readMemory(options.gatewayPid);
  let peakRssMb = baseline.rssMb;
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, readMemory(options.gatewayPid).rssMb);
  }, MEMORY_SAMPLE_MS);
  let result: LoadResult;
  try {
    result = await options.generator.run(
      streamScenario(options.through, options.streams, options.streams, false),
    );
  } finally {
    clearInterval(sampler);
  }
  for (const child of options.children) child.assertAlive();
  const after = readMemory(options.gatewayPid);
  return {
    streams: options.streams,
    chunkDelayMs: options.chunkDelayMs,
    completed: result.completed,
    errors: result.errors,
    errorSamples: result.errorSamples,
    baselineRssMb: round3(baseline.rssMb),
    peakRssMb: round3(Math.max(peakRssMb, after.rssMb)),
    hwmMb: round3(after.hwmMb),
    peakStreaming: result.peakStreaming,
    firstChunkMaxMs: percentile(result.firstChunkMs, 100),
    seconds: round3(result.elapsedMs / 1000),
  };
}

function streamScenario(
  target: BenchTarget,
  requests: number,
  concurrency: number,
  recordGaps: boolean,
): LoadScenario {
  return {
    url: target.url,
    headers: { ...target.headers, "content-type": "application/json" },
    body: STREAM_BODY,
    stream: true,
    concurrency,
    requests,
    recordGaps,
  };
}
