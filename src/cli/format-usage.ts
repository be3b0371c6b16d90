import type { CopilotUser, QuotaSnapshot } from "../github/copilot-user.js";
import { describePlan } from "./describe-plan.js";
import { renderTable } from "./render-table.js";

const BAR_WIDTH = 30;
const QUOTA_NAMES: Readonly<Record<string, string>> = {
  premium_interactions: "Premium requests",
  chat: "Chat",
  completions: "Completions",
};
const QUOTA_ORDER = Object.keys(QUOTA_NAMES);

/**
 * `cogpt usage`: the account, the plan and billing regime, the reset date, then one row per quota
 * with a bar (the month's allowance first).
 */
export function formatUsage(user: CopilotUser): string[] {
  const head = renderTable([
    ["Account:", user.login ?? "unknown"],
    ["Plan:", describePlan(user.plan, user.sku) ?? "unknown"],
    ["Billing:", describeBilling(user.tokenBasedBilling)],
    ["Quota resets:", user.quotaResetDate ?? "unknown"],
  ]);
  const rows = sortQuotas(user.quotas).map(([id, quota]) =>
    formatQuotaRow(quotaName(id, user.tokenBasedBilling), quota),
  );
  if (rows.length === 0) return [...head, "", "GitHub reported no quotas for this account."];
  return [...head, "", ...renderTable([["Quota", "Usage", "Used", "Left"], ...rows])];
}

/** What the month's allowance is counted in, by `token_based_billing`. */
export function describeBilling(tokenBasedBilling: boolean | undefined): string {
  if (tokenBasedBilling === undefined) return "unknown";
  return tokenBasedBilling
    ? "AI credits (by tokens)"
    : "premium requests (per request, at the model's multiplier)";
}

/** `premium_interactions` is the month's allowance: in AI credits under token billing. */
function quotaName(id: string, tokenBasedBilling: boolean | undefined): string {
  if (id === "premium_interactions" && tokenBasedBilling === true) return "AI credits";
  return QUOTA_NAMES[id] ?? id;
}

function formatQuotaRow(name: string, quota: QuotaSnapshot): string[] {
  if (quota.unlimited) return [name, "unlimited", "", ""];
  const percentUsed = percentUsedOf(quota);
  const bar = `${renderUsageBar(percentUsed / 100)} ${percentUsed.toFixed(1)}%`;
  const used = `${usedOf(quota)} / ${quota.entitlement}`;
  const overage =
    quota.overageCount > 0
      ? `, ${quota.overageCount} over`
      : quota.overagePermitted
        ? " (overage permitted)"
        : "";
  return [name, bar, used, `${quota.remaining}${overage}`];
}

/** A bar of `width` cells, `fraction` of them filled (clamped to 0..1). */
export function renderUsageBar(fraction: number, width: number = BAR_WIDTH): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return "█".repeat(filled) + "░".repeat(width - filled);
}

/** The `--json` shape: stable snake_case keys, numbers as GitHub gave them plus `used`. */
export function usageToJson(user: CopilotUser): Record<string, unknown> {
  const quotas: Record<string, unknown> = {};
  for (const [id, quota] of sortQuotas(user.quotas)) {
    quotas[id] = {
      unlimited: quota.unlimited,
      entitlement: quota.entitlement,
      remaining: quota.remaining,
      used: quota.unlimited ? 0 : usedOf(quota),
      percent_used: quota.unlimited ? 0 : percentUsedOf(quota),
      overage_count: quota.overageCount,
      overage_permitted: quota.overagePermitted,
    };
  }
  return {
    login: user.login ?? null,
    plan: user.plan ?? null,
    sku: user.sku ?? null,
    billing:
      user.tokenBasedBilling === undefined
        ? null
        : user.tokenBasedBilling
          ? "ai_credits"
          : "premium_requests",
    quota_reset_date: user.quotaResetDate ?? null,
    quotas,
  };
}

function usedOf(quota: QuotaSnapshot): number {
  return Math.max(0, quota.entitlement - quota.remaining);
}

function percentUsedOf(quota: QuotaSnapshot): number {
  // One decimal, as GitHub gives percent_remaining, without float noise (100 - 8.4 = 91.6).
  return Math.round((100 - quota.percentRemaining) * 10) / 10;
}

function sortQuotas(quotas: ReadonlyMap<string, QuotaSnapshot>): [string, QuotaSnapshot][] {
  const rank = (id: string) => {
    const index = QUOTA_ORDER.indexOf(id);
    return index === -1 ? QUOTA_ORDER.length : index;
  };
  return [...quotas].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}
