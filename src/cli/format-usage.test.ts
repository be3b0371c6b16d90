import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixturesDir } from "../../test/fixtures-dir.js";
import { parseCopilotUser } from "../github/copilot-user.js";
import { formatUsage, renderUsageBar, usageToJson } from "./format-usage.js";

const recorded = JSON.parse(
  readFileSync(join(fixturesDir, "auth/copilot_internal-user.business.2026-06-02.json"), "utf8"),
) as unknown;

describe("formatUsage", () => {
  it("shows the recorded business account as a table with a usage bar", () => {
    expect(formatUsage(parseCopilotUser(recorded))).toEqual([
      "Account:       REDACTED_LOGIN",
      "Plan:          business (copilot_standalone_seat_quota)",
      "Billing:       AI credits (by tokens)",
      "Quota resets:  2026-07-01",
      "",
      "Quota        Usage                                 Used         Left",
      "AI credits   ███████████████████████████░░░ 91.6%  2748 / 3000  252 (overage permitted)",
      "Chat         unlimited",
      "Completions  unlimited",
    ]);
  });

  it("names request billing, and the regime from the snapshot when the account omits it", () => {
    const user = parseCopilotUser({
      login: "octocat",
      copilot_plan: "individual",
      quota_snapshots: {
        premium_interactions: {
          entitlement: 300,
          remaining: 120,
          percent_remaining: 40,
          unlimited: false,
          overage_permitted: false,
          token_based_billing: false,
        },
      },
    });
    expect(user.tokenBasedBilling).toBe(false);
    expect(formatUsage(user)).toEqual([
      "Account:       octocat",
      "Plan:          individual",
      "Billing:       premium requests (per request, at the model's multiplier)",
      "Quota resets:  unknown",
      "",
      "Quota             Usage                                 Used       Left",
      "Premium requests  ██████████████████░░░░░░░░░░░░ 60.0%  180 / 300  120",
    ]);
    expect(usageToJson(user)).toMatchObject({ billing: "premium_requests" });
  });

  it("shows overage, a quota it does not know by name, and missing fields", () => {
    const user = parseCopilotUser({
      quota_snapshots: {
        premium_interactions: {
          entitlement: 300,
          remaining: 0,
          percent_remaining: 0,
          unlimited: false,
          overage_count: 12,
          overage_permitted: true,
        },
        code_review: { entitlement: 50, remaining: 50, percent_remaining: 100, unlimited: false },
        broken: "not an object",
      },
    });
    expect(formatUsage(user)).toEqual([
      "Account:       unknown",
      "Plan:          unknown",
      "Billing:       unknown",
      "Quota resets:  unknown",
      "",
      "Quota             Usage                                  Used       Left",
      "Premium requests  ██████████████████████████████ 100.0%  300 / 300  0, 12 over",
      "code_review       ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 0.0%    0 / 50     50",
    ]);
  });

  it("says so when GitHub reports no quotas", () => {
    expect(formatUsage(parseCopilotUser({ login: "octocat", copilot_plan: "free" }))).toEqual([
      "Account:       octocat",
      "Plan:          free",
      "Billing:       unknown",
      "Quota resets:  unknown",
      "",
      "GitHub reported no quotas for this account.",
    ]);
  });

  it("refuses an answer that is not an object", () => {
    expect(() => parseCopilotUser("nope")).toThrow(
      "GitHub's copilot_internal/user answer was not understood",
    );
  });
});

describe("renderUsageBar", () => {
  it("fills in proportion, clamped", () => {
    expect(renderUsageBar(0.5, 10)).toBe("█████░░░░░");
    expect(renderUsageBar(1.7, 4)).toBe("████");
    expect(renderUsageBar(-1, 4)).toBe("░░░░");
    expect(renderUsageBar(0.916, 30)).toBe(`${"█".repeat(27)}${"░".repeat(3)}`);
  });
});

describe("usageToJson", () => {
  it("gives stable keys with used and percent_used", () => {
    expect(usageToJson(parseCopilotUser(recorded))).toEqual({
      login: "REDACTED_LOGIN",
      plan: "business",
      sku: "copilot_standalone_seat_quota",
      billing: "ai_credits",
      quota_reset_date: "2026-07-01",
      quotas: {
        premium_interactions: {
          unlimited: false,
          entitlement: 3000,
          remaining: 252,
          used: 2748,
          percent_used: 91.6,
          overage_count: 0,
          overage_permitted: true,
        },
        chat: {
          unlimited: true,
          entitlement: 0,
          remaining: 0,
          used: 0,
          percent_used: 0,
          overage_count: 0,
          overage_permitted: false,
        },
        completions: {
          unlimited: true,
          entitlement: 0,
          remaining: 0,
          used: 0,
          percent_used: 0,
          overage_count: 0,
          overage_permitted: false,
        },
      },
    });
  });
});
