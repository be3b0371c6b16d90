import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../errors.js";
import { openAIResponsesRequestSchema } from "../../protocols/openai/responses-request.js";
import { readCopilotFixtureJson } from "../../translate/__fixtures__/copilot-fixtures.js";
import {
  convertResponsesRequestToChat,
  type ConvertResponsesRequestOptions,
} from "./convert-responses-request-to-chat.js";

const PNG = "data:image/png;base64,iVBORw0KGgo=";

/** Parses the request as the route will (so every case is a valid Responses request), then converts. */
function convert(
  fields: Record<string, unknown>,
  options: Partial<ConvertResponsesRequestOptions> = {},
): { body: unknown; warnings: string[] } {
  const request = openAIResponsesRequestSchema.parse({ model: "gpt-4o", input: "Hi", ...fields });
  return convertResponsesRequestToChat(request, { model: "gpt-4o", ...options });
}

function messagesOf(input: unknown): { messages: unknown; warnings: string[] } {
  const { body, warnings } = convert({ input });
  return { messages: (body as { messages: unknown }).messages, warnings };
}

const hi = { role: "user", content: "Hi" };
const call = (id: string, name = "get_weather", args = '{"city":"Paris"}') => ({
  type: "function_call",
  call_id: id,
  name,
  arguments: args,
});
const chatCall = (id: string, name = "get_weather", args = '{"city":"Paris"}') => ({
  id,
  type: "function",
  function: { name, arguments: args },
});

