import { describe, expect, it } from "vitest";
import { readMessagesUsage } from "./anthropic-messages/read-messages-usage.js";
import { readChatUsage } from "./openai-chat/read-chat-usage.js";
import { readResponsesUsage } from "./openai-responses/read-responses-usage.js";

// Copilot's own cost figure, as the 2026 recordings show it beside `usage`.
const copilotUsage = {
  total_nano_aiu: 1_234_567,
  token_details: [
    { token_type: "input", token_count: 90, cost_per_batch: 250, batch_size: 1000 },
    { token_type: "cache_read", token_count: 10, cost_per_batch: 25, batch_size: 1000 },
    { token_type: "output", token_count: 7, cost_per_batch: 1000, batch_size: 1000 },
  ],
};

describe("readChatUsage", () => {
  it("reads a chat completion's usage and copilot_usage", () => {
    const answer = {
      choices: [],
      usage: {
        prompt_tokens: 100,
        completion_tokens: 7,
        total_tokens: 107,
        prompt_tokens_details: { cached_tokens: 10 },
        completion_tokens_details: { reasoning_tokens: 3 },
      },
      copilot_usage: copilotUsage,
    };
    expect(readChatUsage(answer)).toEqual({
      inputTokens: 100,
      outputTokens: 7,
      cacheReadTokens: 10,
      cacheWriteTokens: 0,
      reasoningTokens: 3,
      copilotUsage,
    });
  });

  it("has nothing to read without usage", () => {
    expect(readChatUsage({ choices: [] })).toBeUndefined();
    expect(readChatUsage("text")).toBeUndefined();
  });
});

describe("readResponsesUsage", () => {
  const response = {
    object: "response",
    usage: {
      input_tokens: 100,
      output_tokens: 7,
      input_tokens_details: { cached_tokens: 10 },
      output_tokens_details: { reasoning_tokens: 5 },
    },
  };
  const expected = {
    inputTokens: 100,
    outputTokens: 7,
    cacheReadTokens: 10,
    cacheWriteTokens: 0,
    reasoningTokens: 5,
  };

  it("reads the response.completed event, copilot_usage beside the response", () => {
    const event = { type: "response.completed", response, copilot_usage: copilotUsage };
    expect(readResponsesUsage(event)).toEqual({ ...expected, copilotUsage });
  });

  it("reads a whole Response", () => {
    expect(readResponsesUsage(response)).toEqual({ ...expected, copilotUsage: undefined });
  });
});

describe("readMessagesUsage", () => {
  it("reads a message's usage, cache reads and writes apart", () => {
    const message = {
      type: "message",
      usage: {
        input_tokens: 100,
        output_tokens: 7,
        cache_read_input_tokens: 10,
        cache_creation_input_tokens: 20,
      },
      copilot_usage: copilotUsage,
    };
    expect(readMessagesUsage(message)).toEqual({
      inputTokens: 100,
      outputTokens: 7,
      cacheReadTokens: 10,
      cacheWriteTokens: 20,
      reasoningTokens: 0,
      copilotUsage,
    });
  });

  it("reads the message_delta event near the end of a stream", () => {
    const delta = { type: "message_delta", usage: { output_tokens: 12 } };
    expect(readMessagesUsage(delta)).toEqual({
      inputTokens: 0,
      outputTokens: 12,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      copilotUsage: undefined,
    });
  });
});
