import { describe, expect, it } from "vitest";
import type { AccountState } from "../copilot/account-states.js";
import {
  accountWindowsToJson,
  formatAccountWindows,
  formatDuration,
} from "./format-account-windows.js";

const NOW = Date.UTC(2026, 6, 14, 10, 30, 0);

const STATE: AccountState = {
  account: "ghu:0123abcd",
  updatedAt: Date.UTC(2026, 6, 14, 10, 2, 30),
  windows: {
    weekly: {
      name: "weekly",
      entitlement: 100,
      overage: 0,
      overagePermitted: false,
      percentRemaining: 80,
      resetsAt: Date.UTC(2026, 6, 20, 0, 0, 0),
    },
    session: {
      name: "session",
      entitlement: 100,
      overage: 0,
      overagePermitted: false,
      percentRemaining: 62.54,
      resetsAt: Date.UTC(2026, 6, 14, 15, 0, 0),
    },
    premium_interactions: {
      name: "premium_interactions",
      entitlement: 1500,
      overage: 12.5,
      overagePermitted: true,
      percentRemaining: 0,
      resetsAt: Date.UTC(2026, 7, 1),
    },
    chat: {
      name: "chat",
      entitlement: -1,
      overage: 0,
      overagePermitted: false,
      percentRemaining: 100,
      resetsAt: undefined,
    },
  },
};

describe("formatAccountWindows", () => {
  it("shows each window with what is left, the reset and the time to it", () => {
    expect(formatAccountWindows(STATE, NOW)).toEqual([
      "Limits, from Copilot's answer of 2026-07-14 10:02 UTC:",
      "Window   Left           Resets                In",
      "Session  62.5%          2026-07-14 15:00 UTC  4h 30m",
      "Weekly   80%            2026-07-20 00:00 UTC  5d 13h",
      "Month    0%, 12.5 over  2026-08-01 00:00 UTC  17d 13h",
      "Chat     unlimited      not given",
    ]);
  });

  it("names a window Copilot did not report, a reset passed, and a refusal in force", () => {
    const state: AccountState = {
      account: "ghu:0123abcd",
      updatedAt: Date.UTC(2026, 6, 14, 9, 0, 0),
      windows: {
        session: {
          name: "session",
          entitlement: 100,
          overage: 0,
          overagePermitted: false,
          percentRemaining: 0,
          resetsAt: Date.UTC(2026, 6, 14, 10, 29, 30),
        },
      },
      exhausted: { code: "user_weekly_rate_limited", until: Date.UTC(2026, 6, 14, 10, 42, 0) },
    };
    expect(formatAccountWindows(state, NOW)).toEqual([
      "Limits, from Copilot's answer of 2026-07-14 09:00 UTC:",
      "Window   Left                     Resets                In",
      "Session  0%                       2026-07-14 10:29 UTC  passed",
      "Weekly   not reported by Copilot",
      "Copilot refused with user_weekly_rate_limited until 2026-07-14 10:42 UTC (in 12m).",
    ]);
  });

  it("says when the gateway has not served the account yet", () => {
    expect(formatAccountWindows(undefined, NOW)).toEqual([
      "Limits: not seen yet: the gateway learns these windows from Copilot's answers.",
    ]);
  });
});

describe("accountWindowsToJson", () => {
  it("gives ISO resets and whole seconds to them", () => {
    expect(accountWindowsToJson(STATE, NOW)).toEqual({
      updated_at: "2026-07-14T10:02:30.000Z",
      exhausted: null,
      windows: {
        session: {
          unlimited: false,
          entitlement: 100,
          percent_remaining: 62.54,
          overage: 0,
          overage_permitted: false,
          resets_at: "2026-07-14T15:00:00.000Z",
          seconds_to_reset: 16_200,
        },
        weekly: {
          unlimited: false,
          entitlement: 100,
          percent_remaining: 80,
          overage: 0,
          overage_permitted: false,
          resets_at: "2026-07-20T00:00:00.000Z",
          seconds_to_reset: 480_600,
        },
        premium_interactions: {
          unlimited: false,
          entitlement: 1500,
          percent_remaining: 0,
          overage: 12.5,
          overage_permitted: true,
          resets_at: "2026-08-01T00:00:00.000Z",
          seconds_to_reset: 1_517_400,
        },
        chat: {
          unlimited: true,
          entitlement: -1,
          percent_remaining: 100,
          overage: 0,
          overage_permitted: false,
          resets_at: null,
          seconds_to_reset: null,
        },
      },
    });
    expect(accountWindowsToJson(undefined, NOW)).toBeNull();
  });
});

describe("formatDuration", () => {
  it("gives the two largest units, rounded down", () => {
    expect(formatDuration(59_999)).toBe("under 1m");
    expect(formatDuration(60_000)).toBe("1m");
    expect(formatDuration(3_599_999)).toBe("59m");
    expect(formatDuration(3_600_000)).toBe("1h 0m");
    expect(formatDuration(86_400_000 + 3_600_000 * 5 + 60_000 * 7)).toBe("1d 5h");
  });
});
