import { describe, expect, it } from "vitest";
import { CliError } from "./cli-error.js";
import { parseExpiry, readKeyFlags } from "./key-flags.js";

const NOW = Date.UTC(2026, 6, 1, 12, 0, 0);

function usageError(work: () => unknown): { message: string; exitCode: number } {
  try {
    work();
  } catch (error) {
    if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
    throw error;
  }
  throw new Error("expected a CliError");
}

describe("readKeyFlags", () => {
  it("reads every flag into exact values", () => {
    expect(
      readKeyFlags(
        {
          account: "work",
          expires: "30d",
          creditsPerDay: "12.5",
          creditsPerMonth: "0.1",
          requestsPerMinute: "60",
          concurrency: "4",
          models: "gpt-*, claude-sonnet-*,gpt-*",
          fallbackModel: "gpt-4.1",
        },
        NOW,
      ),
    ).toEqual({
      account: "work",
      expiresAt: NOW + 30 * 86_400_000,
      nanoCreditsPerDay: 12_500_000_000,
      nanoCreditsPerMonth: 100_000_000,
      requestsPerMinute: 60,
      concurrency: 4,
      models: ["gpt-*", "claude-sonnet-*"],
      fallbackModel: "gpt-4.1",
    });
  });

  it("leaves out flags not given, and clears those given as none or empty", () => {
    expect(readKeyFlags({}, NOW)).toEqual({});
    expect(
      readKeyFlags(
        {
          account: "none",
          expires: "",
          creditsPerDay: "NONE",
          creditsPerMonth: " ",
          requestsPerMinute: "none",
          concurrency: "",
          models: "none",
          fallbackModel: "",
        },
        NOW,
      ),
    ).toEqual({
      account: null,
      expiresAt: null,
      nanoCreditsPerDay: null,
      nanoCreditsPerMonth: null,
      requestsPerMinute: null,
      concurrency: null,
      models: null,
      fallbackModel: null,
    });
  });

  it.each([
    [
      { creditsPerDay: "0.0000000001" },
      '--credits-per-day "0.0000000001": at most 9 decimals (a nano-credit is the smallest amount)',
    ],
    [
      { creditsPerMonth: "-5" },
      '--credits-per-month "-5": expected a number of credits such as 12.5',
    ],
    [
      { requestsPerMinute: "0" },
      '--requests-per-minute "0": expected a whole number of at least 1',
    ],
    [{ concurrency: "2.5" }, '--concurrency "2.5": expected a whole number of at least 1'],
    [
      { models: "gpt-*,,o3" },
      "--models \"gpt-*,,o3\": expected model names or patterns separated by commas, such as 'gpt-*,claude-sonnet-*'",
    ],
    [
      { expires: "tomorrow" },
      '--expires "tomorrow": expected an ISO date or time (2026-12-31, 2026-12-31T18:00Z) or 30d, 12h, 90m, 2w',
    ],
    [{ expires: "2026-01-01" }, '--expires "2026-01-01": 2026-01-01T00:00:00.000Z is in the past'],
  ])("refuses %j as a usage error", (values, message) => {
    expect(usageError(() => readKeyFlags(values, NOW))).toEqual({ message, exitCode: 2 });
  });
});

describe("parseExpiry", () => {
  it.each([
    ["90m", NOW + 90 * 60_000],
    ["12h", NOW + 12 * 3_600_000],
    ["30d", NOW + 30 * 86_400_000],
    ["2W", NOW + 14 * 86_400_000],
    ["2026-12-31", Date.UTC(2026, 11, 31)],
    ["2026-12-31T18:00Z", Date.UTC(2026, 11, 31, 18)],
    ["2026-12-31T18:00:30.5+02:00", Date.UTC(2026, 11, 31, 16, 0, 30, 500)],
  ])("%j", (text, at) => {
    expect(parseExpiry(text, NOW)).toBe(at);
  });

  it.each([
    ["0d", "expected a time in the future"],
    ["2026-02-30", "not a real date"],
    ["2026-13-01", "not a real date"],
    ["2026-07-01T12:00Z", "2026-07-01T12:00:00.000Z is in the past"],
    ["99999999999999d", "too far in the future"],
  ])("refuses %j", (text, message) => {
    expect(() => parseExpiry(text, NOW)).toThrow(new Error(message));
  });
});
