/**
 * The contract between the benchmark (bench/run-bench.ts) and its load generator
 * (bench/load-generator.ts): one LoadScenario (or PairedLoadScenario) as a JSON line on the
 * generator's stdin, one LoadResult (or PairedLoadResult) as a JSON line on its stdout.
 */

export interface LoadScenario {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Read the answer as server-sent events (chunk times, `[DONE]` check). */
  readonly stream: boolean;
  /** Connections, each with one request in flight at a time. */
  readonly concurrency: number;
  /** Keep starting requests until this long after the start… */
  readonly durationMs?: number;
  /** …or send exactly this many (whichever comes first). */
  readonly requests?: number;
  /** Keep every gap between consecutive chunks (the chunk-timing check). */
  readonly recordGaps?: boolean;
}

export interface LoadResult {
  /** Requests answered completely and correctly. */
  readonly completed: number;
  readonly errors: number;
  /** The first few failures, for the report. */
  readonly errorSamples: readonly string[];
  /** From the first request sent to the last answer read, ms. */
  readonly elapsedMs: number;
  /** Per completed request: the whole answer read (a stream: until it ended), ms. */
  readonly latenciesMs: readonly number[];
  /** Per completed stream: until its first chunk, ms. */
  readonly firstChunkMs: readonly number[];
  /** With recordGaps: every gap between consecutive chunks of a stream, ms. */
  readonly gapsMs: readonly number[];
  /** Chunks (events with a `delta`, and `[DONE]`) per completed stream, fewest and most. */
  readonly chunksMin: number;
  readonly chunksMax: number;
  /** The most streams that were between their first chunk and their end at the same time. */
  readonly peakStreaming: number;
}

/** Where requests go: a URL and the headers to send with them. */
export interface LoadTarget {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The same requests to two targets (two gateways) at the same time: every connection alternates
 * between A and B, request by request, so both see the same mix under the same machine load.
 */
export interface PairedLoadScenario {
  readonly a: LoadTarget;
  readonly b: LoadTarget;
  readonly body: string;
  readonly stream: boolean;
  /** Loops, each with one request in flight at a time (to A and to B in turn). */
  readonly concurrency: number;
  readonly durationMs?: number;
  /** Requests to A and B together. */
  readonly requests?: number;
}

/** Each side counted on its own, over the same window. */
export interface PairedLoadResult {
  readonly a: LoadResult;
  readonly b: LoadResult;
}
