import { describe, expect, it } from "vitest";
import {
  anthropicMessagesRequestSchema,
  type AnthropicMessageParam,
} from "../../protocols/anthropic/messages-request.js";
import {
  anthropicMessagesHaveImage,
  initiatorOfAnthropicMessages,
} from "./anthropic-request-traits.js";

function messages(list: unknown[]): AnthropicMessageParam[] {
  return anthropicMessagesRequestSchema.parse({ model: "m", max_tokens: 1, messages: list })
    .messages;
}

const toolResult = { type: "tool_result", tool_use_id: "toolu_1", content: "ok" };
const image = { type: "image", source: { type: "url", url: "https://example.com/a.png" } };

describe("initiatorOfAnthropicMessages", () => {
  const cases: [string, unknown[], "user" | "agent"][] = [
    ["a user string", [{ role: "user", content: "Hi" }], "user"],
    ["fresh user text blocks", [{ role: "user", content: [{ type: "text", text: "Hi" }] }], "user"],
    ["only tool results", [{ role: "user", content: [toolResult, toolResult] }], "agent"],
    [
      "tool results with new user text",
      [{ role: "user", content: [toolResult, { type: "text", text: "and also…" }] }],
      "user",
    ],
    [
      "an assistant prefill",
      [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "{" },
      ],
      "agent",
    ],
    ["a system turn last", [{ role: "system", content: "Be terse." }], "user"],
    ["an empty block list", [{ role: "user", content: [] }], "user"],
  ];
  it.each(cases)("%s", (_name, list, expected) => {
    expect(initiatorOfAnthropicMessages(messages(list))).toBe(expected);
  });
});

describe("anthropicMessagesHaveImage", () => {
  const cases: [string, unknown[], boolean][] = [
    ["text only", [{ role: "user", content: "Hi" }], false],
    ["an image block", [{ role: "user", content: [image] }], true],
    [
      "an image inside a tool result",
      [{ role: "user", content: [{ ...toolResult, content: [image] }] }],
      true,
    ],
    [
      "an image inside a content document",
      [
        {
          role: "user",
          content: [{ type: "document", source: { type: "content", content: [image] } }],
        },
      ],
      true,
    ],
    [
      "a text document",
      [{ role: "user", content: [{ type: "document", source: { type: "text", data: "x" } }] }],
      false,
    ],
    ["a tool result with text", [{ role: "user", content: [toolResult] }], false],
  ];
  it.each(cases)("%s", (_name, list, expected) => {
    expect(anthropicMessagesHaveImage({ messages: messages(list) })).toBe(expected);
  });
});
