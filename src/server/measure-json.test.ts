import { describe, expect, it } from "vitest";
import { measureJson } from "./measure-json.js";

const NO_LIMIT = { maxDepth: Infinity, maxNodes: Infinity };

describe("measureJson", () => {
  const cases: [string, number, number][] = [
    ["1", 0, 1],
    ["-12.5e3", 0, 1],
    ['"text"', 0, 1],
    ["true", 0, 1],
    ["{}", 1, 1],
    ["[]", 1, 1],
    ['{"a":[1,{"b":[]}]}', 4, 7],
    ["[[],[],[]]", 2, 4],
    ['["[[[[", "{{{{"]', 1, 3],
    ['["\\"[[[["]', 1, 2],
    ['["\\\\", [[]]]', 3, 4],
    ['{"\\u005b": "]]]]"}', 1, 3],
    ['[ 1 , null , false , "x" ]', 1, 5],
    ['{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}', 3, 10],
    ["\n [\t1,\r\n2 ]\n", 1, 3],
  ];
  it.each(cases)("%s: depth %i, %i nodes", (json, depth, nodes) => {
    expect(measureJson(json, NO_LIMIT)).toEqual({ depth, nodes });
  });

  it("agrees with the values JSON.parse builds", () => {
    const value = {
      model: "claude-sonnet-4.5",
      tools: [{ name: "read", input_schema: { type: "object", properties: { path: {} } } }],
      messages: [{ role: "user", content: [{ type: "text", text: 'a "quoted" \\ text' }] }],
      n: [1, -2.5, 3e10, true, false, null],
    };
    expect(measureJson(JSON.stringify(value), NO_LIMIT)).toEqual({
      depth: countDepth(value),
      nodes: countNodes(value),
    });
  });

  it("stops at the first limit passed, whatever follows", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    expect(measureJson(deep, { maxDepth: 128, maxNodes: Infinity })).toEqual({
      depth: 129,
      nodes: 129,
    });
    const wide = `[${"{},".repeat(1_000_000)}{}]`;
    expect(measureJson(wide, { maxDepth: 128, maxNodes: 500_000 })).toEqual({
      depth: 2,
      nodes: 500_001,
    });
  });

  it("measures malformed text as far as it goes", () => {
    expect(measureJson('{"a": "never closed', NO_LIMIT)).toEqual({ depth: 1, nodes: 3 });
    expect(measureJson("]]]", NO_LIMIT)).toEqual({ depth: 0, nodes: 0 });
  });
});

function countDepth(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(countDepth));
}

function countNodes(value: unknown): number {
  if (typeof value !== "object" || value === null) return 1;
  if (Array.isArray(value)) return 1 + value.reduce((sum: number, v) => sum + countNodes(v), 0);
  // Each key is a string value in the text.
  return Object.values(value).reduce((sum: number, v) => sum + 1 + countNodes(v), 1);
}
