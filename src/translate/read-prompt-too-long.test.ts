import { describe, expect, it } from "vitest";
import { InvalidRequestError, UpstreamError } from "../errors.js";
import { readPromptTooLong } from "./read-prompt-too-long.js";

describe("readPromptTooLong", () => {
  it("reads both counts out of Copilot's refusal", () => {
    const error = new UpstreamError(
      400,
      "prompt token count of 140512 exceeds the limit of 128000",
      { code: "model_max_prompt_tokens_exceeded" },
    );
    expect(readPromptTooLong(error)).toEqual({ promptTokens: 140512, limit: 128000 });
  });

  it("is undefined for another code, even with the same words", () => {
    const error = new UpstreamError(400, "prompt token count of 2 exceeds the limit of 1", {
      code: "upstream_rejected",
    });
    expect(readPromptTooLong(error)).toBeUndefined();
  });

  it("knows the refusal without counts when the message has none", () => {
    const error = new InvalidRequestError("too long", { code: "model_max_prompt_tokens_exceeded" });
    expect(readPromptTooLong(error)).toEqual({ promptTokens: undefined, limit: undefined });
  });
});