describe("convertResponsesRequestToChat: input", () => {
  const cases: [string, unknown, unknown[], string[]][] = [
    ["a string", "Hello", [{ role: "user", content: "Hello" }], []],
    [
      "easy messages of every role",
      [
        { role: "system", content: "Be brief." },
        { role: "developer", content: "Use French." },
        { role: "user", content: "Hello" },
        { role: "assistant", content: "Bonjour" },
      ],
      [
        { role: "system", content: "Be brief." },
        { role: "system", content: "Use French." },
        { role: "user", content: "Hello" },
        { role: "assistant", content: "Bonjour" },
      ],
      [],
    ],
    [
      "one input_text part as a string",
      [{ type: "message", role: "user", content: [{ type: "input_text", text: "Hello" }] }],
      [{ role: "user", content: "Hello" }],
      [],
    ],
    [
      "text and images as parts, detail kept where Chat knows it",
      [
        {
          role: "user",
          content: [
            { type: "input_text", text: "What is this?" },
            { type: "input_image", image_url: PNG, detail: "high" },
            { type: "input_image", image_url: "https://example.com/cat.jpg", detail: "original" },
          ],
        },
      ],
      [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: PNG, detail: "high" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
          ],
        },
      ],
      [],
    ],
    [
      "images by file id, files and audio dropped with warnings",
      [
        {
          role: "user",
          content: [
            { type: "input_text", text: "Look" },
            { type: "input_image", file_id: "file_1", detail: "auto" },
            { type: "input_file", file_id: "file_2" },
            { type: "input_audio", input_audio: { data: "AA==", format: "wav" } },
          ],
        },
      ],
      [{ role: "user", content: "Look" }],
      [
        "input[0].content[1]: an image given by file_id needs OpenAI's file store, which Copilot lacks; it was dropped",
        "input[0].content[2]: input_file parts are not supported by Chat Completions and were dropped",
        "input[0].content[3]: input_audio parts are not supported by Chat Completions and were dropped",
      ],
    ],
    [
      "assistant history as output_text and refusal parts",
      [
        hi,
        {
          type: "message",
          id: "msg_1",
          status: "completed",
          role: "assistant",
          content: [
            { type: "output_text", text: "Partly", annotations: [] },
            { type: "refusal", refusal: "I can't do the rest." },
          ],
        },
      ],
      [hi, { role: "assistant", content: "Partly", refusal: "I can't do the rest." }],
      [],
    ],
    [
      "system parts joined, an image in them dropped",
      [
        {
          role: "developer",
          content: [
            { type: "input_text", text: "Rule one." },
            { type: "input_text", text: "Rule two." },
            { type: "input_image", image_url: PNG, detail: "auto" },
          ],
        },
        hi,
      ],
      [{ role: "system", content: "Rule one.\n\nRule two." }, hi],
      [
        "input[0].content[2]: input_image parts are not supported by Chat Completions and were dropped",
      ],
    ],
    [
      "a function call after the assistant text joins that message",
      [
        hi,
        { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "gAAA" },
        { role: "assistant", content: "Let me check." },
        call("call_1"),
        { type: "function_call_output", call_id: "call_1", output: "Sunny" },
      ],
      [
        hi,
        { role: "assistant", content: "Let me check.", tool_calls: [chatCall("call_1")] },
        { role: "tool", tool_call_id: "call_1", content: "Sunny" },
      ],
      [],
    ],
    [
      "consecutive function calls in one assistant message",
      [
        hi,
        call("call_1"),
        call("call_2", "get_time", "{}"),
        { type: "function_call_output", call_id: "call_1", output: "Sunny" },
        { type: "function_call_output", call_id: "call_2", output: "noon" },
        { role: "assistant", content: "Sunny at noon." },
      ],
      [
        hi,
        {
          role: "assistant",
          content: null,
          tool_calls: [chatCall("call_1"), chatCall("call_2", "get_time", "{}")],
        },
        { role: "tool", tool_call_id: "call_1", content: "Sunny" },
        { role: "tool", tool_call_id: "call_2", content: "noon" },
        { role: "assistant", content: "Sunny at noon." },
      ],
      [],
    ],
    [
      "consecutive assistant texts (a preamble, then the answer) in one message",
      [
        hi,
        { role: "assistant", content: "Thinking aloud." },
        { role: "assistant", content: "Done." },
      ],
      [hi, { role: "assistant", content: "Thinking aloud.\n\nDone." }],
      [],
    ],
    [
      "function outputs as parts: text joined, images after the tool results",
      [
        hi,
        call("call_1", "screenshot", "{}"),
        call("call_2", "read", "{}"),
        {
          type: "function_call_output",
          call_id: "call_1",
          output: [
            { type: "input_text", text: "Here is the screen:" },
            { type: "input_image", image_url: PNG, detail: "low" },
          ],
        },
        {
          type: "function_call_output",
          call_id: "call_2",
          output: [
            { type: "input_text", text: "line 1" },
            { type: "input_text", text: "line 2" },
          ],
        },
        { role: "user", content: "And now?" },
      ],
      [
        hi,
        {
          role: "assistant",
          content: null,
          tool_calls: [chatCall("call_1", "screenshot", "{}"), chatCall("call_2", "read", "{}")],
        },
        { role: "tool", tool_call_id: "call_1", content: "Here is the screen:" },
        { role: "tool", tool_call_id: "call_2", content: "line 1\nline 2" },
        { role: "user", content: [{ type: "image_url", image_url: { url: PNG, detail: "low" } }] },
        { role: "user", content: "And now?" },
      ],
      [],
    ],
    [
      "an image-only function output last",
      [
        hi,
        call("call_1", "screenshot", "{}"),
        {
          type: "function_call_output",
          call_id: "call_1",
          output: [{ type: "input_image", image_url: PNG, detail: "auto" }],
        },
      ],
      [
        hi,
        {
          role: "assistant",
          content: null,
          tool_calls: [chatCall("call_1", "screenshot", "{}")],
        },
        { role: "tool", tool_call_id: "call_1", content: "" },
        { role: "user", content: [{ type: "image_url", image_url: { url: PNG, detail: "auto" } }] },
      ],
      [],
    ],
    [
      "hosted tool items dropped with a warning",
      [
        hi,
        { type: "web_search_call", id: "ws_1", status: "completed" },
        { type: "local_shell_call", call_id: "c1", status: "completed" },
      ],
      [hi],
      [
        "input[1]: web_search_call items are not supported by Chat Completions and were dropped",
        "input[2]: local_shell_call items are not supported by Chat Completions and were dropped",
      ],
    ],
    [
      "empty messages left out",
      [{ role: "system", content: "" }, { role: "user", content: [] }, hi],
      [hi],
      [],
    ],
  ];
  it.each(cases)("%s", (_name, input, messages, warnings) => {
    expect(messagesOf(input)).toEqual({ messages, warnings });
  });

  it("refuses an item_reference: CoGPT stores no items", () => {
    const request = openAIResponsesRequestSchema.parse({
      input: [hi, { type: "item_reference", id: "msg_123" }],
    });
    expect(() => convertResponsesRequestToChat(request, { model: "gpt-4o" })).toThrow(
      new InvalidRequestError(
        "input[1]: item_reference points to a stored item, and CoGPT stores none; send the item itself",
        { code: "unsupported_item_reference", param: "input[1]" },
      ),
    );
  });
});

