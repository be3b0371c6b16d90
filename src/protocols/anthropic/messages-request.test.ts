import { describe, expect, it } from "vitest";
import {
  anthropicCountTokensRequestSchema,
  anthropicMessagesRequestSchema,
} from "./messages-request.js";

const base = {
  model: "claude-sonnet-4-5",
  max_tokens: 100,
  messages: [{ role: "user", content: "Hi" }],
};

/** The first issue as the route reports it: its path and message. */
function firstIssue(schema: typeof anthropicMessagesRequestSchema, body: unknown): unknown {
  const result = schema.safeParse(body);
  if (result.success) return "valid";
  const issue = result.error.issues[0];
  return [issue?.path, issue?.message];
}

describe("anthropicMessagesRequestSchema", () => {
  const cases: [string, unknown, unknown][] = [
    ["a minimal request", base, "valid"],
    [
      "every content kind, unknown fields kept",
      {
        ...base,
        future_field: true,
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "a", cache_control: { type: "ephemeral", ttl: "1h" } },
              { type: "image", source: { type: "base64", media_type: "image/png", data: "AA==" } },
              { type: "document", source: { type: "text", media_type: "text/plain", data: "d" } },
              { type: "search_result", source: "s", title: "t", content: [] },
            ],
          },
          {
            role: "assistant",
            content: [
              { type: "thinking", thinking: "t", signature: "s" },
              { type: "redacted_thinking", data: "x" },
              { type: "tool_use", id: "toolu_1", name: "f", input: {} },
            ],
          },
          {
            role: "user",
            content: [{ type: "tool_result", tool_use_id: "toolu_1", is_error: true }],
          },
        ],
        tools: [
          { name: "f", input_schema: { type: "object" } },
          { type: "web_search_20250305", name: "web_search" },
        ],
        tool_choice: { type: "tool", name: "f", disable_parallel_tool_use: true },
        thinking: { type: "enabled", budget_tokens: 2048 },
      },
      "valid",
    ],
    [
      "max_tokens is required",
      { model: "m", messages: base.messages },
      [["max_tokens"], "Invalid input: expected number, received undefined"],
    ],
    [
      "messages may not be empty",
      { ...base, messages: [] },
      [["messages"], "Too small: expected array to have >=1 items"],
    ],
    [
      "an unknown block type",
      { ...base, messages: [{ role: "user", content: [{ type: "video", url: "x" }] }] },
      [
        ["messages", 0, "content", 0, "type"],
        expect.stringMatching(/^Invalid discriminator value/) as unknown,
      ],
    ],
    [
      "a text block without text",
      { ...base, messages: [{ role: "user", content: [{ type: "text" }] }] },
      [["messages", 0, "content", 0, "text"], "Invalid input: expected string, received undefined"],
    ],
    [
      "content neither a string nor an array",
      { ...base, messages: [{ role: "user", content: 5 }] },
      [["messages", 0, "content"], "Expected a string or an array of blocks"],
    ],
    [
      "a bad block inside a tool result, named by its path",
      {
        ...base,
        messages: [
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "t", content: [{ type: "image", source: {} }] },
            ],
          },
        ],
      },
      [
        ["messages", 0, "content", 0, "content", 0, "source", "type"],
        expect.stringMatching(/^Invalid discriminator value/) as unknown,
      ],
    ],
    [
      "a system block without text",
      { ...base, system: [{ type: "text", text: "ok" }, { type: "text" }] },
      [["system", 1, "text"], "Invalid input: expected string, received undefined"],
    ],
    [
      "a custom tool without input_schema",
      { ...base, tools: [{ name: "f" }] },
      [["tools", 0, "input_schema"], "Required for a custom tool"],
    ],
    [
      "tool_choice tool without a name",
      { ...base, tool_choice: { type: "tool" } },
      [["tool_choice", "name"], "Invalid input: expected string, received undefined"],
    ],
    [
      "thinking enabled without a budget",
      { ...base, thinking: { type: "enabled" } },
      [["thinking", "budget_tokens"], "Invalid input: expected number, received undefined"],
    ],
  ];
  it.each(cases)("%s", (_name, body, expected) => {
    expect(firstIssue(anthropicMessagesRequestSchema, body)).toEqual(expected);
  });

  it("keeps unknown fields for the translation to report", () => {
    const parsed = anthropicMessagesRequestSchema.parse({ ...base, service_tier: "auto" });
    expect(parsed.service_tier).toBe("auto");
  });
});

describe("anthropicCountTokensRequestSchema", () => {
  it("needs no max_tokens", () => {
    const { max_tokens: _maxTokens, ...body } = base;
    expect(anthropicCountTokensRequestSchema.safeParse(body).success).toBe(true);
  });
});
