import type { PendingBill } from "./billing.js";
import { totalNanoAiu } from "./billing.js";
import type {
  FakeBillingRecord,
  FakeLimitErrorCode,
  FakeLimits,
  FakeWindowState,
  RecordedRequest,
  ScriptedRefusal,
} from "./fake-copilot-types.js";
import type { FakeResponse } from "./fake-response.js";
import { parseJsonBody, textResponse } from "./fake-response.js";
import type { FakeState } from "./fake-state.js";
import { takeScriptedRefusal } from "./scripted-answers.js";

const NANO_PER_CREDIT = 1_000_000_000;
const HOUR_MS = 3_600_000;
const SESSION_MS = 5 * HOUR_MS;
const WEEK_MS = 7 * 24 * HOUR_MS;

const DEFAULT_LIMITS = {
  monthlyCredits: 300,
  monthlyUsedNanoAiu: 34_500_000_000,
  overagePermitted: false,
  sessionNanoAiu: 50_000_000_000,
  sessionUsedNanoAiu: 0,
  weeklyNanoAiu: 500_000_000_000,
  weeklyUsedNanoAiu: 0,
} as const;

interface Window {
  entitlementNanoAiu: number;
  usedNanoAiu: number;
  resetAtMs: number;
}

/** One account's windows as billed; created at its first request from its configured limits. */
export interface AccountUsage {
  monthly: Window & { credits: number; overagePermitted: boolean };
  session: Window;
  weekly: Window;
}

/** The model routes Copilot bills and limits. */
const BILLED_PATHS: ReadonlySet<string> = new Set([
  "/chat/completions",
  "/responses",
  "/v1/messages",
]);

/** The GitHub token behind a Copilot request's bearer token, if the fake issued it. */
export function accountOfRequest(state: FakeState, request: RecordedRequest): string | undefined {
  const token = /^bearer\s+(\S+)\s*$/i.exec(request.headers["authorization"] ?? "")?.[1];
  return token === undefined ? undefined : state.issuedTokens.get(token)?.githubToken;
}

export type Admission =
  | { kind: "not-billed" }
  | { kind: "refused"; response: FakeResponse }
  | { kind: "admitted"; account: string; headers: Record<string, string> };

/**
 * Before a model route runs (token and headers already checked): the quota headers as they
 * stand, and a refusal if a test scripted one or a window is used up.
 */
export function admitModelRequest(state: FakeState, request: RecordedRequest): Admission {
  const account = accountOfRequest(state, request);
  const method = request.method === "WS" ? "POST" : request.method;
  if (account === undefined || method !== "POST" || !BILLED_PATHS.has(request.path)) {
    return { kind: "not-billed" };
  }
  const usage = usageOf(state, account);
  const headers = quotaHeaders(usage);
  const parsed = parseJsonBody(request.body);
  const scripted = parsed.ok
    ? takeScriptedRefusal(state.scripted, request.path, parsed.value)
    : undefined;
  const refusal = scripted ?? exhaustedWindow(usage);
  if (refusal === undefined) return { kind: "admitted", account, headers };
  return { kind: "refused", response: refusalResponse(state, usage, refusal, headers) };
}

function exhaustedWindow(usage: AccountUsage): ScriptedRefusal | undefined {
  const { monthly, weekly, session } = usage;
  if (!monthly.overagePermitted && monthly.usedNanoAiu >= monthly.entitlementNanoAiu) {
    return { refuse: "quota_exceeded" };
  }
  if (weekly.usedNanoAiu >= weekly.entitlementNanoAiu)
    return { refuse: "user_weekly_rate_limited" };
  if (session.usedNanoAiu >= session.entitlementNanoAiu)
    return { refuse: "session_quota_exceeded" };
  return undefined;
}

