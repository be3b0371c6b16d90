import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readQuotaWindows } from "./quota-windows.js";

const fixture = (name: string): Record<string, string> =>
  (
    JSON.parse(
      readFileSync(new URL(`../../test/fixtures/copilot/headers/${name}`, import.meta.url), "utf8"),
    ) as { headers: Record<string, string> }
  ).headers;

describe("readQuotaWindows on recorded Copilot answers", () => {
  it("reads every window of a recorded stream's headers", () => {
    expect(
      readQuotaWindows(fixture("chat.stream.claude-sonnet-4.2025-07-22.headers.json")),
    ).toEqual([
      {
        name: "chat",
        entitlement: -1,
        overage: 0,
        overagePermitted: false,
        percentRemaining: 100,
        resetsAt: Date.UTC(2025, 7, 1),
      },
      {
        name: "completions",
        entitlement: -1,
        overage: 0,
        overagePermitted: false,
        percentRemaining: 100,
        resetsAt: Date.UTC(2025, 7, 1),
      },
      {
        name: "premium_interactions",
        entitlement: 1000,
        overage: 408,
        overagePermitted: true,
        percentRemaining: 0,
        resetsAt: Date.UTC(2025, 7, 1),
      },
    ]);
  });
});
