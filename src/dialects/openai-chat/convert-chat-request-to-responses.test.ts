import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../errors.js";
import { readCopilotFixtureJson } from "../../translate/__fixtures__/copilot-fixtures.js";
import { convertChatRequestToResponses } from "./convert-chat-request-to-responses.js";

const PNG = "data:image/png;base64,iVBORw0KGgo=";
const hi = { role: "user", content: "Hi" };
const hiItem = { type: "message", role: "user", content: "Hi" };

function convert(fields: Record<string, unknown>) {
  return convertChatRequestToResponses(
    { model: "gpt-5.1-codex", messages: [hi], ...fields },
    { model: "gpt-5.1-codex" },
  );
}

describe("convertChatRequestToResponses: messages", () => {
  const cases: [string, unknown[], Record<string, unknown>, string[]][] = [
    [
      "leading system and developer messages as instructions",
      [
        { role: "system", content: "Be brief." },
        { role: "developer", content: [{ type: "text", text: "Use French." }] },
        hi,
      ],
      { instructions: "Be brief.\n\nUse French.", input: [hiItem] },
      [],
    ],
    [
      "a later system message kept in place",
      [hi, { role: "assistant", content: "Hello" }, { role: "system", content: "Now be formal." }],
      {
        input: [
          hiItem,
          { type: "message", role: "assistant", content: "Hello" },
          { type: "message", role: "system", content: "Now be formal." },
        ],
      },
      [],
    ],
    [
      "user text and images as input parts",
      [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: PNG } },
            { type: "image_url", image_url: { url: "https://example.com/a.jpg", detail: "low" } },
            {
              type: "file",
              file: { file_data: "data:application/pdf;base64,AA==", filename: "a.pdf" },
            },
            { type: "input_audio", input_audio: { data: "AA==", format: "wav" } },
          ],
        },
      ],
      {
        input: [
          {
            type: "message",
            role: "user",
            content: [
              { type: "input_text", text: "What is this?" },
              { type: "input_image", image_url: PNG, detail: "auto" },
              { type: "input_image", image_url: "https://example.com/a.jpg", detail: "low" },
              {
                type: "input_file",
                file_data: "data:application/pdf;base64,AA==",
                filename: "a.pdf",
              },
            ],
          },
        ],
      },
      [
        "messages[0].content[4]: input_audio parts are not supported by the Responses API and were dropped",
      ],
    ],
    [
      "assistant tool calls and tool results",
      [
        hi,
        {
          role: "assistant",
          content: "Checking.",
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: { name: "get_weather", arguments: '{"city":"Paris"}' },
            },
            { id: "call_2", function: { name: "get_time", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "Sunny" },
        { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "noon" }] },
      ],
      {
        input: [
          hiItem,
          { type: "message", role: "assistant", content: "Checking." },
          {
            type: "function_call",
            call_id: "call_1",
            name: "get_weather",
            arguments: '{"city":"Paris"}',
          },
          { type: "function_call", call_id: "call_2", name: "get_time", arguments: "{}" },
          { type: "function_call_output", call_id: "call_1", output: "Sunny" },
          { type: "function_call_output", call_id: "call_2", output: "noon" },
        ],
      },
      [],
    ],
    [
      "an assistant message with only tool calls, and a refusal",
      [
        hi,
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "" } }],
        },
        { role: "tool", tool_call_id: "c", content: "" },
        { role: "assistant", content: null, refusal: "I can't." },
      ],
      {
        input: [
          hiItem,
          { type: "function_call", call_id: "c", name: "f", arguments: "" },
          { type: "function_call_output", call_id: "c", output: "" },
          { type: "message", role: "assistant", content: "I can't." },
        ],
      },
      [],
    ],
    [
      "legacy function calls paired with their results",
      [
        hi,
        {
          role: "assistant",
          content: null,
          function_call: { name: "lookup", arguments: '{"q":1}' },
        },
        { role: "function", name: "lookup", content: "found" },
      ],
      {
        input: [
          hiItem,
          { type: "function_call", call_id: "call_legacy_0", name: "lookup", arguments: '{"q":1}' },
          { type: "function_call_output", call_id: "call_legacy_0", output: "found" },
        ],
      },
      [],
    ],
    [
      "custom tool calls and images outside user messages dropped with warnings",
      [
        hi,
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c", type: "custom", custom: { name: "exec", input: "ls" } }],
        },
        {
          role: "tool",
          tool_call_id: "c",
          content: [{ type: "image_url", image_url: { url: PNG } }],
        },
      ],
      { input: [hiItem, { type: "function_call_output", call_id: "c", output: "" }] },
      [
        "messages[1].tool_calls[0]: custom tool calls are not supported and were dropped",
        "messages[2].content[0]: image_url parts are only carried in user messages and were dropped",
      ],
    ],
  ];
  it.each(cases)("%s", (_name, messages, expected, warnings) => {
    expect(convert({ messages })).toEqual({
      body: { model: "gpt-5.1-codex", store: false, ...expected },
      warnings,
    });
  });
});

