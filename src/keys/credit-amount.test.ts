import { describe, expect, it } from "vitest";
import { formatCredits, parseCredits } from "./credit-amount.js";

describe("parseCredits", () => {
  it.each([
    ["0", 0],
    ["0.1", 100_000_000],
    ["12.5", 12_500_000_000],
    ["300", 300_000_000_000],
    ["0.000000001", 1],
    ["1.123456789", 1_123_456_789],
    [" 2.50 ", 2_500_000_000],
    ["007", 7_000_000_000],
    ["9007199.254740991", Number.MAX_SAFE_INTEGER],
  ])("%j → %d nano-credits", (text, nano) => {
    expect(parseCredits(text)).toBe(nano);
  });

  it.each([
    ["", "expected a number of credits such as 12.5"],
    ["-1", "expected a number of credits such as 12.5"],
    ["1e3", "expected a number of credits such as 12.5"],
    [".5", "expected a number of credits such as 12.5"],
    ["5.", "expected a number of credits such as 12.5"],
    ["1,5", "expected a number of credits such as 12.5"],
    ["0.0000000001", "at most 9 decimals (a nano-credit is the smallest amount)"],
    ["9007199.254740992", "at most 9007199.254740991 credits"],
  ])("refuses %j: %s", (text, message) => {
    expect(() => parseCredits(text)).toThrow(new Error(message));
  });
});

describe("formatCredits", () => {
  it.each([
    [0, "0"],
    [1, "0.000000001"],
    [100_000_000, "0.1"],
    [12_500_000_000, "12.5"],
    [300_000_000_000, "300"],
    [150_325, "0.000150325"],
    [-2_500_000_000, "-2.5"],
    [Number.MAX_SAFE_INTEGER, "9007199.254740991"],
  ])("%d → %j", (nano, text) => {
    expect(formatCredits(nano)).toBe(text);
  });

  it("round-trips what parseCredits reads", () => {
    for (const text of ["0.1", "0.3", "12.345678901", "1.000000001"]) {
      expect(formatCredits(parseCredits(text))).toBe(text);
    }
  });
});
