import { describe, expect, it } from "vitest";
import { matchesAnyModelGlob, matchModelGlob } from "./match-model-glob.js";

describe("matchModelGlob", () => {
  it.each([
    ["gpt-*", "gpt-4o", true],
    ["gpt-*", "gpt-", true],
    ["gpt-*", "gpt", false],
    ["gpt-*", "my-gpt-4o", false],
    ["*", "", true],
    ["*", "claude-sonnet-4.5", true],
    ["", "", true],
    ["", "a", false],
    ["claude-sonnet-*", "claude-sonnet-4.5", true],
    ["claude-sonnet-*", "claude-opus-4.1", false],
    ["*-mini", "gpt-5-mini", true],
    ["*-mini", "gpt-5-mini-high", false],
    ["gpt-?o", "gpt-4o", true],
    ["gpt-?o", "gpt-4.1o", false],
    ["gpt-?", "gpt-", false],
    ["GPT-*", "gpt-4o", true],
    ["gpt-4o", "GPT-4O", true],
    ["gpt-4o", "gpt-4o-mini", false],
    ["gpt-4.1", "gpt-411", false],
    ["*sonnet*", "claude-sonnet-4", true],
    ["*a*b*c", "xaybzc", true],
    ["*a*b*c", "xaybzcd", false],
    ["a**b", "ab", true],
    ["a*?", "a", false],
    ["a*?", "ab", true],
    ["[gpt]", "[gpt]", true],
    ["gpt.4", "gpt-4", false],
  ])("%j against %j: %s", (pattern, model, expected) => {
    expect(matchModelGlob(pattern, model)).toBe(expected);
  });

  it("answers a pathological pattern at once (no exponential backtracking)", () => {
    const started = performance.now();
    expect(matchModelGlob("*a".repeat(30) + "b", "a".repeat(200))).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe("matchesAnyModelGlob", () => {
  it("allows a model that any pattern matches", () => {
    expect(matchesAnyModelGlob(["gpt-*", "claude-sonnet-*"], "claude-sonnet-4.5")).toBe(true);
    expect(matchesAnyModelGlob(["gpt-*", "claude-sonnet-*"], "claude-opus-4.1")).toBe(false);
    expect(matchesAnyModelGlob([], "gpt-4o")).toBe(false);
  });
});
