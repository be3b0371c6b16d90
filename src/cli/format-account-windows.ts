import type { AccountState } from "../copilot/account-states.js";
import type { QuotaWindow } from "../copilot/quota-windows.js";
import { renderTable } from "./render-table.js";

export const WINDOWS_NOT_SEEN =
  "not seen yet: the gateway learns these windows from Copilot's answers";

const WINDOW_NAMES: Readonly<Record<string, string>> = {
  session: "Session",
  weekly: "Weekly",
  premium_interactions: "Month",
  chat: "Chat",
};
/** Session and weekly are shown even when Copilot did not report them (business plans). */
const ALWAYS_SHOWN = ["session", "weekly"];
const WINDOW_ORDER = Object.keys(WINDOW_NAMES);

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * The account's Copilot windows as the gateway last saw them in the quota headers of an answer:
 * one row per window with what is left, the reset and the time until it.
 */
export function formatAccountWindows(state: AccountState | undefined, now: number): string[] {
  if (state === undefined) return [`Limits: ${WINDOWS_NOT_SEEN}.`];
  const rows = sortWindows(state.windows).map((name) => {
    const window = state.windows[name];
    const label = WINDOW_NAMES[name] ?? name;
    if (window === undefined) return [label, "not reported by Copilot"];
    return [label, describeLeft(window), ...describeReset(window.resetsAt, now)];
  });
  const lines = [
    `Limits, from Copilot's answer of ${formatUsageTime(state.updatedAt)}:`,
    ...renderTable([["Window", "Left", "Resets", "In"], ...rows]),
  ];
  const exhausted = state.exhausted;
  if (exhausted !== undefined && exhausted.until > now) {
    lines.push(
      `Copilot refused with ${exhausted.code} until ${formatUsageTime(exhausted.until)} ` +
        `(in ${formatDuration(exhausted.until - now)}).`,
    );
  }
  return lines;
}

/** The `--json` shape of the windows; null when the gateway has not seen the account. */
export function accountWindowsToJson(
  state: AccountState | undefined,
  now: number,
): Record<string, unknown> | null {
  if (state === undefined) return null;
  const windows: Record<string, unknown> = {};
  for (const name of sortWindows(state.windows)) {
    const window = state.windows[name];
    if (window === undefined) continue;
    windows[name] = {
      unlimited: window.entitlement === -1,
      entitlement: window.entitlement,
      percent_remaining: window.percentRemaining,
      overage: window.overage,
      overage_permitted: window.overagePermitted,
      resets_at: window.resetsAt === undefined ? null : new Date(window.resetsAt).toISOString(),
      seconds_to_reset:
        window.resetsAt === undefined
          ? null
          : Math.max(0, Math.ceil((window.resetsAt - now) / 1000)),
    };
  }
  const exhausted = state.exhausted;
  return {
    updated_at: new Date(state.updatedAt).toISOString(),
    exhausted:
      exhausted !== undefined && exhausted.until > now
        ? { code: exhausted.code, until: new Date(exhausted.until).toISOString() }
        : null,
    windows,
  };
}

function describeLeft(window: QuotaWindow): string {
  if (window.entitlement === -1) return "unlimited";
  const percent = `${Math.round(window.percentRemaining * 10) / 10}%`;
  if (window.overage > 0) return `${percent}, ${window.overage} over`;
  return percent;
}

function describeReset(resetsAt: number | undefined, now: number): string[] {
  if (resetsAt === undefined) return ["not given", ""];
  return [formatUsageTime(resetsAt), resetsAt <= now ? "passed" : formatDuration(resetsAt - now)];
}

/** `2026-07-14 15:00 UTC`. */
export function formatUsageTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `5d 13h`, `4h 30m`, `12m`, `under 1m`: the two largest units, rounded down. */
export function formatDuration(ms: number): string {
  if (ms < MINUTE_MS) return "under 1m";
  const days = Math.floor(ms / DAY_MS);
  const hours = Math.floor((ms % DAY_MS) / HOUR_MS);
  const minutes = Math.floor((ms % HOUR_MS) / MINUTE_MS);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  return `${minutes}m`;
}

function sortWindows(windows: Readonly<Record<string, QuotaWindow>>): string[] {
  const names = new Set([...ALWAYS_SHOWN, ...Object.keys(windows)]);
  const rank = (name: string) => {
    const index = WINDOW_ORDER.indexOf(name);
    return index === -1 ? WINDOW_ORDER.length : index;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
