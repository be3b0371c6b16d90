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
    expect(() => normalize('{"choices":"weird"}')).toThrow(
      "Copilot sent a malformed chat completion stream: `choices` is not a list",
    );
    expect(() => normalize('{"choices":[7]}')).toThrow(
      "Copilot sent a malformed chat completion stream: a choice is not an object",
    );
  });
});

type Outcome = string | undefined | { error: string };

/** Each payload's outcome, the stream going on after a chunk that throws. */
function outcomes(payloads: readonly string[], options: ChatChunkDefaults = defaults): Outcome[] {
  const normalize = createChatChunkNormalizer(options);
  return payloads.map((data) => {
    try {
      return normalize(data);
    } catch (error) {
      return { error: (error as Error).message };
    }
  });
}

describe("createChatChunkNormalizer, chunk by chunk", () => {
  it("keeps each chunk's keys in their order and appends the missing ones, as JSON.stringify writes them", () => {
    expect(
      outcomes([
        '{"choices":[{"index":0,"content_filter_results":{},"delta":{"content":"Hi","role":"assistant"}}],"created":1747592466,"id":"chatcmpl-1","model":"gpt-4o-2024-11-20","system_fingerprint":"fp_1"}',
        // The repeated role goes (first, middle and only entry), the stream's id and model stay.
        '{"choices":[{"delta":{"role":"assistant","content":"a"}},{"index":1,"delta":{"content":"b","role":"assistant","x":1}},{"index":1,"delta":{"role":"assistant"},"finish_reason":"stop"}],"id":"other","created":0}',
      ]),
    ).toEqual([
      '{"choices":[{"index":0,"content_filter_results":{},"delta":{"content":"Hi","role":"assistant"},"finish_reason":null}],"created":1747592466,"id":"chatcmpl-1","model":"gpt-4o-2024-11-20","system_fingerprint":"fp_1","object":"chat.completion.chunk"}',
      '{"choices":[{"delta":{"content":"a"},"index":0,"finish_reason":null},{"index":1,"delta":{"content":"b","role":"assistant","x":1},"finish_reason":null},{"index":1,"delta":{},"finish_reason":"stop"}],"id":"chatcmpl-1","created":1747592466,"object":"chat.completion.chunk","model":"gpt-4o-2024-11-20"}',
    ]);
  });

  it("fills a missing or odd index and delta, renumbers tool calls, fixes the usage total", () => {
    expect(
      outcomes([
        '{"choices":[{"index":"0","delta":"x"},{"finish_reason":null},{"index":2,"delta":{"tool_calls":[{"id":"a","index":0},{"id":"b","index":0}]}}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":0}}',
      ]),
    ).toEqual([
      '{"choices":[{"index":0,"delta":{},"finish_reason":null},{"finish_reason":null,"index":0,"delta":{}},{"index":2,"delta":{"tool_calls":[{"id":"a","index":0},{"id":"b","index":1}]},"finish_reason":null}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7},"id":"chatcmpl-default","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o"}',
    ]);
  });

  it("drops the leading filter chunk, but keeps what it says about model and created", () => {
    expect(
      outcomes([
        '{"choices":[],"created":1,"id":"","model":"m","prompt_filter_results":[]}',
        '{"choices":[{"index":0,"delta":{}}]}',
      ]),
    ).toEqual([
      undefined,
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"id":"chatcmpl-default","object":"chat.completion.chunk","created":1,"model":"m"}',
    ]);
  });

  it("passes content filter objects through as they parse, chunk after chunk", () => {
    const chunk = (filter: string) =>
      `{"choices":[{"index":0,"content_filter_results":${filter},"delta":{}}],"id":"c"}`;
    const filter = '{"hate":{"filtered":false,"severity":"safe"}}';
    const written = (filter: string) =>
      `{"choices":[{"index":0,"content_filter_results":${filter},"delta":{},"finish_reason":null}],"id":"c","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o"}`;
    expect(
      outcomes([
        chunk(filter),
        chunk(filter),
        chunk('{"hate":{"filtered":false,"severity":"safx"}}'),
        // A duplicate key: the last one wins, as JSON.parse has it.
        chunk(`{"hate":{"filtered":false,"severity":"safe"},"hate":1}`),
        // One closing brace too many.
        chunk(`${filter}}`),
        chunk(`${filter},"x":{"filtered":false,"severity":"safe"}`),
      ]),
    ).toEqual([
      written(filter),
      written(filter),
      written('{"hate":{"filtered":false,"severity":"safx"}}'),
      written('{"hate":1}'),
      { error: "Copilot sent a malformed chat completion stream: a stream chunk is not JSON" },
      '{"choices":[{"index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"x":{"filtered":false,"severity":"safe"},"delta":{},"finish_reason":null}],"id":"c","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o"}',
    ]);
  });

  it("follows the model and created of each chunk, to a new value and back", () => {
    expect(
      outcomes([
        '{"choices":[{"index":0,"delta":{}}],"id":"a","created":5,"model":"m1"}',
        '{"choices":[{"index":0,"delta":{}}],"id":"b","created":6,"model":"m2"}',
        '{"choices":[{"index":0,"delta":{}}],"created":5,"model":"m1"}',
        '{"choices":[{"index":0,"delta":{}}],"created":0,"model":""}',
        '{"choices":[{"index":0,"delta":{}}],"created":6,"model":"m\\"2"}',
        // Dropped, yet it changes model and created; the next chunk changes them back.
        '{"choices":[],"created":7,"model":"m3"}',
        '{"choices":[{"index":0,"delta":{}}],"created":6,"model":"m\\"2"}',
        '{"choices":[{"index":0,"delta":{}}]}',
      ]),
    ).toEqual([
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"id":"a","created":5,"model":"m1","object":"chat.completion.chunk"}',
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"id":"a","created":6,"model":"m2","object":"chat.completion.chunk"}',
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"created":5,"model":"m1","id":"a","object":"chat.completion.chunk"}',
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"created":5,"model":"m1","id":"a","object":"chat.completion.chunk"}',
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"created":6,"model":"m\\"2","id":"a","object":"chat.completion.chunk"}',
      undefined,
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"created":6,"model":"m\\"2","id":"a","object":"chat.completion.chunk"}',
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"id":"a","object":"chat.completion.chunk","created":6,"model":"m\\"2"}',
    ]);
  });

  it("keeps the stream's id, escaped or not, and replaces any other", () => {
    for (const id of ["chatcmpl-1", 'a"b\\c']) {
      const written = JSON.stringify(id);
      const payloads = [written, written, JSON.stringify(`${id}x`), '"x"', written].map(
        (value) => `{"choices":[{"index":0,"delta":{}}],"id":${value},"created":5,"model":"m"}`,
      );
      const expected = `{"choices":[{"index":0,"delta":{},"finish_reason":null}],"id":${written},"created":5,"model":"m","object":"chat.completion.chunk"}`;
      expect(outcomes(payloads)).toEqual(payloads.map(() => expected));
    }
  });

  it("writes a lone surrogate in an id escaped, from the defaults or from a chunk", () => {
    const expected =
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"id":"\\ud800","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o"}';
    expect(
      outcomes(['{"choices":[{"index":0,"delta":{}}]}'], { ...defaults, id: "\ud800" }),
    ).toEqual([expected]);
    expect(outcomes(['{"choices":[{"index":0,"delta":{}}],"id":"\\ud800"}'])).toEqual([
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"id":"\\ud800","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o"}',
    ]);
  });

  it("normalises every choice of a chunk, however many it has", () => {
    const choices = (count: number, choice: string) => Array(count).fill(choice).join(",");
    expect(outcomes([`{"choices":[${choices(65, '{"index":0,"delta":{}}')}],"id":"a"}`])).toEqual([
      `{"choices":[${choices(65, '{"index":0,"delta":{},"finish_reason":null}')}],"id":"a","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o"}`,
    ]);
  });

  it("writes a chunk as JSON.stringify does, whatever the spacing and escapes it came with", () => {
    expect(
      outcomes([
        '{"choices":[{"index":0,"delta":{"content":"\\u00e9 \\/"}}]}',
        '{"choices": [{"index":0,"delta":{}}]}',
        '{"choices":[{"index":0,"delta":{}}],"created":1.0}',
      ]),
    ).toEqual([
      '{"choices":[{"index":0,"delta":{"content":"é /"},"finish_reason":null}],"id":"chatcmpl-default","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o"}',
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"id":"chatcmpl-default","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o"}',
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"created":1,"id":"chatcmpl-default","object":"chat.completion.chunk","model":"gpt-4o"}',
    ]);
  });

  it("takes the last of duplicate keys, as JSON.parse does", () => {
    expect(outcomes(['{"choices":[{"index":0,"delta":{}}],"id":"a","id":"b"}'])).toEqual([
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"id":"b","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o"}',
    ]);
  });

  it("passes a chunk with choices and an error through as it came, and goes on after a malformed one", () => {
    const error = '{"choices":[{"index":0,"delta":{}}],"error":{"message":"boom"}}';
    expect(
      outcomes([error, '{"choices":[1]}', '{"choices":[{"index":0,"delta":{}}]', "[]", "", "{}"]),
    ).toEqual([
      error,
      { error: "Copilot sent a malformed chat completion stream: a choice is not an object" },
      { error: "Copilot sent a malformed chat completion stream: a stream chunk is not JSON" },
      {
        error:
          "Copilot sent a malformed chat completion stream: a stream chunk is not a JSON object",
      },
      { error: "Copilot sent a malformed chat completion stream: a stream chunk is not JSON" },
      undefined,
    ]);
  });
});