function refusalResponse(
  state: FakeState,
  usage: AccountUsage,
  refusal: ScriptedRefusal,
  headers: Record<string, string>,
): FakeResponse {
  const code = refusal.refuse;
  const resetAtMs = windowOf(usage, code).resetAtMs;
  const secondsLeft = Math.max(0, Math.ceil((resetAtMs - state.now()) / 1000));
  const retryAfter = refusal.retryAfterSeconds ?? (state.limitRetryAfter ? secondsLeft : undefined);
  const error = { message: refusal.message ?? limitMessage(code, secondsLeft, resetAtMs), code };
  const status = code === "quota_exceeded" || code === "billing_not_configured" ? 402 : 429;
  return textResponse(status, `${JSON.stringify({ error })}\n`, {
    ...headers,
    ...(retryAfter === undefined ? {} : { "retry-after": String(retryAfter) }),
  });
}

/** The window whose reset a refusal points at. */
function windowOf(usage: AccountUsage, code: FakeLimitErrorCode): Window {
  switch (code) {
    case "quota_exceeded":
    case "billing_not_configured":
      return usage.monthly;
    case "user_weekly_rate_limited":
      return usage.weekly;
    case "session_quota_exceeded":
    case "user_global_rate_limited":
    case "user_model_rate_limited":
    case "integration_rate_limited":
      return usage.session;
    default: {
      const unhandled: never = code;
      throw new Error(`unknown limit code ${String(unhandled)}`);
    }
  }
}

