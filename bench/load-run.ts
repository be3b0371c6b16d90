import { performance } from "node:perf_hooks";
import type { Dispatcher } from "undici";
import { request } from "undici";
import type { LoadResult, LoadScenario } from "./load-types.js";

const ERROR_SAMPLES = 5;

interface Recorder {
  readonly latenciesMs: number[];
  readonly firstChunkMs: number[];
  readonly gapsMs: number[];
  readonly chunkCounts: number[];
  /** Absolute first-chunk and end times of every stream, for peakStreaming. */
  readonly streamStarts: number[];
  readonly streamEnds: number[];
  readonly errorSamples: string[];
  errors: number;
}

/** Runs one scenario: `concurrency` loops, each sending one request after the other. */
export async function runLoad(scenario: LoadScenario, dispatcher: Dispatcher): Promise<LoadResult> {
  if (scenario.durationMs === undefined && scenario.requests === undefined) {
    throw new Error("a scenario needs durationMs or requests");
  }
  const recorder: Recorder = {
    latenciesMs: [],
    firstChunkMs: [],
    gapsMs: [],
    chunkCounts: [],
    streamStarts: [],
    streamEnds: [],
    errorSamples: [],
    errors: 0,
  };
  const started = performance.now();
  const deadline = started + (scenario.durationMs ?? Number.POSITIVE_INFINITY);
  let remaining = scenario.requests ?? Number.POSITIVE_INFINITY;
  const send = scenario.stream ? sendStream : sendPlain;
  const loop = async (): Promise<void> => {
    while (remaining > 0 && performance.now() < deadline) {
      remaining--;
      await send(scenario, dispatcher, recorder);
    }
  };
  await Promise.all(Array.from({ length: scenario.concurrency }, loop));
  const counts = recorder.chunkCounts;
  return {
    completed: recorder.latenciesMs.length,
    errors: recorder.errors,
    errorSamples: recorder.errorSamples,
    elapsedMs: performance.now() - started,
    latenciesMs: recorder.latenciesMs.map(roundMicroseconds),
    firstChunkMs: recorder.firstChunkMs.map(roundMicroseconds),
    gapsMs: recorder.gapsMs.map(roundMicroseconds),
    chunksMin: counts.length === 0 ? 0 : counts.reduce((a, b) => Math.min(a, b)),
    chunksMax: counts.length === 0 ? 0 : counts.reduce((a, b) => Math.max(a, b)),
    peakStreaming: countPeakOverlap(recorder.streamStarts, recorder.streamEnds),
  };
}

async function sendPlain(
  scenario: LoadScenario,
  dispatcher: Dispatcher,
  recorder: Recorder,
): Promise<void> {
  const start = performance.now();
  try {
    const response = await request(scenario.url, {
      method: "POST",
      headers: scenario.headers,
      body: scenario.body,
      dispatcher,
    });
    const text = await response.body.text();
    const end = performance.now();
    // A cheap check that this is a completion, not an error that happens to be a 200.
    if (response.statusCode !== 200 || !text.includes('"choices"')) {
      recordError(recorder, `status ${response.statusCode}: ${text.slice(0, 200)}`);
      return;
    }
    recorder.latenciesMs.push(end - start);
  } catch (error) {
    recordError(recorder, describeError(error));
  }
}

/**
 * Reads a stream event by event, timing each as it arrives. A chunk is an event with a `delta`
 * (Copilot's leading prompt-filter event has none, and the gateway drops it) or `[DONE]`.
 */
async function sendStream(
  scenario: LoadScenario,
  dispatcher: Dispatcher,
  recorder: Recorder,
): Promise<void> {
  const start = performance.now();
  try {
    const response = await request(scenario.url, {
      method: "POST",
      headers: scenario.headers,
      body: scenario.body,
      dispatcher,
    });
    if (response.statusCode !== 200) {
      const text = await response.body.text();
      recordError(recorder, `status ${response.statusCode}: ${text.slice(0, 200)}`);
      return;
    }
    response.body.setEncoding("utf8");
    let pending = "";
    let chunks = 0;
    let firstAt = -1;
    let lastAt = -1;
    let done = false;
    let failure: string | undefined;
    const gaps: number[] = [];
    for await (const text of response.body as AsyncIterable<string>) {
      const now = performance.now();
      pending += text;
      let from = 0;
      let boundary = pending.indexOf("\n\n", from);
      while (boundary !== -1) {
        const event = pending.slice(from, boundary);
        from = boundary + 2;
        boundary = pending.indexOf("\n\n", from);
        if (event.startsWith('data: {"error"')) failure = `error event: ${event.slice(0, 200)}`;
        const isDone = event.startsWith("data: [DONE]");
        if (!isDone && !event.includes('"delta"')) continue;
        if (done) failure = "chunk after [DONE]";
        done ||= isDone;
        if (firstAt < 0) firstAt = now;
        else if (scenario.recordGaps === true) gaps.push(now - lastAt);
        lastAt = now;
        chunks++;
      }
      pending = pending.slice(from);
    }
    const end = performance.now();
    if (failure !== undefined || !done) {
      recordError(recorder, failure ?? `stream ended without [DONE] after ${chunks} chunks`);
      return;
    }
    recorder.latenciesMs.push(end - start);
    recorder.firstChunkMs.push(firstAt - start);
    recorder.gapsMs.push(...gaps);
    recorder.chunkCounts.push(chunks);
    recorder.streamStarts.push(firstAt);
    recorder.streamEnds.push(end);
  } catch (error) {
    recordError(recorder, describeError(error));
  }
}

function recordError(recorder: Recorder, message: string): void {
  recorder.errors++;
  if (recorder.errorSamples.length < ERROR_SAMPLES) recorder.errorSamples.push(message);
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? `${code}: ${error.message}` : error.message;
}

/** Sweeps the intervals [start, end] and returns the most that overlap. */
export function countPeakOverlap(starts: readonly number[], ends: readonly number[]): number {
  const points = [
    ...starts.map((time) => ({ time, step: 1 })),
    ...ends.map((time) => ({ time, step: -1 })),
  ];
  // At equal times an end goes first, so touching intervals do not count as overlapping.
  points.sort((a, b) => a.time - b.time || a.step - b.step);
  let open = 0;
  let peak = 0;
  for (const point of points) {
    open += point.step;
    peak = Math.max(peak, open);
  }
  return peak;
}

// Microseconds are plenty, and shorter numbers keep the result line small.
function roundMicroseconds(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
