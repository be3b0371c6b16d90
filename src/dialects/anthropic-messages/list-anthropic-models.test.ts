import { describe, expect, it } from "vitest";
import type { CopilotModel } from "../../protocols/copilot.js";
import { listAnthropicModels } from "./list-anthropic-models.js";

const SONNET: CopilotModel = {
  id: "claude-sonnet-4.5",
  name: "Claude Sonnet 4.5",
  capabilities: {
    type: "chat",
    limits: {
      max_context_window_tokens: 200000,
      max_output_tokens: 32000,
      max_prompt_tokens: 168000,
    },
  },
};
const GPT: CopilotModel = { id: "gpt-4.1", capabilities: { type: "chat" } };
const EMBEDDING: CopilotModel = {
  id: "text-embedding-3-small",
  capabilities: { type: "embeddings" },
};
const HAIKU: CopilotModel = { id: "claude-haiku-4.5", name: "Claude Haiku 4.5" };
const ALL = [SONNET, GPT, EMBEDDING, HAIKU];

function idsOf(page: { data: { id: string }[] }): string[] {
  return page.data.map((model) => model.id);
}

describe("listAnthropicModels", () => {
  it("answers Anthropic's page with the limits Claude Code reads, without embeddings", () => {
    expect(listAnthropicModels(ALL, {})).toEqual({
      data: [
        {
          type: "model",
          id: "claude-sonnet-4.5",
          display_name: "Claude Sonnet 4.5",
          created_at: "1970-01-01T00:00:00Z",
          max_input_tokens: 168000,
          max_tokens: 32000,
        },
        {
          type: "model",
          id: "gpt-4.1",
          display_name: "gpt-4.1",
          created_at: "1970-01-01T00:00:00Z",
        },
        {
          type: "model",
          id: "claude-haiku-4.5",
          display_name: "Claude Haiku 4.5",
          created_at: "1970-01-01T00:00:00Z",
        },
      ],
      has_more: false,
      first_id: "claude-sonnet-4.5",
      last_id: "claude-haiku-4.5",
    });
  });

  it("pages with limit, after_id and before_id", () => {
    const first = listAnthropicModels(ALL, { limit: "2" });
    expect([idsOf(first), first.has_more, first.first_id, first.last_id]).toEqual([
      ["claude-sonnet-4.5", "gpt-4.1"],
      true,
      "claude-sonnet-4.5",
      "gpt-4.1",
    ]);
    const next = listAnthropicModels(ALL, { limit: "2", afterId: "gpt-4.1" });
    expect([idsOf(next), next.has_more]).toEqual([["claude-haiku-4.5"], false]);
    const before = listAnthropicModels(ALL, { limit: "1", beforeId: "claude-haiku-4.5" });
    expect([idsOf(before), before.has_more]).toEqual([["gpt-4.1"], true]);
    const empty = listAnthropicModels([], {});
    expect(empty).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
  });

  it("refuses a limit out of 1–1000 and an unknown id, naming the parameter", () => {
    expect(() => listAnthropicModels(ALL, { limit: "0" })).toThrow(
      'limit: "0" is not a whole number 1–1000',
    );
    expect(() => listAnthropicModels(ALL, { limit: "1001" })).toThrow("limit");
    expect(() => listAnthropicModels(ALL, { afterId: "nope" })).toThrow(
      'after_id: no model "nope"',
    );
  });
});
