// A request shaped as Claude Code sends it (system blocks with the billing header and cache
// marks, JSON-schema tools, thinking, a dated model id, a tool loop) through the translation.
import { describe, expect, it } from "vitest";
import { anthropicMessagesRequestSchema } from "../../protocols/anthropic/messages-request.js";
import { initiatorOfAnthropicMessages } from "./anthropic-request-traits.js";
import { convertAnthropicRequestToOpenAI } from "./convert-anthropic-request-to-openai.js";

const schemaHeader = { $schema: "http://json-schema.org/draft-07/schema#" };
const bashSchema = {
  type: "object",
  properties: {
    command: { type: "string", description: "The command to execute" },
    timeout: { type: "number", description: "Optional timeout in milliseconds (max 600000)" },
  },
  required: ["command"],
  additionalProperties: false,
  ...schemaHeader,
};
const readSchema = {
  type: "object",
  properties: {
    file_path: { type: "string", description: "The absolute path to the file to read" },
    offset: { type: "number" },
    limit: { type: "number" },
  },
  required: ["file_path"],
  additionalProperties: false,
  ...schemaHeader,
};
const todoSchema = {
  type: "object",
  properties: {
    todos: {
      type: "array",
      items: {
        type: "object",
        properties: {
          content: { type: "string", minLength: 1 },
          status: { type: "string", enum: ["pending", "in_progress", "completed"] },
        },
        required: ["content", "status"],
        additionalProperties: false,
      },
    },
  },
  required: ["todos"],
  additionalProperties: false,
  ...schemaHeader,
};
const webSearchSchema = {
  type: "object",
  properties: { query: { type: "string", minLength: 2 } },
  required: ["query"],
  additionalProperties: false,
  ...schemaHeader,
};

const identity = "You are Claude Code, Anthropic's official CLI for Claude.";
const instructions =
  "You are an interactive CLI tool that helps users with software engineering tasks.\n\n# Tone and style\nBe concise.";
const userId =
  "user_5b1e0c8d2f_account_0f6e2a1c-3b4d-4e5f-8a9b-0c1d2e3f4a5b_session_9a8b7c6d-5e4f-4321-8765-0fedcba98765";

const claudeCodeRequest = {
  model: "claude-sonnet-4-5-20250929",
  max_tokens: 32000,
  stream: true,
  temperature: 1,
  metadata: { user_id: userId },
  thinking: { type: "enabled", budget_tokens: 31999 },
  system: [
    {
      type: "text",
      text: "x-anthropic-billing-header: cc_version=2.1.75.a1b; cc_entrypoint=cli; cch=3f9e2;",
    },
    { type: "text", text: identity, cache_control: { type: "ephemeral" } },
    { type: "text", text: instructions, cache_control: { type: "ephemeral" } },
  ],
  tools: [
    { name: "Bash", description: "Executes a given bash command.", input_schema: bashSchema },
    {
      name: "Read",
      description: "Reads a file from the local filesystem.",
      input_schema: readSchema,
    },
    { name: "TodoWrite", description: "Create and manage a task list.", input_schema: todoSchema },
    {
      name: "WebSearch",
      description: "Search the web.",
      input_schema: webSearchSchema,
      cache_control: { type: "ephemeral" },
    },
  ],
  messages: [
    {
      role: "user",
      content: [
        {
          type: "text",
          text: "<system-reminder>\nAs you answer the user's questions, you can use the following context.\n</system-reminder>",
        },
        {
          type: "text",
          text: "why does npm test fail?",
          cache_control: { type: "ephemeral" },
        },
      ],
    },
    {
      role: "assistant",
      content: [
        {
          type: "thinking",
          thinking: "I should run the tests first.",
          signature: "EqQBCkYIBxgCKkD…",
        },
        { type: "text", text: "Let me run the tests." },
        {
          type: "tool_use",
          id: "toolu_01RADHtBsZ2RyNHr7R3k4cEX",
          name: "Bash",
          input: { command: "npm test", timeout: 120000 },
        },
      ],
    },
    {
      role: "user",
      content: [
        {
          type: "tool_result",
          tool_use_id: "toolu_01RADHtBsZ2RyNHr7R3k4cEX",
          content: "FAIL src/a.test.ts\n  ✕ adds (3 ms)",
          is_error: true,
          cache_control: { type: "ephemeral" },
        },
      ],
    },
  ],
};

const openAITool = (name: string, description: string, parameters: unknown): unknown => ({
  type: "function",
  function: { name, description, parameters },
});

describe("a Claude Code request through convertAnthropicRequestToOpenAI", () => {
  it("becomes the Chat Completions body Copilot expects", () => {
    const request = anthropicMessagesRequestSchema.parse(claudeCodeRequest);
    expect(
      convertAnthropicRequestToOpenAI(request, {
        model: "claude-sonnet-4.5",
        // claude-sonnet-4.5 lists thinking budgets but no reasoning_effort in /models.
        reasoningEfforts: undefined,
      }),
    ).toEqual({
      body: {
        model: "claude-sonnet-4.5",
        max_tokens: 32000,
        stream: true,
        stream_options: { include_usage: true },
        temperature: 1,
        // The 105-character user_id as its SHA-256: OpenAI takes at most 64 characters.
        user: "d42a2a0edf561b443634ed088d92f7fcc087ea4352c7905fb3c7866ac0ca26a6",
        messages: [
          { role: "system", content: `${identity}\n\n${instructions}` },
          {
            role: "user",
            content: [
              {
                type: "text",
                text: "<system-reminder>\nAs you answer the user's questions, you can use the following context.\n</system-reminder>",
              },
              { type: "text", text: "why does npm test fail?" },
            ],
          },
          {
            role: "assistant",
            content: "Let me run the tests.",
            tool_calls: [
              {
                id: "toolu_01RADHtBsZ2RyNHr7R3k4cEX",
                type: "function",
                function: {
                  name: "Bash",
                  arguments: '{"command":"npm test","timeout":120000}',
                },
              },
            ],
          },
          {
            role: "tool",
            tool_call_id: "toolu_01RADHtBsZ2RyNHr7R3k4cEX",
            content: "Error: FAIL src/a.test.ts\n  ✕ adds (3 ms)",
          },
        ],
        tools: [
          openAITool("Bash", "Executes a given bash command.", bashSchema),
          openAITool("Read", "Reads a file from the local filesystem.", readSchema),
          openAITool("TodoWrite", "Create and manage a task list.", todoSchema),
          openAITool("WebSearch", "Search the web.", webSearchSchema),
        ],
      },
      warnings: [
        'thinking (effort "high") was dropped: claude-sonnet-4.5 takes no reasoning effort through Chat Completions',
      ],
    });
    expect(initiatorOfAnthropicMessages(request.messages)).toBe("agent");
  });

  it("sends the effort when the model offers one", () => {
    const request = anthropicMessagesRequestSchema.parse(claudeCodeRequest);
    const { body, warnings } = convertAnthropicRequestToOpenAI(request, {
      model: "claude-sonnet-4.6",
      reasoningEfforts: ["low", "medium", "high"],
    });
    expect([body.reasoning_effort, warnings]).toEqual(["high", []]);
  });
});