/** Wording after what users have reported from Copilot's clients. */
function limitMessage(code: FakeLimitErrorCode, secondsLeft: number, resetAtMs: number): string {
  const minutes = Math.max(1, Math.ceil(secondsLeft / 60));
  switch (code) {
    case "quota_exceeded":
      return "You have no quota";
    case "billing_not_configured":
      return "You have used your included AI credits and billing for additional usage is not configured. Ask your administrator to set a budget.";
    case "session_quota_exceeded":
      return `You've reached your session rate limit. Please wait for your limit to reset in ${minutes} minutes.`;
    case "user_weekly_rate_limited":
      return `You've reached your weekly rate limit. Please wait for your limit to reset on ${readableUtc(resetAtMs)} or switch to auto model to continue.`;
    case "user_global_rate_limited":
      return `Sorry, you've exceeded your 5 hour session limits. Please retry after ${secondsLeft} seconds.`;
    case "user_model_rate_limited":
      return `Sorry, you have been rate-limited for this model. Please wait ${minutes} minutes before trying again or consider switching to Auto.`;
    case "integration_rate_limited":
      return `Sorry, this integration has been rate-limited. Please wait ${minutes} minutes before trying again.`;
    default: {
      const unhandled: never = code;
      throw new Error(`unknown limit code ${String(unhandled)}`);
    }
  }
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "December 1, 2026 at 12:00 AM UTC", fixed so it does not depend on the machine's locale. */
function readableUtc(ms: number): string {
  const date = new Date(ms);
  const hours = date.getUTCHours();
  const minutes = String(date.getUTCMinutes()).padStart(2, "0");
  const clock = `${hours % 12 === 0 ? 12 : hours % 12}:${minutes} ${hours < 12 ? "AM" : "PM"}`;
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()} at ${clock} UTC`;
}

/** The four headers Copilot sends on every model answer, as `ent=…&ov=…&ovPerm=…&rem=…&rst=…`. */
export function quotaHeaders(usage: AccountUsage): Record<string, string> {
  const { monthly, session, weekly } = usage;
  const overage = Math.max(0, monthly.usedNanoAiu - monthly.entitlementNanoAiu);
  return {
    "x-quota-snapshot-premium_interactions": snapshotHeader(
      String(monthly.credits),
      overage / NANO_PER_CREDIT,
      monthly.overagePermitted,
      monthly,
    ),
    "x-quota-snapshot-chat": `ent=-1&ov=0.0&ovPerm=false&rem=100.0&rst=${encodeURIComponent(isoOf(monthly.resetAtMs))}`,
    "x-usage-ratelimit-session": snapshotHeader(
      String(session.entitlementNanoAiu),
      0,
      false,
      session,
    ),
    "x-usage-ratelimit-weekly": snapshotHeader(String(weekly.entitlementNanoAiu), 0, false, weekly),
  };
}

function snapshotHeader(ent: string, overage: number, permitted: boolean, window: Window): string {
  const rem = (percentRemainingTenths(window) / 10).toFixed(1);
  const rst = encodeURIComponent(isoOf(window.resetAtMs));
  return `ent=${ent}&ov=${overage.toFixed(1)}&ovPerm=${String(permitted)}&rem=${rem}&rst=${rst}`;
}

/** Percent remaining in tenths, rounded down, exact (BigInt: nano-AIU × 1000 passes 2^53). */
function percentRemainingTenths(window: Window): number {
  if (window.entitlementNanoAiu <= 0) return 0;
  const remaining = BigInt(Math.max(0, window.entitlementNanoAiu - window.usedNanoAiu));
  return Number((remaining * 1000n) / BigInt(window.entitlementNanoAiu));
}

/** ISO time without milliseconds when they are zero, as Copilot writes `rst`. */
function isoOf(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}

/** Adds an answered request to the billing record and to its account's windows. */
export function commitBill(
  state: FakeState,
  bill: PendingBill,
  outputTokens: number,
  complete: boolean,
): void {
  if (bill.account === undefined) return;
  const tokens = { ...bill.tokens, output: outputTokens };
  const nanoAiu = totalNanoAiu(tokens, bill.prices);
  const record: FakeBillingRecord = {
    model: bill.model,
    endpoint: bill.endpoint,
    stream: bill.stream,
    complete,
    account: bill.account,
    inputTokens: tokens.input,
    cacheReadTokens: tokens.cacheRead,
    cacheWriteTokens: tokens.cacheWrite,
    outputTokens: tokens.output,
    nanoAiu,
  };
  state.billing.push(record);
  const usage = usageOf(state, bill.account);
  usage.monthly.usedNanoAiu += nanoAiu;
  usage.session.usedNanoAiu += nanoAiu;
  usage.weekly.usedNanoAiu += nanoAiu;
}

/** The account's windows, created from its limits at first use and rolled past their reset. */
export function usageOf(state: FakeState, account: string): AccountUsage {
  const now = state.now();
  let usage = state.usage.get(account);
  if (usage === undefined) {
    usage = startUsage(limitsOf(state, account), now);
    state.usage.set(account, usage);
  }
  if (now >= usage.monthly.resetAtMs) {
    usage.monthly.usedNanoAiu = 0;
    usage.monthly.resetAtMs = nextMonthStart(now);
  }
  rollWindow(usage.session, now, SESSION_MS);
  rollWindow(usage.weekly, now, WEEK_MS);
  return usage;
}

/** Monthly allowances reset on the 1st at 00:00 UTC. */
function nextMonthStart(ms: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

function rollWindow(window: Window, now: number, periodMs: number): void {
  if (now < window.resetAtMs) return;
  window.usedNanoAiu = 0;
  window.resetAtMs += Math.ceil((now - window.resetAtMs + 1) / periodMs) * periodMs;
}

function limitsOf(state: FakeState, account: string): FakeLimits {
  return { ...state.limits, ...state.accounts.get(account)?.limits };
}

function startUsage(limits: FakeLimits, now: number): AccountUsage {
  const merged = { ...DEFAULT_LIMITS, ...limits };
  return {
    monthly: {
      credits: merged.monthlyCredits,
      entitlementNanoAiu: Math.round(merged.monthlyCredits * NANO_PER_CREDIT),
      usedNanoAiu: merged.monthlyUsedNanoAiu,
      resetAtMs:
        limits.monthlyResetAt === undefined
          ? nextMonthStart(now)
          : parseTime(limits.monthlyResetAt, "monthlyResetAt"),
      overagePermitted: merged.overagePermitted,
    },
    session: {
      entitlementNanoAiu: merged.sessionNanoAiu,
      usedNanoAiu: merged.sessionUsedNanoAiu,
      resetAtMs:
        limits.sessionResetAt === undefined
          ? now + SESSION_MS
          : parseTime(limits.sessionResetAt, "sessionResetAt"),
    },
    weekly: {
      entitlementNanoAiu: merged.weeklyNanoAiu,
      usedNanoAiu: merged.weeklyUsedNanoAiu,
      resetAtMs:
        limits.weeklyResetAt === undefined
          ? now + WEEK_MS
          : parseTime(limits.weeklyResetAt, "weeklyResetAt"),
    },
  };
}

function parseTime(iso: string, name: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`fake-copilot: ${name} is not an ISO time: ${iso}`);
  return ms;
}

/** setLimits(): the account's windows change now, until reset() puts back the configured ones. */
export function setAccountLimits(state: FakeState, account: string, limits: FakeLimits): void {
  if (!state.accounts.has(account)) {
    throw new Error("fake-copilot: setLimits for an unknown account");
  }
  const current = usageOf(state, account);
  // What the account has now; the new limits replace the fields they name.
  const kept: FakeLimits = {
    monthlyCredits: current.monthly.credits,
    monthlyUsedNanoAiu: current.monthly.usedNanoAiu,
    overagePermitted: current.monthly.overagePermitted,
    monthlyResetAt: isoOf(current.monthly.resetAtMs),
    sessionNanoAiu: current.session.entitlementNanoAiu,
    sessionUsedNanoAiu: current.session.usedNanoAiu,
    sessionResetAt: isoOf(current.session.resetAtMs),
    weeklyNanoAiu: current.weekly.entitlementNanoAiu,
    weeklyUsedNanoAiu: current.weekly.usedNanoAiu,
    weeklyResetAt: isoOf(current.weekly.resetAtMs),
  };
  state.usage.set(account, startUsage({ ...kept, ...limits }, state.now()));
}

export function describeUsage(usage: AccountUsage): {
  monthly: FakeWindowState & { overagePermitted: boolean };
  session: FakeWindowState;
  weekly: FakeWindowState;
} {
  const describe = (window: Window, entitlement: number): FakeWindowState => ({
    entitlement,
    usedNanoAiu: window.usedNanoAiu,
    resetAt: isoOf(window.resetAtMs),
  });
  return {
    monthly: {
      ...describe(usage.monthly, usage.monthly.credits),
      overagePermitted: usage.monthly.overagePermitted,
    },
    session: describe(usage.session, usage.session.entitlementNanoAiu),
    weekly: describe(usage.weekly, usage.weekly.entitlementNanoAiu),
  };
}

/** `copilot_internal/user` fields for the account's state (recorded business answer's names). */
export function copilotUserQuota(state: FakeState, account: string): Record<string, unknown> {
  const { monthly } = usageOf(state, account);
  const timestamp = new Date(state.now()).toISOString();
  const unlimited = (quotaId: string) => ({
    quota_id: quotaId,
    unlimited: true,
    has_quota: false,
    entitlement: 0,
    remaining: 0,
    quota_remaining: 0.0,
    percent_remaining: 100.0,
    overage_count: 0,
    overage_permitted: false,
    quota_reset_at: 0,
    timestamp_utc: timestamp,
    token_based_billing: true,
  });
  const remainingNano = Math.max(0, monthly.entitlementNanoAiu - monthly.usedNanoAiu);
  const overageNano = Math.max(0, monthly.usedNanoAiu - monthly.entitlementNanoAiu);
  const resetAt = new Date(monthly.resetAtMs).toISOString();
  return {
    quota_reset_date: resetAt.slice(0, 10),
    quota_reset_date_utc: resetAt,
    token_based_billing: true,
    quota_snapshots: {
      chat: unlimited("chat"),
      completions: unlimited("completions"),
      premium_interactions: {
        quota_id: "premium_interactions",
        unlimited: false,
        has_quota: remainingNano > 0 || monthly.overagePermitted,
        entitlement: monthly.credits,
        remaining: Math.floor(remainingNano / NANO_PER_CREDIT),
        quota_remaining: Math.floor(remainingNano / 100_000_000) / 10,
        percent_remaining: percentRemainingTenths(monthly) / 10,
        overage_count: Math.floor(overageNano / 100_000_000) / 10,
        overage_permitted: monthly.overagePermitted,
        quota_reset_at: 0,
        timestamp_utc: timestamp,
        token_based_billing: true,
      },
    },
  };
}
