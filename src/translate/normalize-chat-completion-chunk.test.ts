import { ChatCompletionStream } from "openai/lib/ChatCompletionStream";
import { describe, expect, it } from "vitest";
import { UpstreamError } from "../errors.js";
import {
  createChatChunkNormalizer,
  type ChatChunkDefaults,
} from "./normalize-chat-completion-chunk.js";

const defaults = { model: "gpt-4o", created: 1700000000, id: "chatcmpl-default" };

// A Claude-style stream: leading filter chunk, role on every delta, two tool calls sharing
// index 0, chunks missing id/model/created, total_tokens 0, then a usage-only chunk.
const claudeLikeTranscript: [input: string, output: string | undefined][] = [
  ['{"choices":[],"created":0,"id":"","prompt_filter_results":[{"prompt_index":0}]}', undefined],
  [
    '{"choices":[{"index":0,"delta":{"content":"Hi","role":"assistant"}}],"created":1741911507,"id":"msg_1","model":"claude-3.5-sonnet"}',
    '{"choices":[{"index":0,"delta":{"content":"Hi","role":"assistant"},"finish_reason":null}],"created":1741911507,"id":"msg_1","model":"claude-3.5-sonnet","object":"chat.completion.chunk"}',
  ],
  [
    '{"choices":[{"index":0,"delta":{"content":null,"role":"assistant","tool_calls":[{"function":{"arguments":"","name":"get_time"},"id":"toolu_a","index":0,"type":"function"}]}}],"created":1741911507,"id":"msg_1","model":"claude-3.5-sonnet"}',
    '{"choices":[{"index":0,"delta":{"content":null,"tool_calls":[{"function":{"arguments":"","name":"get_time"},"id":"toolu_a","index":0,"type":"function"}]},"finish_reason":null}],"created":1741911507,"id":"msg_1","model":"claude-3.5-sonnet","object":"chat.completion.chunk"}',
  ],
  [
    '{"choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":"{}"},"index":0}]}}]}',
    '{"choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":"{}"},"index":0}]},"finish_reason":null}],"id":"msg_1","object":"chat.completion.chunk","created":1741911507,"model":"claude-3.5-sonnet"}',
  ],
  [
    '{"choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":"","name":"get_weather"},"id":"toolu_b","index":0,"type":"function"}]}}],"created":0,"id":"","model":""}',
    '{"choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":"","name":"get_weather"},"id":"toolu_b","index":1,"type":"function"}]},"finish_reason":null}],"created":1741911507,"id":"msg_1","model":"claude-3.5-sonnet","object":"chat.completion.chunk"}',
  ],
  [
    '{"choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":"{\\"city\\":\\"Paris\\"}"},"index":0}]}}],"id":"msg_1"}',
    '{"choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":"{\\"city\\":\\"Paris\\"}"},"index":1}]},"finish_reason":null}],"id":"msg_1","object":"chat.completion.chunk","created":1741911507,"model":"claude-3.5-sonnet"}',
  ],
  [
    '{"choices":[{"finish_reason":"tool_calls","index":0,"delta":{"content":null}}],"created":1741911508,"id":"msg_1","usage":{"completion_tokens":5,"prompt_tokens":10,"total_tokens":0},"model":"claude-3.5-sonnet"}',
    '{"choices":[{"finish_reason":"tool_calls","index":0,"delta":{"content":null}}],"created":1741911508,"id":"msg_1","usage":{"completion_tokens":5,"prompt_tokens":10,"total_tokens":15},"model":"claude-3.5-sonnet","object":"chat.completion.chunk"}',
  ],
  [
    '{"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5}}',
    '{"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15},"id":"msg_1","object":"chat.completion.chunk","created":1741911508,"model":"claude-3.5-sonnet"}',
  ],
];

function normalizeAll(
  inputs: readonly string[],
  options: ChatChunkDefaults = defaults,
): (string | undefined)[] {
  const normalize = createChatChunkNormalizer(options);
  return inputs.map((input) => normalize(input));
}

function toReadableStream(lines: readonly string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const line of lines) controller.enqueue(new TextEncoder().encode(`${line}\n`));
      controller.close();
    },
  });
}

