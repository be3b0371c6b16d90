import { performance } from "node:perf_hooks";
import type { Dispatcher } from "undici";
import { request } from "undici";
import type {
  LoadResult,
  LoadScenario,
  LoadTarget,
  PairedLoadResult,
  PairedLoadScenario,
} from "./load-types.js";

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
  const [result] = await runAlternating([{ scenario, dispatcher }], scenario);
  return result!;
}

/**
 * Runs the same requests against two targets at once: each loop alternates between A and B (half
 * the loops start with A, half with B), so both sides get the same mix over the same window.
 */
export async function runPairedLoad(
  scenario: PairedLoadScenario,
  dispatchers: { readonly a: Dispatcher; readonly b: Dispatcher },
): Promise<PairedLoadResult> {
  const side = (target: LoadTarget): LoadScenario => ({
    url: target.url,
    headers: target.headers,
    body: scenario.body,
    stream: scenario.stream,
    concurrency: scenario.concurrency,
  });
  const [a, b] = await runAlternating(
    [
      { scenario: side(scenario.a), dispatcher: dispatchers.a },
      { scenario: side(scenario.b), dispatcher: dispatchers.b },
    ],
    scenario,
  );
  return { a: a!, b: b! };
}

interface LoadSide {
  readonly scenario: LoadScenario;
  readonly dispatcher: Dispatcher;
}

async function runAlternating(
  sides: readonly LoadSide[],
  limits: {
    readonly concurrency: number;
    readonly durationMs?: number;
    readonly requests?: number;
  },
): Promise<LoadResult[]> {
  if (limits.durationMs === undefined && limits.requests === undefined) {
    throw new Error("a scenario needs durationMs or requests");
  }
  const recorders = sides.map(createRecorder);
  const started = performance.now();
  const deadline = started + (limits.durationMs ?? Number.POSITIVE_INFINITY);
  let remaining = limits.requests ?? Number.POSITIVE_INFINITY;
  const loop = async (first: number): Promise<void> => {
    let next = first;
    while (remaining > 0 && performance.now() < deadline) {
      remaining--;
      const index = next++ % sides.length;
      const side = sides[index]!;
      const send = side.scenario.stream ? sendStream : sendPlain;
      await send(side.scenario, side.dispatcher, recorders[index]!);
    }
  };
  await Promise.all(Array.from({ length: limits.concurrency }, (_, index) => loop(index)));
  const elapsedMs = performance.now() - started;
  return recorders.map((recorder) => summariseRecorder(recorder, elapsedMs));
}

function createRecorder(): Recorder {
  return {
    latenciesMs: [],
    firstChunkMs: [],
    gapsMs: [],
    chunkCounts: [],
    streamStarts: [],
    streamEnds: [],
    errorSamples: [],
    errors: 0,
  };
}

function summariseRecorder(recorder: Recorder, elapsedMs: number): LoadResult {
  const counts = recorder.chunkCounts;
  return {
    completed: recorder.latenciesMs.length,
    errors: recorder.errors,
    errorSamples: recorder.errorSamples,
    elapsedMs,
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