describe("convertResponsesRequestToChat: settings", () => {
  const weather = {
    type: "function",
    name: "get_weather",
    description: "Get the weather",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  };
  const chatWeather = {
    type: "function",
    function: {
      name: "get_weather",
      description: "Get the weather",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    },
  };
  const cases: [string, Record<string, unknown>, Record<string, unknown>, string[]][] = [
    [
      "instructions as the first system message",
      { instructions: "Be brief.", input: [hi] },
      { messages: [{ role: "system", content: "Be brief." }, hi] },
      [],
    ],
    [
      "max_output_tokens, temperature, top_p, user",
      { max_output_tokens: 256, temperature: 0.2, top_p: 0.9, user: "alice" },
      { max_tokens: 256, temperature: 0.2, top_p: 0.9, user: "alice" },
      [],
    ],
    [
      "safety_identifier preferred to user; a long one hashed",
      { user: "alice", safety_identifier: "x".repeat(65) },
      { user: "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9" },
      [],
    ],
    [
      "function tools, a function tool_choice, parallel_tool_calls",
      {
        tools: [
          { ...weather, strict: true },
          { type: "function", name: "ping" },
        ],
        tool_choice: { type: "function", name: "get_weather" },
        parallel_tool_calls: false,
      },
      {
        tools: [
          { ...chatWeather, function: { ...chatWeather.function, strict: true } },
          {
            type: "function",
            function: { name: "ping", parameters: { type: "object", properties: {} } },
          },
        ],
        tool_choice: { type: "function", function: { name: "get_weather" } },
        parallel_tool_calls: false,
      },
      [],
    ],
    [
      "hosted tools dropped; tool_choice required kept for the functions left",
      {
        tools: [weather, { type: "web_search" }, { type: "file_search", vector_store_ids: [] }],
        tool_choice: "required",
      },
      { tools: [chatWeather], tool_choice: "required" },
      [
        "tools[1]: the web_search tool runs only at OpenAI and was dropped",
        "tools[2]: the file_search tool runs only at OpenAI and was dropped",
      ],
    ],
    [
      "allowed_tools keeps only the allowed functions",
      {
        tools: [weather, { type: "function", name: "ping" }],
        tool_choice: {
          type: "allowed_tools",
          mode: "required",
          tools: [{ type: "function", name: "get_weather" }],
        },
      },
      { tools: [chatWeather], tool_choice: "required" },
      [],
    ],
    [
      "no tool left: tool_choice and parallel_tool_calls dropped",
      {
        tools: [{ type: "web_search" }],
        tool_choice: { type: "web_search_preview" },
        parallel_tool_calls: true,
      },
      {},
      [
        "tools[0]: the web_search tool runs only at OpenAI and was dropped",
        'tool_choice "web_search_preview" names a tool that runs only at OpenAI and was dropped',
      ],
    ],
    [
      "a required tool_choice without any tool",
      { tool_choice: "required" },
      {},
      ["tool_choice was dropped: no function tool could be carried"],
    ],
    [
      "text.format json_schema as response_format",
      {
        text: {
          format: {
            type: "json_schema",
            name: "weather",
            description: "A forecast",
            schema: { type: "object", properties: { temp: { type: "number" } } },
            strict: true,
          },
        },
      },
      {
        response_format: {
          type: "json_schema",
          json_schema: {
            name: "weather",
            description: "A forecast",
            schema: { type: "object", properties: { temp: { type: "number" } } },
            strict: true,
          },
        },
      },
      [],
    ],
    [
      "text.format json_object; verbosity dropped",
      { text: { format: { type: "json_object" }, verbosity: "low" } },
      { response_format: { type: "json_object" } },
      ['text.verbosity "low" is not supported by Chat Completions and was dropped'],
    ],
    ["text.format text: nothing to send", { text: { format: { type: "text" } } }, {}, []],
    [
      "reasoning.effort within the model's efforts; the summary setting is only display",
      { reasoning: { effort: "low", summary: "auto" } },
      { reasoning_effort: "low" },
      [],
    ],
    [
      "stream with usage",
      { stream: true },
      { stream: true, stream_options: { include_usage: true } },
      [],
    ],
    [
      "state, caching and display fields dropped without a warning",
      {
        store: false,
        previous_response_id: null,
        metadata: { run: "7" },
        include: ["reasoning.encrypted_content"],
        service_tier: "auto",
        prompt_cache_key: "k",
        truncation: "disabled",
        stream_options: { include_obfuscation: false },
      },
      {},
      [],
    ],
    [
      "truncation auto and fields Chat Completions lacks, with warnings",
      { truncation: "auto", background: true, max_tool_calls: 3, top_logprobs: 2 },
      {},
      [
        'truncation "auto" is not supported: an input over the context window fails',
        "fields not supported by Chat Completions were dropped: background, max_tool_calls, top_logprobs",
      ],
    ],
  ];
  it.each(cases)("%s", (_name, fields, expected, warnings) => {
    expect(convert(fields, { reasoningEfforts: ["low", "medium", "high"] })).toEqual({
      body: { model: "gpt-4o", messages: [hi], ...expected },
      warnings,
    });
  });

  it("sends max_completion_tokens to models that want it", () => {
    expect(convert({ max_output_tokens: 100 }, { preferMaxCompletionTokens: true })).toEqual({
      body: { model: "gpt-4o", messages: [hi], max_completion_tokens: 100 },
      warnings: [],
    });
  });
});

