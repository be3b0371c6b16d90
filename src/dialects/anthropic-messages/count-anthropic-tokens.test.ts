import { describe, expect, it } from "vitest";
import { anthropicCountTokensRequestSchema } from "../../protocols/anthropic/messages-request.js";
import { countAnthropicTokens } from "./count-anthropic-tokens.js";

async function count(fields: Record<string, unknown>, tokenizer = "o200k_base"): Promise<number> {
  const request = anthropicCountTokensRequestSchema.parse({
    model: "claude-sonnet-4-5",
    ...fields,
  });
  return countAnthropicTokens(request, tokenizer);
}

const hello = { role: "user", content: "Hello, world" }; // 3 tokens in both encodings
const accented = { role: "user", content: "Ünïcödé façade — naïve café" }; // 10 o200k, 13 cl100k

// Each case: reply priming 3 + per message 3 + the text's tokens + fixed costs.
describe("countAnthropicTokens", () => {
  const cases: [string, Record<string, unknown>, string, number][] = [
    ["one user message", { messages: [hello] }, "o200k_base", 3 + 3 + 3],
    [
      "a system prompt (its billing header not counted) is one more message",
      {
        system: [
          { type: "text", text: "x-anthropic-billing-header: cc_version=2.1.75;" },
          { type: "text", text: "Be brief." },
        ],
        messages: [hello],
      },
      "o200k_base",
      3 + 3 + 3 + 3 + 3,
    ],
    [
      "an image costs a fixed 1600",
      {
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "Hello, world" },
              { type: "image", source: { type: "url", url: "https://example.com/a.png" } },
            ],
          },
        ],
      },
      "o200k_base",
      3 + 3 + 3 + 1600,
    ],
    [
      "tool definitions: the tool-use prompt, name, description and schema",
      {
        messages: [hello],
        tools: [
          {
            name: "get_weather",
            description: "Weather now",
            input_schema: {
              type: "object",
              properties: { city: { type: "string" } },
              required: ["city"],
            },
          },
        ],
      },
      "o200k_base",
      3 + 3 + 3 + 346 + 2 + 2 + 19,
    ],
    [
      "tool use and tool result; thinking not counted",
      {
        messages: [
          hello,
          {
            role: "assistant",
            content: [
              { type: "thinking", thinking: "Long thoughts that are not counted", signature: "s" },
              { type: "tool_use", id: "toolu_1", name: "ls", input: { dir: "." } },
            ],
          },
          {
            role: "user",
            content: [
              {
                type: "tool_result",
                tool_use_id: "toolu_1",
                content: [{ type: "text", text: "ok" }],
              },
            ],
          },
        ],
      },
      "o200k_base",
      3 + (3 + 3) + (3 + 1 + 5) + (3 + 1),
    ],
    ["cl100k_base counts with its own table", { messages: [accented] }, "cl100k_base", 3 + 3 + 13],
    [
      "an unknown tokenizer counts as o200k_base",
      { messages: [accented] },
      "p99k_future",
      3 + 3 + 10,
    ],
    [
      "special-token text is ordinary text",
      { messages: [{ role: "user", content: "<|endoftext|> is a token" }] },
      "o200k_base",
      3 + 3 + 10,
    ],
  ];
  it.each(cases)("%s", async (_name, fields, tokenizer, expected) => {
    expect(await count(fields, tokenizer)).toBe(expected);
  });
});
