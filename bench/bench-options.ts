import { resolve } from "node:path";
import { parseArgs } from "node:util";

export interface BenchOptions {
  /** Measured time per side (DIRECT, THROUGH) of each throughput scenario, ms. */
  readonly durationMs: number;
  /** Print only the JSON line (progress still goes to stderr). */
  readonly json: boolean;
  /** What stands between the client and the fake upstream in the THROUGH rounds. */
  readonly hop: BenchHop;
  /** Keep the dashboard's live request table open (its event stream) during the run. */
  readonly watchRequests: boolean;
  /** Another build's `dist/src/main.js` as the gateway, against this build's fake and load. */
  readonly gatewayEntry: string | undefined;
  /**
   * Another build's `dist/src/main.js` as gateway B, run at the same time as this build's gateway
   * (A) against one fake upstream, the requests alternating between them: the paired comparison.
   */
  readonly compareEntry: string | undefined;
  readonly help: boolean;
}

/**
 * The gateway itself; the bare relay (bench/bare-relay.ts), the least a node:http + undici hop
 * does; or the TCP pipe (bench/tcp-pipe.ts), the least any hop at all does.
 */
export type BenchHop = "gateway" | "bare-relay" | "tcp-pipe";
const HOPS: readonly string[] = ["gateway", "bare-relay", "tcp-pipe"] satisfies BenchHop[];

export const BENCH_USAGE = `usage: node dist/bench/run-bench.js [--duration 5s] [--json] [--hop <h>] [--gateway <main.js>]
       node dist/bench/run-bench.js --compare <main.js> [--gateway <main.js>] [--duration 5s] [--json] [--watch-requests]
  --duration <d>  measured time per side of each throughput scenario (ms, s or m; a bare number
                  is seconds; default 5s, at least 500ms); the chunk-timing check scales with
                  it, the 500-stream check does not
  --json          print only the JSON line
  --hop <h>       what THROUGH goes through: gateway (default), or bare-relay, the least any
                  node:http + undici hop must do (no auth, validation, normalising or logging),
                  to read the gateway's numbers against, or tcp-pipe, a proxy that copies bytes
                  without reading HTTP: what one more process on the path costs, the floor of
                  any hop on this machine
  --watch-requests keep the dashboard's live request table (/ui/api/requests/stream) open
                  during the run, as an owner with the page open would
  --gateway <f>   run another build's gateway (its dist/src/main.js) against this build's fake
                  upstream and load generator: two builds compared on the same upstream
  --compare <f>   paired comparison: this build's gateway (A, or the one --gateway names) and
                  another build's (B, its dist/src/main.js) run at the same time against one fake upstream, each load
                  worker alternating its requests between them; per scenario (plain, stream,
                  agent: a coding agent's ~55 KB streamed turn), the measured
                  --duration is split into 5 rounds, each giving both gateways' CPU per request
                  over the same window and the ratio B/A. With --watch-requests the live request
                  table is open on B only (both get the admin key): --compare dist/src/main.js
                  --watch-requests measures what an open page costs`;

const DEFAULT_DURATION_MS = 5_000;
const MIN_DURATION_MS = 500;

export function parseBenchArguments(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      duration: { type: "string" },
      json: { type: "boolean", default: false },
      hop: { type: "string", default: "gateway" },
      "watch-requests": { type: "boolean", default: false },
      gateway: { type: "string" },
      compare: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  const durationMs =
    values.duration === undefined ? DEFAULT_DURATION_MS : parseDurationMs(values.duration);
  if (durationMs < MIN_DURATION_MS) {
    throw new Error(`--duration: at least ${MIN_DURATION_MS}ms, got ${values.duration}`);
  }
  if (!isBenchHop(values.hop)) {
    throw new Error(`--hop: gateway, bare-relay or tcp-pipe, got ${values.hop}`);
  }
  if (values.gateway !== undefined && values.hop !== "gateway") {
    throw new Error(`--gateway replaces the gateway: it cannot go with --hop ${values.hop}`);
  }
  if (values.compare !== undefined && values.hop !== "gateway") {
    throw new Error(`--compare compares two gateways: it cannot go with --hop ${values.hop}`);
  }
  return {
    durationMs,
    json: values.json,
    hop: values.hop,
    watchRequests: values["watch-requests"],
    gatewayEntry: values.gateway === undefined ? undefined : resolve(values.gateway),
    compareEntry: values.compare === undefined ? undefined : resolve(values.compare),
    help: values.help,
  };
}

/** "500ms", "5s", "1.5m", or a bare number of seconds. */
export function parseDurationMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (match === null) throw new Error(`--duration: not a duration: ${text}`);
  const value = Number(match[1]);
  const unit = match[2] ?? "s";
  return Math.round(value * (unit === "ms" ? 1 : unit === "s" ? 1_000 : 60_000));
}

/** How the phases divide the duration. */
export interface BenchPlan {
  readonly rounds: number;
  readonly roundMs: number;
  readonly warmupMs: number;
  /** Streams per side in the chunk-timing check. */
  readonly timingStreams: number;
}

const ROUNDS = 5;

export function planBench(durationMs: number): BenchPlan {
  const roundMs = Math.round(durationMs / ROUNDS);
  return {
    rounds: ROUNDS,
    roundMs,
    warmupMs: Math.min(1_000, Math.max(300, roundMs)),
    timingStreams: Math.min(40, Math.max(4, Math.round((2 * durationMs) / 1_000))),
  };
}

/** How a paired comparison divides the duration of each scenario. */
export interface ComparePlan {
  readonly rounds: number;
  readonly roundMs: number;
  readonly warmupMs: number;
}

// Both gateways warm (JIT, connections, the Copilot token) before anything is counted: in a
// 1 s warm-up the CPU per request was still falling by half from round to round.
const COMPARE_WARMUP_MS = 3_000;

export function planComparison(durationMs: number): ComparePlan {
  return { rounds: ROUNDS, roundMs: Math.round(durationMs / ROUNDS), warmupMs: COMPARE_WARMUP_MS };
}

function isBenchHop(value: string): value is BenchHop {
  return HOPS.includes(value);
}
