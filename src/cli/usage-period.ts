import { parseIsoTime } from "./parse-iso-time.js";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The first instant of the UTC month holding `now`: Copilot's allowance and budgets reset then. */
export function startOfUtcMonth(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/**
 * `--since` of `cogpt usage`: `month` (the start of the UTC month), `24h`, `7d`, `30d` (any count of
 * hours or days back from now), or an ISO date or time (`2026-07-01`: midnight UTC starting that
 * day; a time without a zone is local time). Must not lie in the future.
 */
export function parseSince(text: string, now: number): number {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === "month") return startOfUtcMonth(now);
  const relative = /^(\d+)\s*([hd])$/i.exec(trimmed);
  const absolute = relative === null ? parseIsoTime(trimmed) : undefined;
  let since: number;
  if (relative !== null) {
    const unit = relative[2]?.toLowerCase() === "h" ? HOUR_MS : DAY_MS;
    since = now - Number(relative[1]) * unit;
  } else if (absolute !== undefined) {
    since = absolute;
  } else {
    throw new Error("expected month, 24h, 7d, 30d or an ISO date or time (2026-07-01)");
  }
  if (!Number.isSafeInteger(since) || since < 0) throw new Error("too far in the past");
  if (since > now) throw new Error(`${new Date(since).toISOString()} is in the future`);
  return since;
}
