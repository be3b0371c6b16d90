import { describe, expect, it } from "vitest";
import { UpstreamError } from "../../errors.js";
import type { ChatCompletion } from "../../protocols/openai/chat-response.js";
import { readCopilotFixtureJson } from "../../translate/__fixtures__/copilot-fixtures.js";
import { convertResponseToChatCompletion } from "./convert-response-to-chat-completion.js";

function convert(response: unknown): ChatCompletion {
  return convertResponseToChatCompletion(response, { model: "gpt-5.1", id: "chatcmpl-1" });
}

function completion(
  message: Partial<ChatCompletion["choices"][number]["message"]>,
  finishReason: ChatCompletion["choices"][number]["finish_reason"],
  usage: [number, number, number],
  created = 1772432000,
): ChatCompletion {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created,
    model: "gpt-5.1",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: null, refusal: null, ...message },
        finish_reason: finishReason,
        logprobs: null,
      },
    ],
    usage: {
      prompt_tokens: usage[0],
      completion_tokens: usage[1],
      total_tokens: usage[2],
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
  };
}

describe("convertResponseToChatCompletion: recorded Copilot responses", () => {
  const cases: [string, string, ChatCompletion][] = [
    [
      "simple text",
      "responses.gpt-5.1.simple.2026-03.json",
      completion({ content: "Hello there, friend" }, "stop", [14, 14, 28], 1772431900),
    ],
    [
      "a function call",
      "responses.gpt-5.1.function-call.2026-03.json",
      completion(
        {
          tool_calls: [
            {
              id: "call_IvYLluXXEws7EcemBgX4GzdX",
              type: "function",
              function: { name: "get_weather", arguments: '{"location":"Tokyo"}' },
            },
          ],
        },
        "tool_calls",
        [56, 24, 80],
      ),
    ],
    [
      "the answer after a function result",
      "responses.gpt-5.1.function-call-followup.2026-03.json",
      completion(
        { content: "The weather in Tokyo is currently sunny with a temperature of 22°C." },
        "stop",
        [80, 19, 99],
      ),
    ],
  ];
  it.each(cases)("%s", async (_name, file, expected) => {
    expect(convert(await readCopilotFixtureJson(`responses/${file}`))).toEqual(expected);
  });
});

describe("convertResponseToChatCompletion", () => {
  const usage = {
    input_tokens: 30,
    input_tokens_details: { cached_tokens: 10 },
    output_tokens: 50,
    output_tokens_details: { reasoning_tokens: 40 },
    total_tokens: 80,
  };

  it("joins reasoning summaries, message items and refusals; ignores hosted tool items", () => {
    expect(
      convert({
        id: "opaque",
        created_at: 1786050349,
        status: "completed",
        output: [
          {
            type: "reasoning",
            id: "rs",
            summary: [
              { type: "summary_text", text: "**Plan**" },
              { type: "summary_text", text: "Then answer." },
            ],
          },
          {
            type: "message",
            id: "m1",
            phase: "commentary",
            content: [{ type: "output_text", text: "Looking.", annotations: [] }],
          },
          { type: "web_search_call", id: "ws", status: "completed" },
          {
            type: "message",
            id: "m2",
            phase: "final_answer",
            content: [
              { type: "output_text", text: "Done", annotations: [] },
              { type: "output_text", text: "!", annotations: [] },
              { type: "refusal", refusal: "Not that part." },
            ],
          },
        ],
        usage,
      }),
    ).toEqual({
      ...completion(
        {
          content: "Looking.\n\nDone!",
          refusal: "Not that part.",
          reasoning_content: "**Plan**\n\nThen answer.",
        },
        "stop",
        [30, 50, 80],
        1786050349,
      ),
      usage: {
        prompt_tokens: 30,
        completion_tokens: 50,
        total_tokens: 80,
        prompt_tokens_details: { cached_tokens: 10 },
        completion_tokens_details: { reasoning_tokens: 40 },
      },
    });
  });

  const finishCases: [string, Record<string, unknown>, string][] = [
    [
      "cut by max_output_tokens",
      { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } },
      "length",
    ],
    [
      "stopped by the content filter",
      { status: "incomplete", incomplete_details: { reason: "content_filter" } },
      "content_filter",
    ],
    ["completed", { status: "completed" }, "stop"],
  ];
  it.each(finishCases)("finish_reason when %s", (_name, fields, expected) => {
    expect(convert({ created_at: 1, output: [], ...fields }).choices[0]?.finish_reason).toBe(
      expected,
    );
  });

  it("raises a failed response as an upstream error", () => {
    expect(() =>
      convert({ status: "failed", error: { code: "server_error", message: "The model crashed" } }),
    ).toThrow(new UpstreamError(502, "The model crashed", { code: "server_error" }));
  });

  it("refuses an answer that is not a Response", () => {
    expect(() => convert({ output: "text" })).toThrow(
      new UpstreamError(
        502,
        "Copilot sent a response that was not understood: Invalid input: expected array, received string",
        { code: "upstream_malformed_response" },
      ),
    );
  });
});
