import { describe, expect, it } from "vitest";
import { createIsoTimeFormatter } from "./format-iso-time.js";

describe("createIsoTimeFormatter", () => {
  it("gives the exact toISOString text, across seconds and back in time", () => {
    const format = createIsoTimeFormatter();
    expect(format(Date.UTC(2026, 10, 29, 15, 4, 5, 7))).toBe("2026-11-29T15:04:05.007Z");
    expect(format(Date.UTC(2026, 10, 29, 15, 4, 5, 70))).toBe("2026-11-29T15:04:05.070Z");
    expect(format(Date.UTC(2026, 10, 29, 15, 4, 5, 999))).toBe("2026-11-29T15:04:05.999Z");
    expect(format(Date.UTC(2026, 10, 29, 15, 4, 6, 0))).toBe("2026-11-29T15:04:06.000Z");
    expect(format(Date.UTC(2026, 10, 29, 15, 4, 5, 123))).toBe("2026-11-29T15:04:05.123Z");
    expect(format(Date.UTC(2026, 11, 31, 23, 59, 59, 999))).toBe("2026-12-31T23:59:59.999Z");
    expect(format(Date.UTC(2027, 0, 1, 0, 0, 0, 1))).toBe("2027-01-01T00:00:00.001Z");
    expect(format(0)).toBe("1970-01-01T00:00:00.000Z");
  });

  it("falls back to toISOString outside four-digit years and for fractions", () => {
    const format = createIsoTimeFormatter();
    expect(format(-1)).toBe("1969-12-31T23:59:59.999Z");
    expect(format(253_402_300_800_000)).toBe("+010000-01-01T00:00:00.000Z");
    expect(format(1.5)).toBe("1970-01-01T00:00:00.001Z");
  });

  it("matches toISOString on every millisecond of a few seconds", () => {
    const format = createIsoTimeFormatter();
    const start = Date.UTC(2026, 10, 29, 15, 4, 3, 0);
    const mismatches: string[] = [];
    for (let ms = start; ms < start + 3000; ms += 1) {
      const expected = new Date(ms).toISOString();
      if (format(ms) !== expected) mismatches.push(expected);
    }
    expect(mismatches).toEqual([]);
  });
});
