import { describe, expect, it } from "vitest";
import { UpstreamError } from "../../errors.js";
import { readCopilotFixtureJson } from "../../translate/__fixtures__/copilot-fixtures.js";
import { normalizeChatCompletion } from "../../translate/normalize-chat-completion.js";
import { convertOpenAIResponseToAnthropic } from "./convert-openai-response-to-anthropic.js";

const model = "claude-sonnet-4-20250514";

async function convertFixture(name: string): Promise<unknown> {
  const body = await readCopilotFixtureJson(`chat/${name}`);
  const normalized = normalizeChatCompletion(body, { model: "gpt-4o", created: 1700000000 });
  return convertOpenAIResponseToAnthropic(normalized, { model });
}

function completion(
  message: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): unknown {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1700000000,
    model: "gpt-5-mini",
    choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: "stop" }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    ...extra,
  };
}

const plainUsage = {
  input_tokens: 10,
  output_tokens: 5,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

describe("convertOpenAIResponseToAnthropic on recorded answers", () => {
  it("gpt-4o text", async () => {
    expect(await convertFixture("chat.gpt-4o.simple.2026-03.json")).toEqual({
      id: "msg_chatcmpl-DEqnH0yBs2iqFxWiNe1fVMxt2DXSr",
      type: "message",
      role: "assistant",
      model,
      content: [{ type: "text", text: "Hello, howdy there!" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: {
        input_tokens: 15,
        output_tokens: 7,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
  });

  it("gpt-4o tool call", async () => {
    expect(await convertFixture("chat.gpt-4o.tool-call.2026-03.json")).toEqual({
      id: "msg_chatcmpl-DEqoxtV6YeiL5d6QdvqUFV5KDoM0n",
      type: "message",
      role: "assistant",
      model,
      content: [
        {
          type: "tool_use",
          id: "call_xMrquKCGiAdJpthTnrQNbVpq",
          name: "get_weather",
          input: { location: "Tokyo" },
        },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: {
        input_tokens: 57,
        output_tokens: 15,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
  });

  it("claude tool call with cached prompt tokens: the msg_ id is kept, cache reads apart", async () => {
    const message = (await convertFixture("chat.claude-sonnet-4.tool-call.2025-07-22.json")) as {
      id: string;
      content: { type: string; id: string; name: string; input: { todos: unknown[] } }[];
      stop_reason: string;
      usage: unknown;
    };
    expect([
      message.id,
      message.stop_reason,
      message.usage,
      message.content.map((block) => [block.type, block.id, block.name, block.input.todos.length]),
    ]).toEqual([
      "msg_vrtx_01KqjoMyjy1KPKAU4gk58Gi1",
      "tool_use",
      {
        input_tokens: 2502,
        output_tokens: 176,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 15864,
      },
      [["tool_use", "toolu_vrtx_01RADHtBsZ2RyNHr7R3k4cEX", "TodoWrite", 4]],
    ]);
  });
});

describe("convertOpenAIResponseToAnthropic", () => {
  const cases: [string, unknown, unknown, string][] = [
    [
      "reasoning_text and reasoning_opaque → a signed thinking block first",
      completion({ content: "42.", reasoning_text: "Six times seven.", reasoning_opaque: "enc" }),
      [
        { type: "thinking", thinking: "Six times seven.", signature: "enc" },
        { type: "text", text: "42." },
      ],
      "end_turn",
    ],
    [
      "reasoning_content without a signature",
      completion({ content: "42.", reasoning_content: "Six times seven." }),
      [
        { type: "thinking", thinking: "Six times seven.", signature: "" },
        { type: "text", text: "42." },
      ],
      "end_turn",
    ],
    [
      "text then tool calls; malformed arguments kept visibly",
      completion({
        content: "Checking.",
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "ls", arguments: "" } },
          { id: "call_2", type: "function", function: { name: "cat", arguments: '{"f":' } },
        ],
      }),
      [
        { type: "text", text: "Checking." },
        { type: "tool_use", id: "call_1", name: "ls", input: {} },
        { type: "tool_use", id: "call_2", name: "cat", input: { invalid_json_arguments: '{"f":' } },
      ],
      // finish_reason was "stop", but the message holds tool calls.
      "tool_use",
    ],
    [
      "a refusal is shown as text",
      completion({ content: null, refusal: "I can't help with that." }),
      [{ type: "text", text: "I can't help with that." }],
      "end_turn",
    ],
    ["no content at all", completion({ content: null }), [], "end_turn"],
    [
      "max tokens",
      completion(
        { content: "Once upon" },
        {
          choices: [{ index: 0, message: { content: "Once upon" }, finish_reason: "length" }],
        },
      ),
      [{ type: "text", text: "Once upon" }],
      "max_tokens",
    ],
  ];
  it.each(cases)("%s", (_name, input, content, stopReason) => {
    expect(convertOpenAIResponseToAnthropic(input, { model })).toEqual({
      id: "msg_chatcmpl-1",
      type: "message",
      role: "assistant",
      model,
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: plainUsage,
    });
  });

  it("no usage: zeros", () => {
    const message = convertOpenAIResponseToAnthropic(
      completion({ content: "x" }, { usage: null }),
      {
        model,
      },
    );
    expect(message.usage).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  const failures: [string, unknown, string][] = [
    [
      'finish_reason "error"',
      completion(
        { content: "partial" },
        {
          choices: [{ index: 0, message: { content: "partial" }, finish_reason: "error" }],
        },
      ),
      'Copilot ended the answer with finish_reason "error"',
    ],
    [
      "no choice",
      completion({}, { choices: [] }),
      "Copilot sent a chat completion that was not understood: it has no choice",
    ],
    [
      "not a completion",
      "<html>",
      "Copilot sent a chat completion that was not understood: Invalid input: expected object, received string",
    ],
  ];
  it.each(failures)("%s is a 502", (_name, input, message) => {
    let caught: unknown;
    try {
      convertOpenAIResponseToAnthropic(input, { model });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UpstreamError);
    expect([(caught as UpstreamError).status, (caught as UpstreamError).message]).toEqual([
      502,
      message,
    ]);
  });
});
