import { describe, expect, it } from "vitest";
import { toOpenAIModel } from "./to-openai-model.js";

describe("toOpenAIModel", () => {
  it("makes an OpenAI model object and keeps Copilot's metadata", () => {
    expect(
      toOpenAIModel({
        id: "claude-sonnet-4.5",
        object: "model",
        name: "Claude Sonnet 4.5",
        vendor: "Anthropic",
        version: "claude-sonnet-4.5",
        preview: false,
        capabilities: {
          type: "chat",
          family: "claude-sonnet-4.5",
          limits: { max_prompt_tokens: 1 },
        },
        billing: { is_premium: true, multiplier: 1 },
        policy: { state: "enabled", terms: "t" },
        supported_endpoints: ["/chat/completions", "/v1/messages"],
      }),
    ).toEqual({
      id: "claude-sonnet-4.5",
      object: "model",
      created: 0,
      owned_by: "Anthropic",
      name: "Claude Sonnet 4.5",
      vendor: "Anthropic",
      version: "claude-sonnet-4.5",
      preview: false,
      capabilities: { type: "chat", family: "claude-sonnet-4.5", limits: { max_prompt_tokens: 1 } },
      max_input_tokens: 1,
      billing: { is_premium: true, multiplier: 1 },
      policy: { state: "enabled", terms: "t" },
      supported_endpoints: ["/chat/completions", "/v1/messages"],
    });
  });

  it("carries the limits in the fields each ecosystem reads", () => {
    expect(
      toOpenAIModel({
        id: "gpt-5-mini",
        vendor: "Azure OpenAI",
        capabilities: {
          limits: {
            max_context_window_tokens: 264000,
            max_output_tokens: 64000,
            max_prompt_tokens: 128000,
          },
        },
      }),
    ).toEqual({
      id: "gpt-5-mini",
      object: "model",
      created: 0,
      owned_by: "Azure OpenAI",
      vendor: "Azure OpenAI",
      capabilities: {
        limits: {
          max_context_window_tokens: 264000,
          max_output_tokens: 64000,
          max_prompt_tokens: 128000,
        },
      },
      context_window: 192000,
      context_length: 192000,
      max_input_tokens: 128000,
      max_output_tokens: 64000,
      max_completion_tokens: 64000,
      top_provider: { context_length: 192000, max_completion_tokens: 64000 },
    });
  });

  it("names GitHub Copilot as owner when there is no vendor", () => {
    expect(toOpenAIModel({ id: "x" })).toEqual({
      id: "x",
      object: "model",
      created: 0,
      owned_by: "github-copilot",
    });
  });
});
