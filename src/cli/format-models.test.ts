import { describe, expect, it } from "vitest";
import { parseModelList } from "../copilot/models.js";
import { formatModels, formatTokens, modelsToJson } from "./format-models.js";

const models = parseModelList({
  data: [
    {
      id: "claude-sonnet-4.5",
      vendor: "Anthropic",
      capabilities: { type: "chat", limits: { max_context_window_tokens: 200000 } },
      billing: { is_premium: true, multiplier: 1 },
      policy: { state: "enabled" },
      supported_endpoints: ["/chat/completions", "/v1/messages"],
    },
    {
      id: "gpt-5.3-codex",
      vendor: "OpenAI",
      capabilities: { type: "chat", limits: { max_context_window_tokens: 400000 } },
      billing: { is_premium: true, multiplier: 0.33 },
      policy: { state: "disabled" },
      supported_endpoints: ["/responses", "ws:/responses"],
    },
    {
      id: "gpt-4o",
      vendor: "Azure OpenAI",
      capabilities: { type: "chat", limits: { max_context_window_tokens: 128000 } },
      billing: { is_premium: false, multiplier: 0 },
    },
    { id: "text-embedding-3-small", capabilities: { type: "embeddings" } },
    { id: "gpt-4o", vendor: "duplicate" },
  ],
});

describe("formatModels", () => {
  it("lists each model once, and says where to enable a disabled one", () => {
    expect(formatModels(models)).toEqual([
      "Model                   Vendor        Endpoints                       Context  Premium  Policy",
      "claude-sonnet-4.5       Anthropic     /chat/completions /v1/messages  200k     1x       enabled",
      "gpt-5.3-codex           OpenAI        /responses                      400k     0.33x    disabled",
      "gpt-4o                  Azure OpenAI  /chat/completions               128k     free     -",
      "text-embedding-3-small  -             /embeddings                     -        -        -",
      "",
      "4 models.",
      "Disabled by policy: gpt-5.3-codex. Enable them at https://github.com/settings/copilot " +
        "(on a business or enterprise seat, your organization's admin decides).",
    ]);
  });

  it("gives JSON with the same facts", () => {
    expect(modelsToJson(models.slice(1, 3))).toEqual([
      {
        id: "gpt-5.3-codex",
        vendor: "OpenAI",
        endpoints: ["/responses"],
        context_window: 400000,
        premium_multiplier: 0.33,
        policy: "disabled",
      },
      {
        id: "gpt-4o",
        vendor: "Azure OpenAI",
        endpoints: ["/chat/completions"],
        context_window: 128000,
        premium_multiplier: 0,
        policy: null,
      },
    ]);
  });
});

describe("formatTokens", () => {
  it.each([
    [1_000_000, "1M"],
    [1_500_000, "1.5M"],
    [264_000, "264k"],
    [16_384, "16k"],
    [999, "999"],
  ])("%d → %s", (count, text) => {
    expect(formatTokens(count)).toBe(text);
  });
});
