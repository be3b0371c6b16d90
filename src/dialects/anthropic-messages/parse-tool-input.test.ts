import { describe, expect, it } from "vitest";
import { parseToolInput } from "./parse-tool-input.js";

describe("parseToolInput", () => {
  const cases: [string | null | undefined, unknown][] = [
    ['{"city":"Tokyo"}', { city: "Tokyo" }],
    ["", {}],
    ["  ", {}],
    [null, {}],
    [undefined, {}],
    ['{"city":"Tok', { invalid_json_arguments: '{"city":"Tok' }],
    ["[1,2]", { invalid_json_arguments: "[1,2]" }],
    ['"text"', { invalid_json_arguments: '"text"' }],
    ["null", { invalid_json_arguments: "null" }],
  ];
  it.each(cases)("%j", (text, expected) => {
    expect(parseToolInput(text)).toEqual(expected);
  });
});