describe("convertResponsesRequestToChat: recorded requests", () => {
  it("converts the gpt-5.1 function-call follow-up", async () => {
    const request = openAIResponsesRequestSchema.parse(
      await readCopilotFixtureJson(
        "responses/responses.gpt-5.1.function-call-followup.2026-03.request.json",
      ),
    );
    expect(convertResponsesRequestToChat(request, { model: "claude-sonnet-4" })).toEqual({
      body: {
        model: "claude-sonnet-4",
        messages: [
          { role: "user", content: "What is the weather in Tokyo?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                id: "call_IvYLluXXEws7EcemBgX4GzdX",
                type: "function",
                function: { name: "get_weather", arguments: '{"location": "Tokyo"}' },
              },
            ],
          },
          { role: "tool", tool_call_id: "call_IvYLluXXEws7EcemBgX4GzdX", content: "Sunny, 22°C" },
        ],
        max_tokens: 200,
        tools: [
          {
            type: "function",
            function: {
              name: "get_weather",
              description: "Get the current weather",
              parameters: {
                type: "object",
                properties: { location: { type: "string" } },
                required: ["location"],
              },
            },
          },
        ],
      },
      warnings: [],
    });
  });

  it("converts the gpt-5.1 simple request", async () => {
    const request = openAIResponsesRequestSchema.parse(
      await readCopilotFixtureJson("responses/responses.gpt-5.1.simple.2026-03.request.json"),
    );
    expect(convertResponsesRequestToChat(request, { model: "gpt-4.1" })).toEqual({
      body: {
        model: "gpt-4.1",
        messages: [{ role: "user", content: "Say hello in exactly 3 words." }],
        max_tokens: 100,
      },
      warnings: [],
    });
  });
});

