import { describe, expect, it } from "vitest";
import { createToolCallIndexer } from "./create-tool-call-indexer.js";

describe("createToolCallIndexer", () => {
  it("gives Claude's second call, sent with index 0 and a new id, the next index", () => {
    const indexToolCalls = createToolCallIndexer();
    expect(indexToolCalls([{ id: "toolu_a", index: 0, function: { name: "a" } }])).toEqual([
      { id: "toolu_a", index: 0, function: { name: "a" } },
    ]);
    expect(indexToolCalls([{ index: 0, function: { arguments: "{}" } }])).toEqual([
      { index: 0, function: { arguments: "{}" } },
    ]);
    expect(indexToolCalls([{ id: "toolu_b", index: 0, function: { name: "b" } }])).toEqual([
      { id: "toolu_b", index: 1, function: { name: "b" } },
    ]);
    expect(indexToolCalls([{ index: 0, function: { arguments: '{"x":1}' } }])).toEqual([
      { index: 1, function: { arguments: '{"x":1}' } },
    ]);
    expect(indexToolCalls([{ id: "toolu_c", index: 0 }])).toEqual([{ id: "toolu_c", index: 2 }]);
  });

  it("keeps OpenAI's own indexes, even when calls interleave", () => {
    const indexToolCalls = createToolCallIndexer();
    expect(
      indexToolCalls([
        { id: "call_a", index: 0 },
        { id: "call_b", index: 1 },
      ]),
    ).toEqual([
      { id: "call_a", index: 0 },
      { id: "call_b", index: 1 },
    ]);
    expect(indexToolCalls([{ index: 1, function: { arguments: "b" } }])).toEqual([
      { index: 1, function: { arguments: "b" } },
    ]);
    expect(indexToolCalls([{ index: 0, function: { arguments: "a" } }])).toEqual([
      { index: 0, function: { arguments: "a" } },
    ]);
  });

  it("keeps the index of an id it has seen before", () => {
    const indexToolCalls = createToolCallIndexer();
    indexToolCalls([{ id: "toolu_a", index: 0 }]);
    indexToolCalls([{ id: "toolu_b", index: 0 }]);
    expect(indexToolCalls([{ id: "toolu_b", index: 0, type: "function" }])).toEqual([
      { id: "toolu_b", index: 1, type: "function" },
    ]);
  });

  it("moves an upstream index that a renumbered call already took", () => {
    const indexToolCalls = createToolCallIndexer();
    indexToolCalls([{ id: "a", index: 0 }]);
    indexToolCalls([{ id: "b", index: 0 }]);
    expect(indexToolCalls([{ id: "c", index: 1 }])).toEqual([{ id: "c", index: 2 }]);
    expect(indexToolCalls([{ index: 1, function: { arguments: "c" } }])).toEqual([
      { index: 2, function: { arguments: "c" } },
    ]);
  });

  it("gives an index to calls that have none, and leaves non-objects alone", () => {
    const indexToolCalls = createToolCallIndexer();
    expect(indexToolCalls([{ id: "a" }, "junk"])).toEqual([{ id: "a", index: 0 }, "junk"]);
  });
});
