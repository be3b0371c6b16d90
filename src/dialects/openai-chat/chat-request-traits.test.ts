import { describe, expect, it } from "vitest";
import { chatMessagesHaveImage, initiatorOfChatMessages } from "./chat-request-traits.js";
import type { OpenAIChatMessage } from "../../protocols/openai/chat-request.js";

describe("initiatorOfChatMessages", () => {
  const cases: [string, OpenAIChatMessage[], "user" | "agent"][] = [
    ["a new user message", [{ role: "user", content: "hi" }], "user"],
    [
      "a user message after a whole tool exchange",
      [
        { role: "user", content: "hi" },
        { role: "assistant", content: null },
        { role: "tool", content: "42" },
        { role: "assistant", content: "it is 42" },
        { role: "user", content: "thanks" },
      ],
      "user",
    ],
    [
      "a tool result",
      [
        { role: "user", content: "hi" },
        { role: "assistant", content: null },
        { role: "tool", content: "42" },
      ],
      "agent",
    ],
    ["a legacy function result", [{ role: "user" }, { role: "function", content: "x" }], "agent"],
    [
      "an assistant prefill",
      [
        { role: "user", content: "hi" },
        { role: "assistant", content: "Sure" },
      ],
      "agent",
    ],
    ["only a system prompt", [{ role: "system", content: "be nice" }], "user"],
    ["a developer message last", [{ role: "developer", content: "x" }], "user"],
    ["no messages", [], "user"],
  ];
  it.each(cases)("%s", (_name, messages, expected) => {
    expect(initiatorOfChatMessages(messages)).toBe(expected);
  });
});

describe("chatMessagesHaveImage", () => {
  it("finds image_url parts anywhere", () => {
    expect(
      chatMessagesHaveImage([
        { role: "system", content: "x" },
        {
          role: "user",
          content: [
            { type: "text", text: "what is this" },
            { type: "image_url", image_url: { url: "data:image/png;base64,AA==" } },
          ],
        },
      ]),
    ).toBe(true);
  });
  it("is false for text only", () => {
    expect(
      chatMessagesHaveImage([
        { role: "user", content: [{ type: "text", text: "hi" }] },
        { role: "user", content: "hi" },
        { role: "assistant", content: null },
      ]),
    ).toBe(false);
  });
});
