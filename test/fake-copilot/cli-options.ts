import { parseArgs } from "node:util";
import type { FakeCopilotOptions } from "./fake-copilot-types.js";

type NumberOption =
  | "githubPort"
  | "copilotPort"
  | "chunkDelayMs"
  | "streamChunks"
  | "tokenTtlSeconds"
  | "tokenExchangeDelayMs";

const NUMBER_FLAGS: ReadonlyArray<readonly [string, NumberOption]> = [
  ["port-github", "githubPort"],
  ["port-copilot", "copilotPort"],
  ["chunk-delay-ms", "chunkDelayMs"],
  ["stream-chunks", "streamChunks"],
  ["token-ttl-seconds", "tokenTtlSeconds"],
  ["token-exchange-delay-ms", "tokenExchangeDelayMs"],
];

/**
 * Windows too large for any load run to use up: a benchmark or a soak measures the gateway, not
 * the account's limits (the tests that want limits set them).
 */
export const LOAD_RUN_LIMITS = {
  monthlyCredits: 1_000_000_000,
  monthlyUsedNanoAiu: 0,
  sessionNanoAiu: 1e18,
  weeklyNanoAiu: 1e18,
} as const;

/**
 * Reads the CLI flags (`--port-github N --port-copilot N --chunk-delay-ms N --stream-chunks N`,
 * `--unlimited`, …).
 */
export function parseFakeCopilotArguments(argv: readonly string[]): FakeCopilotOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      "port-github": { type: "string" },
      "port-copilot": { type: "string" },
      "chunk-delay-ms": { type: "string" },
      "stream-chunks": { type: "string" },
      "token-ttl-seconds": { type: "string" },
      "token-exchange-delay-ms": { type: "string" },
      "min-api-version": { type: "string" },
      unlimited: { type: "boolean", default: false },
    },
    strict: true,
  });
  const flags: Record<string, string | boolean | undefined> = values;
  const options: FakeCopilotOptions = {};
  for (const [flag, option] of NUMBER_FLAGS) {
    const raw = flags[flag];
    if (raw === undefined) continue;
    const value = Number(raw);
    if (raw === "" || !Number.isInteger(value) || value < 0) {
      throw new Error(`--${flag}: not a whole number: ${raw}`);
    }
    options[option] = value;
  }
  if (values["min-api-version"] !== undefined) options.minApiVersion = values["min-api-version"];
  if (values.unlimited === true) options.limits = LOAD_RUN_LIMITS;
  return options;
}