describe("convertChatRequestToResponses: settings", () => {
  const weather = {
    type: "function",
    function: {
      name: "get_weather",
      description: "Get the weather",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    },
  };
  const responsesWeather = {
    type: "function",
    name: "get_weather",
    description: "Get the weather",
    parameters: { type: "object", properties: { city: { type: "string" } } },
    strict: false,
  };
  const cases: [string, Record<string, unknown>, Record<string, unknown>, string[]][] = [
    [
      "max_completion_tokens preferred to max_tokens",
      { max_tokens: 500, max_completion_tokens: 300, temperature: 0.5, top_p: 0.9 },
      { max_output_tokens: 300, temperature: 0.5, top_p: 0.9 },
      [],
    ],
    [
      "a token limit below the Responses minimum raised to it",
      { max_tokens: 5 },
      { max_output_tokens: 16 },
      ["a token limit of 5 is below the Responses API's minimum; 16 was sent"],
    ],
    [
      "function tools flattened, lenient unless strict; tool_choice and parallel_tool_calls",
      {
        tools: [weather, { type: "function", function: { name: "ping", strict: true } }],
        tool_choice: { type: "function", function: { name: "get_weather" } },
        parallel_tool_calls: false,
      },
      {
        tools: [
          responsesWeather,
          { type: "function", name: "ping", parameters: null, strict: true },
        ],
        tool_choice: { type: "function", name: "get_weather" },
        parallel_tool_calls: false,
      },
      [],
    ],
    [
      "allowed_tools",
      {
        tools: [weather],
        tool_choice: {
          type: "allowed_tools",
          allowed_tools: {
            mode: "required",
            tools: [{ type: "function", function: { name: "get_weather" } }],
          },
        },
      },
      {
        tools: [responsesWeather],
        tool_choice: {
          type: "allowed_tools",
          mode: "required",
          tools: [{ type: "function", name: "get_weather" }],
        },
      },
      [],
    ],
    [
      "custom tools dropped; no tool left, no tool_choice",
      { tools: [{ type: "custom", custom: { name: "exec" } }], tool_choice: "required" },
      {},
      ["tools[0]: custom tools are not supported and were dropped"],
    ],
    [
      "response_format json_schema as text.format, with verbosity",
      {
        response_format: {
          type: "json_schema",
          json_schema: { name: "out", schema: { type: "object" }, strict: true, description: "d" },
        },
        verbosity: "low",
      },
      {
        text: {
          format: {
            type: "json_schema",
            name: "out",
            schema: { type: "object" },
            strict: true,
            description: "d",
          },
          verbosity: "low",
        },
      },
      [],
    ],
    [
      "response_format json_object",
      { response_format: { type: "json_object" } },
      { text: { format: { type: "json_object" } } },
      [],
    ],
    [
      "reasoning_effort, user, safety_identifier, prompt_cache_key, stream",
      {
        reasoning_effort: "high",
        user: "alice",
        safety_identifier: "s1",
        prompt_cache_key: "k1",
        stream: true,
        stream_options: { include_usage: true },
      },
      {
        reasoning: { effort: "high" },
        user: "alice",
        safety_identifier: "s1",
        prompt_cache_key: "k1",
        stream: true,
      },
      [],
    ],
    [
      "defaults of unsupported fields say nothing",
      {
        n: 1,
        stop: null,
        logprobs: false,
        presence_penalty: 0,
        store: true,
        metadata: { a: "1" },
        service_tier: "auto",
      },
      {},
      [],
    ],
    [
      "n > 1, stop, logprobs and other unsupported fields warned about",
      { n: 3, stop: ["\n"], logprobs: true, top_logprobs: 2, seed: 7, frequency_penalty: 0.5 },
      {},
      [
        "n=3 is not supported by the Responses API: one answer is given",
        "fields not supported by the Responses API were dropped: stop, logprobs, top_logprobs, seed, frequency_penalty",
      ],
    ],
  ];
  it.each(cases)("%s", (_name, fields, expected, warnings) => {
    expect(convert(fields)).toEqual({
      body: { model: "gpt-5.1-codex", input: [hiItem], store: false, ...expected },
      warnings,
    });
  });

  it("refuses a malformed message, naming the field", () => {
    expect(() => convert({ messages: [{ role: "tool", content: "x" }] })).toThrow(
      new InvalidRequestError(
        "Invalid request body: messages[0].tool_call_id: Invalid input: expected string, received undefined",
        { code: "invalid_request_body", param: "messages[0].tool_call_id" },
      ),
    );
  });

  it("converts a recorded Chat Completions tool follow-up", async () => {
    const request = await readCopilotFixtureJson(
      "chat/chat.gpt-4o.tool-followup.2026-03.request.json",
    );
    expect(convertChatRequestToResponses(request, { model: "gpt-5.1-codex" })).toEqual({
      body: {
        model: "gpt-5.1-codex",
        store: false,
        input: [
          { type: "message", role: "user", content: "What is the weather in Tokyo?" },
          {
            type: "function_call",
            call_id: "call_xMrquKCGiAdJpthTnrQNbVpq",
            name: "get_weather",
            arguments: '{"location": "Tokyo"}',
          },
          {
            type: "function_call_output",
            call_id: "call_xMrquKCGiAdJpthTnrQNbVpq",
            output: "Sunny, 22°C",
          },
        ],
        max_output_tokens: 200,
        tools: [
          {
            type: "function",
            name: "get_weather",
            description: "Get the current weather",
            parameters: {
              type: "object",
              properties: { location: { type: "string" } },
              required: ["location"],
            },
            strict: false,
          },
        ],
      },
      warnings: [],
    });
  });
});
