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
  readonly help: boolean;
}

/**
 * The gateway itself; the bare relay (bench/bare-relay.ts), the least a node:http + undici hop
 * does; or the TCP pipe (bench/tcp-pipe.ts), the least any hop at all does.
 */
export type BenchHop = "gateway" | "bare-relay" | "tcp-pipe";
const HOPS: readonly string[] = ["gateway", "bare-relay", "tcp-pipe"] satisfies BenchHop[];

export const BENCH_USAGE = `usage: node dist/bench/run-bench.js [--duration 5s] [--json] [--hop <h>] [--gateway <main.js>]
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
                  upstream and load generator: two builds compared on the same upstream`;

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
  return {
    durationMs,
    json: values.json,
    hop: values.hop,
    watchRequests: values["watch-requests"],
    gatewayEntry: values.gateway === undefined ? undefined : resolve(values.gateway),
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

function isBenchHop(value: string): value is BenchHop {
  return HOPS.includes(value);
}
