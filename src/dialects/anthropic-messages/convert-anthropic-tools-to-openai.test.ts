import { describe, expect, it } from "vitest";
import {
  anthropicMessagesRequestSchema,
  type AnthropicMessagesRequest,
} from "../../protocols/anthropic/messages-request.js";
import { convertAnthropicToolsToOpenAI } from "./convert-anthropic-tools-to-openai.js";

const weatherSchema = {
  type: "object",
  properties: { city: { type: "string" } },
  required: ["city"],
};
const weather = { name: "get_weather", description: "Weather now", input_schema: weatherSchema };
const openAIWeather = {
  type: "function",
  function: { name: "get_weather", description: "Weather now", parameters: weatherSchema },
};
const webSearch = { type: "web_search_20250305", name: "web_search", max_uses: 5 };

function convert(tools: unknown[], toolChoice?: unknown): { result: unknown; warnings: string[] } {
  const request: AnthropicMessagesRequest = anthropicMessagesRequestSchema.parse({
    model: "claude-sonnet-4-5",
    max_tokens: 10,
    messages: [{ role: "user", content: "Hi" }],
    tools,
    ...(toolChoice === undefined ? {} : { tool_choice: toolChoice }),
  });
  const warnings: string[] = [];
  const result = convertAnthropicToolsToOpenAI(request.tools, request.tool_choice, warnings);
  return { result, warnings };
}

describe("convertAnthropicToolsToOpenAI", () => {
  const cases: [string, unknown[], unknown, unknown, string[]][] = [
    ["no tool_choice", [weather], undefined, { tools: [openAIWeather] }, []],
    ["auto", [weather], { type: "auto" }, { tools: [openAIWeather], tool_choice: "auto" }, []],
    [
      "any → required",
      [weather],
      { type: "any" },
      { tools: [openAIWeather], tool_choice: "required" },
      [],
    ],
    [
      "tool → that function",
      [weather],
      { type: "tool", name: "get_weather" },
      {
        tools: [openAIWeather],
        tool_choice: { type: "function", function: { name: "get_weather" } },
      },
      [],
    ],
    ["none", [weather], { type: "none" }, { tools: [openAIWeather], tool_choice: "none" }, []],
    [
      "disable_parallel_tool_use → parallel_tool_calls false",
      [weather],
      { type: "auto", disable_parallel_tool_use: true },
      { tools: [openAIWeather], tool_choice: "auto", parallel_tool_calls: false },
      [],
    ],
    [
      "disable_parallel_tool_use false sends nothing",
      [weather],
      { type: "any", disable_parallel_tool_use: false },
      { tools: [openAIWeather], tool_choice: "required" },
      [],
    ],
    [
      "a server tool dropped with a warning",
      [webSearch, weather],
      { type: "auto" },
      { tools: [openAIWeather], tool_choice: "auto" },
      [
        'tools[0]: the server tool "web_search" (web_search_20250305) runs only at Anthropic and was dropped',
      ],
    ],
    [
      "a tool_choice naming a dropped tool is dropped too",
      [webSearch, weather],
      { type: "tool", name: "web_search", disable_parallel_tool_use: true },
      { tools: [openAIWeather], parallel_tool_calls: false },
      [
        'tools[0]: the server tool "web_search" (web_search_20250305) runs only at Anthropic and was dropped',
        'tool_choice names "web_search", which is not among the tools carried; it was dropped',
      ],
    ],
    [
      "no tool left: any cannot be kept",
      [webSearch],
      { type: "any" },
      {},
      [
        'tools[0]: the server tool "web_search" (web_search_20250305) runs only at Anthropic and was dropped',
        'tool_choice "any" was dropped: no tool could be carried',
      ],
    ],
    ["no tools at all, auto: nothing to send", [], { type: "auto" }, {}, []],
    [
      "type custom, strict, no description; extra fields reported",
      [
        {
          type: "custom",
          name: "lookup",
          input_schema: { type: "object" },
          strict: true,
          input_examples: [{}],
          cache_control: { type: "ephemeral" },
        },
      ],
      undefined,
      {
        tools: [
          {
            type: "function",
            function: { name: "lookup", parameters: { type: "object" }, strict: true },
          },
        ],
      },
      ["tools[0]: fields not carried by Chat Completions were dropped: input_examples"],
    ],
  ];
  it.each(cases)("%s", (_name, tools, toolChoice, expected, warnings) => {
    expect(convert(tools, toolChoice)).toEqual({ result: expected, warnings });
  });
});
