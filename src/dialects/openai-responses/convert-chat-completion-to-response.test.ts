import { describe, expect, it } from "vitest";
import { UpstreamError } from "../../errors.js";
import {
  openAIResponsesRequestSchema,
  type OpenAIResponsesRequest,
} from "../../protocols/openai/responses-request.js";
import type { ResponsesResponse } from "../../protocols/openai/responses-response.js";
import { readCopilotFixtureJson } from "../../translate/__fixtures__/copilot-fixtures.js";
import { normalizeChatCompletion } from "../../translate/normalize-chat-completion.js";
import { convertChatCompletionToResponse } from "./convert-chat-completion-to-response.js";

const plainRequest: OpenAIResponsesRequest = { input: "Hi" };

/** The Response fields that echo a request with no settings. */
function echoed(fields: Partial<ResponsesResponse>): ResponsesResponse {
  return {
    id: "resp_1",
    object: "response",
    created_at: 1700000000,
    status: "completed",
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: "gpt-4o",
    output: [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: 1,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: [],
    top_p: 1,
    truncation: "disabled",
    usage: {
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 15,
    },
    user: null,
    metadata: {},
    ...fields,
  };
}

function completion(message: Record<string, unknown>, finishReason: string | null = "stop") {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1700000000,
    model: "gpt-4o-2024-11-20",
    choices: [
      { index: 0, message: { role: "assistant", ...message }, finish_reason: finishReason },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  };
}

function convert(body: unknown, request: OpenAIResponsesRequest = plainRequest) {
  return convertChatCompletionToResponse(body, { model: "gpt-4o", request, responseId: "resp_1" });
}

const text = (value: string) => ({
  type: "output_text",
  text: value,
  annotations: [],
  logprobs: [],
});

describe("convertChatCompletionToResponse", () => {
  const cases: [string, unknown, Partial<ResponsesResponse>][] = [
    [
      "text",
      completion({ content: "Hello!" }),
      {
        output: [
          {
            id: "msg_1_0",
            type: "message",
            status: "completed",
            role: "assistant",
            content: [text("Hello!") as never],
          },
        ],
      },
    ],
    [
      "reasoning, text and two tool calls",
      completion(
        {
          reasoning_text: "The user wants weather.",
          content: "Checking.",
          tool_calls: [
            {
              id: "call_a",
              type: "function",
              function: { name: "get_weather", arguments: '{"city":"Paris"}' },
            },
            { id: "call_b", type: "function", function: { name: "get_time", arguments: "" } },
          ],
        },
        "tool_calls",
      ),
      {
        output: [
          {
            id: "rs_1_0",
            type: "reasoning",
            summary: [{ type: "summary_text", text: "The user wants weather." }],
          },
          {
            id: "msg_1_1",
            type: "message",
            status: "completed",
            role: "assistant",
            content: [text("Checking.") as never],
          },
          {
            id: "fc_1_2",
            type: "function_call",
            status: "completed",
            arguments: '{"city":"Paris"}',
            call_id: "call_a",
            name: "get_weather",
          },
          {
            id: "fc_1_3",
            type: "function_call",
            status: "completed",
            arguments: "",
            call_id: "call_b",
            name: "get_time",
          },
        ],
      },
    ],
    [
      "a refusal",
      completion({ content: null, refusal: "I can't help with that." }),
      {
        output: [
          {
            id: "msg_1_0",
            type: "message",
            status: "completed",
            role: "assistant",
            content: [{ type: "refusal", refusal: "I can't help with that." }],
          },
        ],
      },
    ],
    [
      "cut by the token limit: incomplete",
      completion({ content: "Once upon" }, "length"),
      {
        status: "incomplete",
        incomplete_details: { reason: "max_output_tokens" },
        output: [
          {
            id: "msg_1_0",
            type: "message",
            status: "incomplete",
            role: "assistant",
            content: [text("Once upon") as never],
          },
        ],
      },
    ],
    [
      "stopped by the content filter: incomplete",
      completion({ content: "" }, "content_filter"),
      { status: "incomplete", incomplete_details: { reason: "content_filter" }, output: [] },
    ],
  ];
  it.each(cases)("%s", (_name, body, expected) => {
    expect(convert(body)).toEqual(echoed(expected));
  });

  it("echoes the request's settings", () => {
    const request = openAIResponsesRequestSchema.parse({
      input: "Hi",
      instructions: "Be brief.",
      max_output_tokens: 50,
      temperature: 0.3,
      top_p: 0.8,
      parallel_tool_calls: false,
      reasoning: { effort: "low" },
      text: {
        format: { type: "json_schema", name: "out", schema: { type: "object" } },
        verbosity: "low",
      },
      tools: [
        { type: "function", name: "f", parameters: { type: "object" }, strict: true },
        { type: "web_search" },
      ],
      tool_choice: "required",
      truncation: "auto",
      user: "alice",
      metadata: { run: "7" },
    });
    expect(convert(completion({ content: "{}" }), request)).toEqual(
      echoed({
        instructions: "Be brief.",
        max_output_tokens: 50,
        temperature: 0.3,
        top_p: 0.8,
        parallel_tool_calls: false,
        reasoning: { effort: "low", summary: null },
        text: {
          format: { type: "json_schema", name: "out", schema: { type: "object" }, strict: null },
          verbosity: "low",
        },
        tools: [
          {
            type: "function",
            name: "f",
            description: null,
            parameters: { type: "object" },
            strict: true,
          },
        ],
        tool_choice: "required",
        truncation: "auto",
        user: "alice",
        metadata: { run: "7" },
        output: [
          {
            id: "msg_1_0",
            type: "message",
            status: "completed",
            role: "assistant",
            content: [text("{}") as never],
          },
        ],
      }),
    );
  });

  it("converts a recorded Copilot tool call (Claude: no index, cached tokens)", async () => {
    const body = normalizeChatCompletion(
      await readCopilotFixtureJson("chat/chat.claude-sonnet-4.tool-call.2025-07-22.json"),
      { model: "claude-sonnet-4", created: 1 },
    );
    const response = convert(body);
    expect(response.created_at).toBe(1753214030);
    expect(response.output).toEqual([
      {
        id: "fc_1_0",
        type: "function_call",
        status: "completed",
        arguments:
          '{"todos":[{"content":"Check current git status and identify what docs need updating","id":"1","priority":"high","status":"completed"},{"content":"Review and update documentation files","id":"2","priority":"high","status":"in_progress"},{"content":"Commit changes with appropriate message","id":"3","priority":"medium","status":"pending"},{"content":"Push changes to remote repository","id":"4","priority":"medium","status":"pending"}]}',
        call_id: "toolu_vrtx_01RADHtBsZ2RyNHr7R3k4cEX",
        name: "TodoWrite",
      },
    ]);
    expect(response.usage).toEqual({
      input_tokens: 18366,
      input_tokens_details: { cached_tokens: 15864 },
      output_tokens: 176,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 18542,
    });
  });

  it("fails on finish_reason error", () => {
    expect(() => convert(completion({ content: "" }, "error"))).toThrow(
      new UpstreamError(502, 'Copilot ended the answer with finish_reason "error"', {
        code: "upstream_finish_error",
      }),
    );
  });

  it("fails on an answer without choices", () => {
    expect(() => convert({ id: "x", choices: [] })).toThrow(
      new UpstreamError(
        502,
        "Copilot sent a chat completion that was not understood: it has no choice",
        { code: "upstream_malformed_response" },
      ),
    );
  });
});

describe("convertChatCompletionToResponse: namespace and custom tools", () => {
  const request = openAIResponsesRequestSchema.parse({
    input: "Hi",
    tools: [
      {
        type: "namespace",
        name: "mcp__weather",
        tools: [{ type: "function", name: "get_forecast" }],
      },
      { type: "custom", name: "apply_patch" },
    ],
  });

  it("reports calls under the client's names: namespace set, custom input unwrapped", () => {
    const answer = completion(
      {
        tool_calls: [
          {
            id: "call_a",
            type: "function",
            function: { name: "mcp__weather__get_forecast", arguments: '{"city":"Paris"}' },
          },
          {
            id: "call_b",
            type: "function",
            function: {
              name: "apply_patch",
              arguments: '{"input":"*** Begin Patch\\n*** End Patch"}',
            },
          },
          { id: "call_c", type: "function", function: { name: "not_offered", arguments: "{}" } },
        ],
      },
      "tool_calls",
    );
    expect(convert(answer, request).output).toEqual([
      {
        id: "fc_1_0",
        type: "function_call",
        status: "completed",
        arguments: '{"city":"Paris"}',
        call_id: "call_a",
        name: "get_forecast",
        namespace: "mcp__weather",
      },
      {
        id: "fc_1_1",
        type: "custom_tool_call",
        status: "completed",
        call_id: "call_b",
        name: "apply_patch",
        input: "*** Begin Patch\n*** End Patch",
      },
      {
        id: "fc_1_2",
        type: "function_call",
        status: "completed",
        arguments: "{}",
        call_id: "call_c",
        name: "not_offered",
      },
    ]);
  });
});
