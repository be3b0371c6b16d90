import { parseCredits } from "../keys/credit-amount.js";
import type { KeyChanges } from "../keys/managed-key.js";
import { CliError, EXIT_USAGE } from "./cli-error.js";
import { parseIsoTime } from "./parse-iso-time.js";

/** The limit flags of `cogpt keys create` and `update`, as commander hands them over. */
export interface KeyFlagValues {
  readonly account?: string;
  readonly expires?: string;
  readonly creditsPerDay?: string;
  readonly creditsPerMonth?: string;
  readonly requestsPerMinute?: string;
  readonly concurrency?: string;
  readonly models?: string;
  readonly fallbackModel?: string;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * The changes the flags ask for: a field is absent when its flag is not given, and null when it
 * is given as `none` or empty (no limit, no expiry, the server-held account). Throws a usage error
 * naming the flag for a value it cannot read.
 */
export function readKeyFlags(values: KeyFlagValues, now: number): KeyChanges {
  const changes: { -readonly [Field in keyof KeyChanges]: KeyChanges[Field] } = {};
  const read = <T>(flag: string, text: string | undefined, parse: (text: string) => T) => {
    if (text === undefined) return undefined;
    if (isNone(text)) return null;
    try {
      return parse(text.trim());
    } catch (error) {
      throw new CliError(
        `${flag} ${JSON.stringify(text)}: ${error instanceof Error ? error.message : String(error)}`,
        EXIT_USAGE,
      );
    }
  };
  const account = read("--account", values.account, (text) => text);
  if (account !== undefined) changes.account = account;
  const expiresAt = read("--expires", values.expires, (text) => parseExpiry(text, now));
  if (expiresAt !== undefined) changes.expiresAt = expiresAt;
  const perDay = read("--credits-per-day", values.creditsPerDay, parseCredits);
  if (perDay !== undefined) changes.nanoCreditsPerDay = perDay;
  const perMonth = read("--credits-per-month", values.creditsPerMonth, parseCredits);
  if (perMonth !== undefined) changes.nanoCreditsPerMonth = perMonth;
  const perMinute = read("--requests-per-minute", values.requestsPerMinute, parseCount);
  if (perMinute !== undefined) changes.requestsPerMinute = perMinute;
  const concurrency = read("--concurrency", values.concurrency, parseCount);
  if (concurrency !== undefined) changes.concurrency = concurrency;
  const models = read("--models", values.models, parseModelGlobs);
  if (models !== undefined) changes.models = models;
  const fallback = read("--fallback-model", values.fallbackModel, (text) => text);
  if (fallback !== undefined) changes.fallbackModel = fallback;
  return changes;
}

function isNone(text: string): boolean {
  const trimmed = text.trim();
  return trimmed === "" || trimmed.toLowerCase() === "none";
}

/**
 * `30d`, `12h`, `90m`, `2w` from now, or an ISO 8601 date or time (`2026-12-31`: midnight UTC
 * starting that day; a time without a zone is local time). Must lie in the future.
 */
export function parseExpiry(text: string, now: number): number {
  const relative = /^(\d+)\s*([mhdw])$/i.exec(text);
  const absolute = relative === null ? parseIsoTime(text) : undefined;
  let at: number;
  if (relative !== null) {
    const amount = Number(relative[1]);
    const unit = UNIT_MS[(relative[2] ?? "").toLowerCase()] ?? Number.NaN;
    if (amount === 0) throw new Error("expected a time in the future");
    at = now + amount * unit;
  } else if (absolute !== undefined) {
    at = absolute;
  } else {
    throw new Error(
      "expected an ISO date or time (2026-12-31, 2026-12-31T18:00Z) or 30d, 12h, 90m, 2w",
    );
  }
  if (!Number.isSafeInteger(at)) throw new Error("too far in the future");
  if (at <= now) throw new Error(`${new Date(at).toISOString()} is in the past`);
  return at;
}

/** A whole number of at least 1. */
function parseCount(text: string): number {
  const count = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 1)
    throw new Error("expected a whole number of at least 1");
  return count;
}

/** `gpt-*, claude-sonnet-*` → `["gpt-*", "claude-sonnet-*"]`. */
function parseModelGlobs(text: string): string[] {
  const globs = text.split(",").map((glob) => glob.trim());
  if (globs.some((glob) => glob === "" || /\s/.test(glob))) {
    throw new Error(
      "expected model names or patterns separated by commas, such as 'gpt-*,claude-sonnet-*'",
    );
  }
  return [...new Set(globs)];
}
