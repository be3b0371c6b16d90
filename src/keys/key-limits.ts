import { LimitError, PermissionError } from "../errors.js";
import type { BudgetWindow, Ledger } from "../ledger/sqlite-ledger.js";
import { formatCredits } from "../keys/credit-amount.js";
import type { ManagedKey } from "./managed-key.js";
import { matchModelGlob } from "./match-model-glob.js";

/** Per-key limits, checked before a request is served. */
export interface KeyLimiter {
  /**
   * Admits one request of `key` or throws a 429 naming the limit: its credits for the day and the
   * month (spent, plus what its requests in flight may still cost), its requests per minute and
   * its concurrency. Returns the function that ends the request's turn once its answer is over,
   * told what it cost.
   */
  admit(key: ManagedKey): (nanoCredits: number) => void;
  /** Throws a 403 when `key` may not use the model (asked as `asked`, served as `used`). */
  checkModel(key: ManagedKey, asked: string, used: string): void;
}

interface KeyActivity {
  inFlight: number;
  /** Start times of the requests of the last minute, oldest first. */
  readonly recent: number[];
}

const MINUTE_MS = 60_000;
/** How many recent answers the expected cost of one request averages over. */
const COST_SAMPLES = 8;

export function createKeyLimiter(ledger: Ledger, now: () => number): KeyLimiter {
  const activity = new Map<string, KeyActivity>();
  const typicalCost = new Map<string, number>();

  function activityOf(name: string): KeyActivity {
    let found = activity.get(name);
    if (found === undefined) {
      found = { inFlight: 0, recent: [] };
      activity.set(name, found);
    }
    return found;
  }

  function checkBudget(key: ManagedKey, window: BudgetWindow, limit: number, at: number): void {
    const spent = ledger.spent(key.name, window, at);
    const inFlight = (activity.get(key.name)?.inFlight ?? 0) * (typicalCost.get(key.name) ?? 0);
    if (spent + inFlight < limit) return;
    const resetsAt = window === "day" ? nextUtcDay(at) : nextUtcMonth(at);
    const held =
      inFlight > 0
        ? ` (${formatCredits(spent)} spent and ${formatCredits(inFlight)} held by requests in progress)`
        : "";
    throw new LimitError(
      "quota",
      `Key "${key.name}" has used ${formatCredits(spent + inFlight)} of its ${formatCredits(limit)} ` +
        `credits for this ${window === "day" ? "day" : "month"} (UTC)${held}; the budget resets at ` +
        `${new Date(resetsAt).toISOString()}`,
      { code: "insufficient_quota", retryAfter: secondsUntil(resetsAt, at) },
    );
  }

  return {
    admit(key) {
      const at = now();
      if (key.nanoCreditsPerDay !== undefined) checkBudget(key, "day", key.nanoCreditsPerDay, at);
      if (key.nanoCreditsPerMonth !== undefined) {
        checkBudget(key, "month", key.nanoCreditsPerMonth, at);
      }
      const state = activityOf(key.name);
      while (state.recent.length > 0 && (state.recent[0] ?? 0) <= at - MINUTE_MS)
        state.recent.shift();
      if (key.requestsPerMinute !== undefined && state.recent.length >= key.requestsPerMinute) {
        const freeAt = (state.recent[0] ?? at) + MINUTE_MS;
        throw new LimitError(
          "rate_limit",
          `Key "${key.name}" made ${state.recent.length} requests in the last minute, its limit ` +
            `is ${key.requestsPerMinute} per minute; the next is allowed at ${new Date(freeAt).toISOString()}`,
          { code: "rate_limit_exceeded", retryAfter: secondsUntil(freeAt, at) },
        );
      }
      if (key.concurrency !== undefined && state.inFlight >= key.concurrency) {
        throw new LimitError(
          "rate_limit",
          `Key "${key.name}" already has ${state.inFlight} requests in progress, its limit is ` +
            `${key.concurrency} at a time; send the next when one has finished`,
          { code: "rate_limit_exceeded", retryAfter: "1" },
        );
      }
      state.recent.push(at);
      state.inFlight += 1;
      let released = false;
      return (cost) => {
        if (released) return;
        released = true;
        state.inFlight -= 1;
        // What one request of the key costs on average is what one in flight may still cost.
        const previous = typicalCost.get(key.name);
        typicalCost.set(
          key.name,
          previous === undefined ? cost : previous + (cost - previous) / COST_SAMPLES,
        );
        if (state.inFlight === 0 && state.recent.length === 0) activity.delete(key.name);
      };
    },
    checkModel(key, asked, used) {
      if (key.models === undefined) return;
      // The model that would serve is what costs: an alias (MODEL_MAP) must not widen the list.
      if (key.models.some((glob) => matchModelGlob(glob, used))) return;
      const served = used === asked ? "" : ` (served as "${used}")`;
      throw new PermissionError(
        `Key "${key.name}" may not use model "${asked}"${served}; it may use: ${key.models.join(", ")}`,
        { code: "model_not_allowed", param: "model" },
      );
    },
  };
}

function nextUtcDay(at: number): number {
  const date = new Date(at);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
}

function nextUtcMonth(at: number): number {
  const date = new Date(at);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

function secondsUntil(time: number, at: number): string {
  return String(Math.max(1, Math.ceil((time - at) / 1000)));
}
