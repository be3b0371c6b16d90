import { describe, expect, it } from "vitest";
import { parseQuotaWindow, readQuotaWindows } from "./quota-windows.js";

describe("readQuotaWindows", () => {
  it("reads every quota header of an answer, the recorded shape among them", () => {
    expect(
      readQuotaWindows({
        "content-type": "application/json",
        // As recorded in test/fixtures/copilot/headers/chat.stream.claude-sonnet-4.2025-07-22:
        // the allowance used up, overage permitted (and used).
        "x-quota-snapshot-premium_interactions":
          "ent=1000&ov=408.0&ovPerm=true&rem=0.0&rst=2025-08-01T00%3A00%3A00Z",
        "x-quota-snapshot-chat":
          "ent=-1&ov=0.0&ovPerm=false&rem=100.0&rst=2025-08-01T00%3A00%3A00Z",
        "x-usage-ratelimit-session": "ent=100&ov=0&ovPerm=false&rem=62.5&rst=2025-07-14T17:30:00Z",
        "x-usage-ratelimit-weekly": "ent=100&rem=97.25",
        "x-github-request-id": "C0DE:1234",
      }),
    ).toEqual([
      {
        name: "premium_interactions",
        entitlement: 1000,
        overage: 408,
        overagePermitted: true,
        percentRemaining: 0,
        resetsAt: Date.UTC(2025, 7, 1),
      },
      {
        name: "chat",
        entitlement: -1,
        overage: 0,
        overagePermitted: false,
        percentRemaining: 100,
        resetsAt: Date.UTC(2025, 7, 1),
      },
      {
        name: "session",
        entitlement: 100,
        overage: 0,
        overagePermitted: false,
        percentRemaining: 62.5,
        resetsAt: Date.UTC(2025, 6, 14, 17, 30),
      },
      {
        name: "weekly",
        entitlement: 100,
        overage: 0,
        overagePermitted: false,
        percentRemaining: 97.25,
        resetsAt: undefined,
      },
    ]);
  });

  it("skips headers of another shape, without a window name, or repeated", () => {
    expect(
      readQuotaWindows({
        "x-quota-snapshot-": "ent=1&rem=1",
        "x-quota-snapshot-a": "rem=50",
        "x-quota-snapshot-b": "ent=10",
        "x-quota-snapshot-c": "ent=ten&rem=50",
        "x-quota-snapshot-d": "ent=&rem=50",
        "x-quota-snapshot-e": "garbage",
        "x-usage-ratelimit-f": ["ent=1&rem=1", "ent=2&rem=2"],
        "x-usage-ratelimit-g": undefined,
        "x-usage-ratelimit-h": "ent=1&rem=Infinity",
      }),
    ).toEqual([]);
  });
});

describe("parseQuotaWindow", () => {
  it("reads a reset time it cannot parse as none", () => {
    expect(parseQuotaWindow("session", "ent=5&rem=1&rst=soon&ov=x&ovPerm=TRUE")).toEqual({
      name: "session",
      entitlement: 5,
      overage: 0,
      overagePermitted: false,
      percentRemaining: 1,
      resetsAt: undefined,
    });
    expect(parseQuotaWindow("session", "ent=5&rem=1&rst=")?.resetsAt).toBeUndefined();
  });
});
