import { randomInt } from "node:crypto";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseDuration } from "../src/config/parse-option-values.js";

export interface SoakOptions {
  /** How long traffic runs, ms, warm-up included. */
  readonly durationMs: number;
  /** The gateway's RSS is taken as the baseline this long after traffic starts, ms. */
  readonly warmupMs: number;
  /** Clients sending one request after another. */
  readonly concurrency: number;
  /** Probability that an upstream model call gets a fault, 0 to 1. */
  readonly faultRate: number;
  /** Lifetime of the Copilot tokens the fake issues, seconds. */
  readonly tokenTtlSeconds: number;
  /** Every issued Copilot token is revoked this often (the 401-and-refresh path), ms; 0: never. */
  readonly revokeEveryMs: number;
  /** A request (a whole stream included) that takes longer counts as a hang, ms. */
  readonly requestTimeoutMs: number;
  /** The gateway's RETRIES: 5xx answers and resets are expected to be retried this often. */
  readonly retries: number;
  /** Growth from the end of the warm-up to the end (each after a full GC) that fails the run:
   *  RSS by more than these MB or this percentage, or the JS heap by more than these MB. */
  readonly maxRssGrowthMb: number;
  readonly maxRssGrowthPercent: number;
  readonly maxHeapGrowthMb: number;
  readonly seed: number;
  /** Print only the JSON line. */
  readonly json: boolean;
  /** The gateway's entry point (dist/src/main.js). */
  readonly gatewayEntry: string;
}

const FLAGS = {
  duration: { type: "string", default: "20s" },
  warmup: { type: "string" },
  concurrency: { type: "string", default: "8" },
  "fault-rate": { type: "string", default: "0.05" },
  "token-ttl": { type: "string", default: "6" },
  "revoke-every": { type: "string", default: "5s" },
  "request-timeout": { type: "string", default: "10s" },
  retries: { type: "string", default: "2" },
  "max-rss-growth-mb": { type: "string", default: "30" },
  "max-rss-growth-percent": { type: "string", default: "25" },
  "max-heap-growth-mb": { type: "string", default: "8" },
  seed: { type: "string" },
  "gateway-entry": { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

export const SOAK_USAGE = `Usage: node dist/bench/soak.js [options]
  --duration <d>               traffic time, warm-up included (default 20s; ms, or with ms, s, m)
  --warmup <d>                 RSS baseline taken after this (default: a quarter of --duration, at most 10s)
  --concurrency <n>            clients in parallel (default 8)
  --fault-rate <p>             probability of an upstream fault per model call, 0-1 (default 0.05)
  --token-ttl <s>              lifetime of the fake's Copilot tokens, seconds (default 6)
  --revoke-every <d>           revoke every Copilot token this often, 0 never (default 5s)
  --request-timeout <d>        a request taking longer is a hang (default 10s)
  --retries <n>                the gateway's RETRIES (default 2)
  --max-rss-growth-mb <n>      fail if the gateway's RSS after a full GC grows more than this
                               from the end of the warm-up to the end (default 30) ...
  --max-rss-growth-percent <n> ... or by more than this percentage (default 25)
  --max-heap-growth-mb <n>     fail if its JS heap after a full GC grows more than this (default 8)
  --seed <n>                   seed of the fault draws (default: random, printed)
  --json                       print only the JSON report line`;

/** Reads the soak's flags; throws an Error naming the flag on a bad value. */
export function parseSoakArguments(argv: readonly string[]): SoakOptions | "help" {
  const { values } = parseArgs({ args: [...argv], options: FLAGS, strict: true });
  if (values.help) return "help";
  const durationMs = parseDuration("--duration", values.duration, { allowZero: false });
  const warmupMs =
    values.warmup === undefined
      ? Math.min(10_000, Math.round(durationMs / 4))
      : parseDuration("--warmup", values.warmup, { allowZero: true });
  if (warmupMs >= durationMs) throw new Error("--warmup: must be shorter than --duration");
  return {
    durationMs,
    warmupMs,
    concurrency: parseWhole("--concurrency", values.concurrency, 1, 1000),
    faultRate: parseFraction("--fault-rate", values["fault-rate"]),
    tokenTtlSeconds: parseWhole("--token-ttl", values["token-ttl"], 1, 86_400),
    revokeEveryMs: parseDuration("--revoke-every", values["revoke-every"], { allowZero: true }),
    requestTimeoutMs: parseDuration("--request-timeout", values["request-timeout"], {
      allowZero: false,
    }),
    retries: parseWhole("--retries", values.retries, 0, 10),
    maxRssGrowthMb: parseWhole("--max-rss-growth-mb", values["max-rss-growth-mb"], 1, 100_000),
    maxRssGrowthPercent: parseWhole(
      "--max-rss-growth-percent",
      values["max-rss-growth-percent"],
      1,
      10_000,
    ),
    maxHeapGrowthMb: parseWhole("--max-heap-growth-mb", values["max-heap-growth-mb"], 1, 100_000),
    seed:
      values.seed === undefined
        ? randomInt(2 ** 32)
        : parseWhole("--seed", values.seed, 0, 2 ** 32 - 1),
    json: values.json,
    gatewayEntry:
      values["gateway-entry"] ??
      // dist/bench/soak.js → dist/src/main.js
      fileURLToPath(new URL("../src/main.js", import.meta.url)),
  };
}

function parseWhole(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${flag}: "${raw}" is not a whole number from ${min} to ${max}`);
  }
  return value;
}

function parseFraction(flag: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === "" || !(value >= 0 && value <= 1)) {
    throw new Error(`${flag}: "${raw}" is not a number from 0 to 1`);
  }
  return value;
}
