import { describe, expect, it } from "vitest";
import {
  mapOpenAIFinishReasonToAnthropic,
  stopReasonWithToolCalls,
} from "./map-openai-finish-reason-to-anthropic.js";

describe("mapOpenAIFinishReasonToAnthropic", () => {
  const cases: [string | null | undefined, string][] = [
    ["stop", "end_turn"],
    ["length", "max_tokens"],
    ["tool_calls", "tool_use"],
    ["function_call", "tool_use"],
    ["content_filter", "refusal"],
    ["error", "error"],
    [null, "end_turn"],
    [undefined, "end_turn"],
    ["something_new", "end_turn"],
  ];
  it.each(cases)("%s → %s", (reason, expected) => {
    expect(mapOpenAIFinishReasonToAnthropic(reason)).toBe(expected);
  });
});

describe("stopReasonWithToolCalls", () => {
  it("turns an end_turn with tool calls into tool_use, and nothing else", () => {
    expect([
      stopReasonWithToolCalls("end_turn", true),
      stopReasonWithToolCalls("end_turn", false),
      stopReasonWithToolCalls("max_tokens", true),
    ]).toEqual(["tool_use", "end_turn", "max_tokens"]);
  });
});
