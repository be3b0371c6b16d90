import { describe, expect, it } from "vitest";
import { readModelLimits } from "./read-model-limits.js";

function modelWith(limits: Record<string, unknown> | undefined) {
  return { id: "m", capabilities: limits === undefined ? {} : { limits } };
}

describe("readModelLimits", () => {
  it("reads the window, prompt and output limits (claude-sonnet-4.5, 2026-03)", () => {
    expect(
      readModelLimits(
        modelWith({
          max_context_window_tokens: 200000,
          max_non_streaming_output_tokens: 16000,
          max_output_tokens: 32000,
          max_prompt_tokens: 168000,
        }),
      ),
    ).toEqual({ contextWindow: 200000, maxInputTokens: 168000, maxOutputTokens: 32000 });
  });

  it("caps the window at prompt + output when Copilot's window is larger (gpt-5-mini)", () => {
    expect(
      readModelLimits(
        modelWith({
          max_context_window_tokens: 264000,
          max_output_tokens: 64000,
          max_prompt_tokens: 128000,
        }),
      ),
    ).toEqual({ contextWindow: 192000, maxInputTokens: 128000, maxOutputTokens: 64000 });
  });

  it("takes the window alone when the other limits are missing", () => {
    expect(readModelLimits(modelWith({ max_context_window_tokens: 32768 }))).toEqual({
      contextWindow: 32768,
      maxInputTokens: undefined,
      maxOutputTokens: undefined,
    });
  });

  it("adds prompt and output when the window is missing", () => {
    expect(readModelLimits(modelWith({ max_prompt_tokens: 1000, max_output_tokens: 24 }))).toEqual({
      contextWindow: 1024,
      maxInputTokens: 1000,
      maxOutputTokens: 24,
    });
  });

  it("ignores what is not a positive integer, and models without limits", () => {
    expect(
      readModelLimits(modelWith({ max_context_window_tokens: "200000", max_prompt_tokens: -1 })),
    ).toEqual({ contextWindow: undefined, maxInputTokens: undefined, maxOutputTokens: undefined });
    expect(readModelLimits({ id: "embedding" })).toEqual({
      contextWindow: undefined,
      maxInputTokens: undefined,
      maxOutputTokens: undefined,
    });
  });
});
