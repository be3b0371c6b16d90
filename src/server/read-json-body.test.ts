import { describe, expect, it } from "vitest";
import { exceedsJsonDepth } from "./read-json-body.js";

describe("exceedsJsonDepth", () => {
  const cases: [string, number, boolean][] = [
    ["1", 0, false],
    ["{}", 0, true],
    ["{}", 1, false],
    ['{"a":[1,{"b":[]}]}', 4, false],
    ['{"a":[1,{"b":[]}]}', 3, true],
    ["[[],[],[]]", 2, false],
    ['["[[[[", "{{{{"]', 1, false],
    ['["\\"[[[["]', 1, false],
    ['["\\\\", [[]]]', 2, true],
    ['{"\\u005b": "]]]]"}', 1, false],
  ];
  it.each(cases)("%s with at most %i levels → %s", (json, maxDepth, expected) => {
    expect(exceedsJsonDepth(JSON.parse(json), maxDepth)).toBe(expected);
  });

  it("walks a very deep value without overflowing the stack", () => {
    const deep = JSON.parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`) as unknown;
    expect(exceedsJsonDepth(deep, 128)).toBe(true);
    expect(exceedsJsonDepth(deep, 100_000)).toBe(false);
  });
});
