import { describe, expect, it } from "vitest";
import { parseSince, startOfUtcMonth } from "./usage-period.js";

const NOW = Date.UTC(2026, 6, 14, 10, 30, 0);

describe("parseSince", () => {
  it("reads month, hours and days back, and ISO dates and times", () => {
    expect(parseSince("month", NOW)).toBe(Date.UTC(2026, 6, 1));
    expect(parseSince(" Month ", NOW)).toBe(Date.UTC(2026, 6, 1));
    expect(parseSince("24h", NOW)).toBe(NOW - 86_400_000);
    expect(parseSince("7d", NOW)).toBe(NOW - 7 * 86_400_000);
    expect(parseSince("30D", NOW)).toBe(NOW - 30 * 86_400_000);
    expect(parseSince("2026-07-01", NOW)).toBe(Date.UTC(2026, 6, 1));
    expect(parseSince("2026-07-14T08:15Z", NOW)).toBe(Date.UTC(2026, 6, 14, 8, 15));
    expect(parseSince("2026-07-14T10:00:00+02:00", NOW)).toBe(Date.UTC(2026, 6, 14, 8, 0));
  });

  it("refuses what it cannot read, days that do not exist, and the future", () => {
    expect(() => parseSince("last week", NOW)).toThrow(
      "expected month, 24h, 7d, 30d or an ISO date or time (2026-07-01)",
    );
    expect(() => parseSince("2026-02-30", NOW)).toThrow("not a real date");
    expect(() => parseSince("2026-07-15", NOW)).toThrow(
      "2026-07-15T00:00:00.000Z is in the future",
    );
    expect(() => parseSince("99999999999d", NOW)).toThrow("too far in the past");
  });
});

describe("startOfUtcMonth", () => {
  it("is midnight UTC on the 1st, also on the month's first and last instants", () => {
    expect(startOfUtcMonth(NOW)).toBe(Date.UTC(2026, 6, 1));
    expect(startOfUtcMonth(Date.UTC(2026, 6, 1))).toBe(Date.UTC(2026, 6, 1));
    expect(startOfUtcMonth(Date.UTC(2026, 7, 1) - 1)).toBe(Date.UTC(2026, 6, 1));
  });
});