describe("createChatChunkNormalizer", () => {
  it("normalizes a Claude-style transcript, chunk by chunk", () => {
    expect(normalizeAll(claudeLikeTranscript.map(([input]) => input))).toEqual(
      claudeLikeTranscript.map(([, output]) => output),
    );
  });

  it("gives the openai SDK two separate tool calls from Claude's shared index", async () => {
    const outputs = normalizeAll(claudeLikeTranscript.map(([input]) => input)).filter(
      (output) => output !== undefined,
    );
    const stream = ChatCompletionStream.fromReadableStream(toReadableStream(outputs));
    expect(await stream.finalChatCompletion()).toEqual({
      id: "msg_1",
      object: "chat.completion",
      created: 1741911508,
      model: "claude-3.5-sonnet",
      usage: { completion_tokens: 5, prompt_tokens: 10, total_tokens: 15 },
      choices: [
        {
          index: 0,
          finish_reason: "tool_calls",
          logprobs: null,
          message: {
            role: "assistant",
            content: "Hi",
            parsed: null,
            refusal: null,
            tool_calls: [
              { id: "toolu_a", type: "function", function: { name: "get_time", arguments: "{}" } },
              {
                id: "toolu_b",
                type: "function",
                function: { name: "get_weather", arguments: '{"city":"Paris"}' },
              },
            ],
          },
        },
      ],
    });
  });

  it("fills id, model and created from the defaults until a chunk carries them", () => {
    expect(normalizeAll(['{"choices":[{"delta":{"content":"x"}}]}'])).toEqual([
      '{"choices":[{"delta":{"content":"x"},"index":0,"finish_reason":null}],"id":"chatcmpl-default","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o"}',
    ]);
  });

  it("generates one chatcmpl id per stream when neither chunk nor defaults have one", () => {
    const options = { model: "gpt-4o", created: 1700000000 };
    const [first, second] = normalizeAll(
      ['{"choices":[{"index":0,"delta":{}}]}', '{"choices":[{"index":0,"delta":{}}]}'],
      options,
    ).map((output) => JSON.parse(output ?? "null") as { id: string });
    const [other] = normalizeAll(['{"choices":[{"index":0,"delta":{}}]}'], options).map(
      (output) => JSON.parse(output ?? "null") as { id: string },
    );
    expect(first?.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    expect(second?.id).toBe(first?.id);
    expect(other?.id).not.toBe(first?.id);
  });

  it("adds a missing delta and keeps logprobs and unknown fields", () => {
    expect(
      normalizeAll([
        '{"choices":[{"index":0,"finish_reason":"stop","logprobs":{"content":[]},"content_filter_results":{}}],"id":"c","created":1,"model":"m","copilot_annotations":[]}',
      ]),
    ).toEqual([
      '{"choices":[{"index":0,"finish_reason":"stop","logprobs":{"content":[]},"content_filter_results":{},"delta":{}}],"id":"c","created":1,"model":"m","copilot_annotations":[],"object":"chat.completion.chunk"}',
    ]);
  });

  it("keeps the role of each choice's first delta only", () => {
    expect(
      normalizeAll([
        '{"choices":[{"index":0,"delta":{"role":"assistant","content":"a"}},{"index":1,"delta":{"role":"assistant","content":"b"}}],"id":"c","created":1,"model":"m"}',
        '{"choices":[{"index":1,"delta":{"role":"assistant","content":"c"}},{"index":0,"delta":{"role":null,"content":"d"}}],"id":"c","created":1,"model":"m"}',
      ]),
    ).toEqual([
      '{"choices":[{"index":0,"delta":{"role":"assistant","content":"a"},"finish_reason":null},{"index":1,"delta":{"role":"assistant","content":"b"},"finish_reason":null}],"id":"c","created":1,"model":"m","object":"chat.completion.chunk"}',
      '{"choices":[{"index":1,"delta":{"content":"c"},"finish_reason":null},{"index":0,"delta":{"content":"d"},"finish_reason":null}],"id":"c","created":1,"model":"m","object":"chat.completion.chunk"}',
    ]);
  });

  it("drops an empty-choices chunk without usage, even with usage null", () => {
    expect(normalizeAll(['{"choices":[],"usage":null}', '{"id":"x"}'])).toEqual([
      undefined,
      undefined,
    ]);
  });

  it("passes an error payload through untouched, for the client SDK to raise", () => {
    const error =
      '{"error":{"message":"Sorry, you have exceeded your Copilot token usage.","code":"rate_limited"}}';
    expect(normalizeAll([error])).toEqual([error]);
  });

  it("throws an UpstreamError for a payload that is not a JSON object", () => {
    const normalize = createChatChunkNormalizer(defaults);
    expect(() => normalize('{"choices":')).toThrow(
      new UpstreamError(
        502,
        "Copilot sent a malformed chat completion stream: a stream chunk is not JSON",
        { code: "upstream_malformed_response" },
      ),
    );
    expect(() => normalize("[1]")).toThrow(
      "Copilot sent a malformed chat completion stream: a stream chunk is not a JSON object",
    );
    expect(() => normalize('{"choices":[7]}')).toThrow(
      "Copilot sent a malformed chat completion stream: a choice is not an object",
    );
  });
});