describe("convertResponsesRequestToChat: namespace and custom tools", () => {
  const forecast = {
    type: "function",
    name: "get_forecast",
    description: "Forecast",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  };
  const patch = {
    type: "custom",
    name: "apply_patch",
    description: "Edit files",
    format: { type: "grammar", syntax: "lark", definition: "start: begin_patch" },
  };

  it("flattens namespaced tools and carries custom tools as one string parameter", () => {
    const { body, warnings } = convert({
      tools: [
        { type: "namespace", name: "mcp__weather", description: "Weather", tools: [forecast] },
        patch,
      ],
      tool_choice: { type: "function", name: "get_forecast", namespace: "mcp__weather" },
    });
    expect(body).toMatchObject({
      tools: [
        {
          type: "function",
          function: {
            name: "mcp__weather__get_forecast",
            description: "Forecast",
            parameters: { type: "object", properties: { city: { type: "string" } } },
          },
        },
        {
          type: "function",
          function: {
            name: "apply_patch",
            description: "Edit files",
            parameters: {
              type: "object",
              properties: {
                input: {
                  type: "string",
                  description:
                    "The tool's whole input, as plain text (not JSON). It must follow this lark grammar:\nstart: begin_patch",
                },
              },
              required: ["input"],
              additionalProperties: false,
            },
          },
        },
      ],
      tool_choice: { type: "function", function: { name: "mcp__weather__get_forecast" } },
    });
    expect(warnings).toEqual([]);
  });

  it("keeps the allowed tools of a namespace, and a custom tool_choice", () => {
    const { body } = convert({
      tools: [
        { type: "function", name: "exec" },
        { type: "namespace", name: "mcp__weather", tools: [forecast] },
        patch,
      ],
      tool_choice: {
        type: "allowed_tools",
        mode: "auto",
        tools: [
          { type: "namespace", name: "mcp__weather" },
          { type: "custom", name: "apply_patch" },
        ],
      },
    });
    const names = (body as { tools: { function: { name: string } }[] }).tools.map(
      (tool) => tool.function.name,
    );
    expect(names).toEqual(["mcp__weather__get_forecast", "apply_patch"]);
    expect(
      convert({ tools: [patch], tool_choice: { type: "custom", name: "apply_patch" } }).body,
    ).toMatchObject({ tool_choice: { type: "function", function: { name: "apply_patch" } } });
  });

  it("maps namespaced and custom calls in the history to the flattened functions", () => {
    expect(
      messagesOf([
        hi,
        { ...call("c1", "get_forecast"), namespace: "mcp__weather" },
        { type: "function_call_output", call_id: "c1", output: "Sunny" },
        {
          type: "custom_tool_call",
          call_id: "c2",
          name: "apply_patch",
          input: '*** Begin Patch\n*** Add File: a.txt\n+"hi"\n*** End Patch',
        },
        { type: "custom_tool_call_output", call_id: "c2", output: "Done!" },
      ]),
    ).toEqual({
      messages: [
        hi,
        {
          role: "assistant",
          content: null,
          tool_calls: [chatCall("c1", "mcp__weather__get_forecast")],
        },
        { role: "tool", tool_call_id: "c1", content: "Sunny" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            chatCall(
              "c2",
              "apply_patch",
              '{"input":"*** Begin Patch\\n*** Add File: a.txt\\n+\\"hi\\"\\n*** End Patch"}',
            ),
          ],
        },
        { role: "tool", tool_call_id: "c2", content: "Done!" },
      ],
      warnings: [],
    });
  });

  it("refuses tools whose flattened names collide", () => {
    expect(() =>
      convert({
        tools: [
          { type: "function", name: "mcp__kb__lookup" },
          { type: "namespace", name: "mcp__kb", tools: [{ type: "function", name: "lookup" }] },
        ],
      }),
    ).toThrow(InvalidRequestError);
  });
});
