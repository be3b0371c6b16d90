// Copilot's recorded `/responses` streams (and synthetic ones shaped like its quirks) through the
// translator: the exact Chat Completions chunk sequence is compared.
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { UpstreamError } from "../../errors.js";
import type {
  ChatChunkDelta,
  ChatCompletionChunk,
  ChatCompletionUsage,
} from "../../protocols/openai/chat-response.js";
import { readCopilotFixture } from "../../translate/__fixtures__/copilot-fixtures.js";
import {
  createChatStreamFromResponsesTranslator,
  type ChatStreamFromResponsesOptions,
} from "./create-chat-stream-from-responses-translator.js";

const options: ChatStreamFromResponsesOptions = {
  model: "gpt-5.3-codex",
  created: 1700000000,
  id: "chatcmpl-1",
};

/** Every event through one translator, then finish(). */
function translate(
  events: readonly unknown[],
  overrides: Partial<ChatStreamFromResponsesOptions> = {},
): ChatCompletionChunk[] {
  const translator = createChatStreamFromResponsesTranslator({ ...options, ...overrides });
  const chunks = events.flatMap((event) => translator.push(event));
  return [...chunks, ...translator.finish()];
}

function chunk(delta: ChatChunkDelta, finishReason: string | null = null): ChatCompletionChunk {
  return {
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1700000000,
    model: "gpt-5.3-codex",
    choices: [{ index: 0, delta, finish_reason: finishReason as never }],
  };
}

function usageChunk(usage: ChatCompletionUsage): ChatCompletionChunk {
  return {
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1700000000,
    model: "gpt-5.3-codex",
    choices: [],
    usage,
  };
}

/** Consecutive deltas of one kind merged into one chunk, with how many there were. */
function mergeDeltas(chunks: readonly ChatCompletionChunk[]): unknown[] {
  const merged: (ChatCompletionChunk | { delta: Record<string, unknown>; pieces: number })[] = [];
  for (const current of chunks) {
    const delta = current.choices[0]?.delta as Record<string, unknown> | undefined;
    const previous = merged.at(-1);
    const last = previous !== undefined && "pieces" in previous ? previous : undefined;
    const key = delta === undefined ? undefined : Object.keys(delta)[0];
    const mergeable = key === "content" || key === "reasoning_content";
    if (mergeable && last !== undefined && Object.keys(last.delta).join() === key) {
      last.delta[key] = `${String(last.delta[key])}${String(delta?.[key])}`;
      last.pieces += 1;
    } else if (mergeable) {
      merged.push({ delta: { ...delta }, pieces: 1 });
    } else {
      merged.push(current);
    }
  }
  return merged;
}

const role = chunk({ role: "assistant", content: "" });

async function readJsonLines(file: string): Promise<unknown[]> {
  const text = await readCopilotFixture(`responses/${file}`);
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as unknown);
}

/** The recorder of the opal files kept each SSE `data` payload; a cut one is not JSON. */
async function readOpalEvents(file: string): Promise<{ events: unknown[]; unparsable: number }> {
  const { events } = JSON.parse(await readCopilotFixture(`responses/${file}`)) as {
    events: { data: string }[];
  };
  const parsed: unknown[] = [];
  let unparsable = 0;
  for (const { data } of events) {
    try {
      parsed.push(JSON.parse(data));
    } catch {
      unparsable += 1;
    }
  }
  return { events: parsed, unparsable };
}

describe("createChatStreamFromResponsesTranslator: recorded Copilot streams", () => {
  it("translates gpt-5.3-codex's stream, whose ids change on every event", async () => {
    const events = await readJsonLines(
      "responses-stream.gpt-5.3-codex.id-rotation.2026-08-06.vercel-ai.chunks.txt",
    );
    expect(mergeDeltas(translate(events, { includeUsage: true }))).toEqual([
      role,
      { delta: { reasoning_content: "**Counting character occurrences**" }, pieces: 1 },
      {
        delta: {
          content:
            "There are **3** letter **“r”**s in **“strawberry.”**\n\nBreakdown: **s t r a w b e r r y**  \nYou can see **r** at positions **3, 8, and 9**.",
        },
        pieces: 55,
      },
      chunk({}, "stop"),
      {
        ...usageChunk({
          prompt_tokens: 19,
          completion_tokens: 105,
          total_tokens: 124,
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 44 },
        }),
        // Copilot's own cost, carried through untouched for the client and the ledger.
        copilot_usage: {
          token_details: [
            {
              batch_size: 1000000,
              cost_per_batch: 175000000000,
              token_count: 19,
              token_type: "input",
            },
            {
              batch_size: 1000000,
              cost_per_batch: 17500000000,
              token_count: 0,
              token_type: "cache_read",
            },
            { batch_size: 1000000, cost_per_batch: 0, token_count: 0, token_type: "cache_write" },
            {
              batch_size: 1000000,
              cost_per_batch: 1400000000000,
              token_count: 105,
              token_type: "output",
            },
          ],
          total_nano_aiu: 150325000,
        },
      },
    ]);
  });

  it("translates gpt-5's reasoning summary and answer", async () => {
    const { events } = await readOpalEvents(
      "responses-stream.gpt-5.reasoning-summary.2026-02-13.opal.json",
    );
    expect(mergeDeltas(translate(events))).toEqual([
      role,
      {
        delta: {
          reasoning_content:
            '**Calculating multiplication**\n\nI want to keep it straightforward when providing the answer. For example, I could say, "7 multiplied by 8 equals 56," which serves my purpose. It might be better to say, "The product of 7 and 8 is 56," but I also like the idea of simply stating the answer. So, I’ll go with: "7 multiplied by 8 equals 56. Done!" Keeping it minimal is nice, and that feels good!',
        },
        pieces: 91,
      },
      { delta: { content: "7 multiplied by 8 equals 56." }, pieces: 9 },
      chunk({}, "stop"),
    ]);
  });

  it("translates a tool call, then fails the next answer, whose stream was cut off", async () => {
    const { events, unparsable } = await readOpalEvents(
      "responses-stream.gpt-5.reasoning-tool-call.2026-02-13.TRUNCATED.opal.json",
    );
    expect(unparsable).toBe(1);
    const secondStart = events.findIndex(
      (event, index) => index > 0 && (event as { type: string }).type === "response.created",
    );
    const first = translate(events.slice(0, secondStart), { includeUsage: true });
    expect(first[0]).toEqual(role);
    expect(first[1]).toEqual(
      chunk({
        tool_calls: [
          {
            index: 0,
            id: "call_V51pK4uGw2A3HcqtS0gFjwFS",
            type: "function",
            function: { name: "read_file", arguments: "" },
          },
        ],
      }),
    );
    const argumentChunks = first.slice(2, -2);
    expect(argumentChunks).toHaveLength(36);
    expect(
      argumentChunks
        .map((current) => current.choices[0]?.delta.tool_calls?.[0]?.function.arguments)
        .join(""),
    ).toBe('{"path":"/var/folders/b5/mwkw4_410fjc67g81rsp2wxc0000gn/T/opal_live_test_99.txt"}');
    expect(first.slice(-2)).toEqual([
      chunk({}, "tool_calls"),
      usageChunk({
        prompt_tokens: 180,
        completion_tokens: 307,
        total_tokens: 487,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 256 },
      }),
    ]);

    const translator = createChatStreamFromResponsesTranslator(options);
    const second = events.slice(secondStart).flatMap((event) => translator.push(event));
    expect(mergeDeltas(second)).toEqual([
      role,
      { delta: { content: "Hello from the live thinking test!" }, pieces: 7 },
    ]);
    expect(() => translator.finish()).toThrow(
      new UpstreamError(502, "Copilot's Responses stream ended before the answer was complete", {
        code: "stream_interrupted",
      }),
    );
  });
  it("reads every kind of event recorded from gpt-5.6 (keepalive, custom tools, namespaces, copilot_usage)", async () => {
    const catalog = JSON.parse(
      await readCopilotFixture(
        "responses/responses-stream.gpt-5.6-sol.STRUCTURAL-SANITIZED.2026-07-10.json",
      ),
    ) as { samples: { root: string; value: { type: string } }[] };
    const types = new Set<string>();
    for (const sample of catalog.samples) {
      if (sample.root !== "event") continue;
      const translator = createChatStreamFromResponsesTranslator(options);
      translator.push({ type: "response.created", response: { status: "in_progress" } });
      expect(() => translator.push(sample.value)).not.toThrow();
      types.add(sample.value.type);
    }
    expect([...types].sort()).toEqual([
      "keepalive",
      "response.completed",
      "response.content_part.added",
      "response.content_part.done",
      "response.created",
      "response.custom_tool_call_input.delta",
      "response.custom_tool_call_input.done",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.in_progress",
      "response.output_item.added",
      "response.output_item.done",
      "response.output_text.delta",
      "response.output_text.done",
    ]);
  });
});

describe("createChatStreamFromResponsesTranslator: Copilot's quirks", () => {
  const created = {
    type: "response.created",
    sequence_number: 0,
    response: { id: "a", status: "in_progress" },
  };
  const completed = (output: unknown[] = [], status = "completed", extra = {}) => ({
    type: "response.completed",
    sequence_number: 9,
    response: {
      id: "z",
      status,
      output,
      usage: { input_tokens: 3, output_tokens: 4, total_tokens: 7 },
      ...extra,
    },
  });
  const call = (fields: Record<string, unknown>) => ({
    type: "function_call",
    id: "rotating",
    call_id: "call_1",
    name: "spawn_agent",
    namespace: "collaboration",
    ...fields,
  });

  it("takes arguments that come only in the done events (gpt-5.6), skipping keepalive and custom tool events", () => {
    expect(
      translate([
        created,
        { type: "keepalive", sequence_number: 1 },
        {
          type: "response.output_item.added",
          output_index: 1,
          item: call({ arguments: "{}", status: "in_progress" }),
        },
        {
          type: "response.custom_tool_call_input.delta",
          output_index: 2,
          item_id: "x",
          delta: "ls",
        },
        {
          type: "response.function_call_arguments.done",
          output_index: 1,
          item_id: "other",
          arguments: "{}",
        },
        {
          type: "response.output_item.done",
          output_index: 1,
          item: call({ arguments: "{}", status: "completed" }),
        },
        completed([call({ arguments: "{}" })]),
      ]),
    ).toEqual([
      role,
      chunk({
        tool_calls: [
          {
            index: 0,
            id: "call_1",
            type: "function",
            function: { name: "spawn_agent", arguments: "" },
          },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: "{}" } }] }),
      chunk({}, "tool_calls"),
    ]);
  });

  it("completes the arguments from output_item.done when some deltas were missed, and starts an unannounced call", () => {
    expect(
      translate([
        created,
        { type: "response.output_item.added", output_index: 0, item: call({ arguments: "" }) },
        {
          type: "response.function_call_arguments.delta",
          output_index: 0,
          item_id: "r1",
          delta: '{"a":',
        },
        {
          type: "response.output_item.done",
          output_index: 0,
          item: call({ arguments: '{"a":1}' }),
        },
        {
          type: "response.output_item.done",
          output_index: 1,
          item: call({ call_id: "call_2", name: "wait", arguments: "{}" }),
        },
        completed(),
      ]),
    ).toEqual([
      role,
      chunk({
        tool_calls: [
          {
            index: 0,
            id: "call_1",
            type: "function",
            function: { name: "spawn_agent", arguments: "" },
          },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: "1}" } }] }),
      chunk({
        tool_calls: [
          { index: 1, id: "call_2", type: "function", function: { name: "wait", arguments: "" } },
        ],
      }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: "{}" } }] }),
      chunk({}, "tool_calls"),
    ]);
  });

  it("separates two message items (commentary, then the answer), and sends text only given when done", () => {
    expect(
      translate([
        created,
        {
          type: "response.output_text.delta",
          output_index: 0,
          item_id: "a",
          content_index: 0,
          delta: "Looking.",
        },
        {
          type: "response.output_text.done",
          output_index: 0,
          item_id: "b",
          content_index: 0,
          text: "Looking.",
        },
        {
          type: "response.output_text.done",
          output_index: 1,
          item_id: "c",
          content_index: 0,
          text: "Found it.",
        },
        {
          type: "response.refusal.delta",
          output_index: 1,
          item_id: "d",
          content_index: 1,
          delta: "Not that.",
        },
        completed(),
      ]),
    ).toEqual([
      role,
      chunk({ content: "Looking." }),
      chunk({ content: "\n\nFound it." }),
      chunk({ refusal: "Not that." }),
      chunk({}, "stop"),
    ]);
  });

  it("separates reasoning summary parts and raw reasoning text", () => {
    expect(
      translate([
        created,
        {
          type: "response.reasoning_summary_text.delta",
          output_index: 0,
          item_id: "a",
          summary_index: 0,
          delta: "One",
        },
        {
          type: "response.reasoning_summary_text.delta",
          output_index: 0,
          item_id: "b",
          summary_index: 1,
          delta: "Two",
        },
        {
          type: "response.reasoning_text.delta",
          output_index: 1,
          item_id: "c",
          content_index: 0,
          delta: "Raw",
        },
        completed(),
      ]),
    ).toEqual([
      role,
      chunk({ reasoning_content: "One" }),
      chunk({ reasoning_content: "\n\nTwo" }),
      chunk({ reasoning_content: "\n\nRaw" }),
      chunk({}, "stop"),
    ]);
  });

  const finishCases: [string, unknown, string][] = [
    [
      "cut by max_output_tokens",
      completed([], "incomplete", { incomplete_details: { reason: "max_output_tokens" } }),
      "length",
    ],
    [
      "stopped by a filter",
      completed([], "incomplete", { incomplete_details: { reason: "content_filter" } }),
      "content_filter",
    ],
    [
      "response.incomplete",
      { ...completed([], "incomplete"), type: "response.incomplete" },
      "length",
    ],
  ];
  it.each(finishCases)("finish_reason when %s", (_name, end, expected) => {
    expect(translate([created, end]).at(-1)).toEqual(chunk({}, expected));
  });

  it("ignores what comes after response.completed", () => {
    const translator = createChatStreamFromResponsesTranslator(options);
    translator.push(created);
    translator.push(completed());
    expect(
      translator.push({ type: "response.output_text.delta", output_index: 0, delta: "x" }),
    ).toEqual([]);
    expect(translator.finish()).toEqual([]);
  });

  const failures: [string, unknown, UpstreamError][] = [
    [
      "response.failed",
      {
        type: "response.failed",
        response: { status: "failed", error: { code: "server_error", message: "Model crashed" } },
      },
      new UpstreamError(502, "Model crashed", { code: "server_error" }),
    ],
    [
      "an error event, flat",
      { type: "error", code: "rate_limit_exceeded", message: "Slow down", param: null },
      new UpstreamError(502, "Slow down", { code: "rate_limit_exceeded" }),
    ],
    [
      "an error event, nested as OpenAI sends it",
      {
        type: "error",
        error: { type: "insufficient_quota", code: "insufficient_quota", message: "No quota" },
      },
      new UpstreamError(502, "No quota", { code: "insufficient_quota" }),
    ],
    [
      "a Copilot policy error",
      { type: "error", error: { code: "cyber_policy", message: "<message>" } },
      new UpstreamError(502, "<message>", { code: "cyber_policy" }),
    ],
  ];
  it.each(failures)("throws on %s", (_name, event, expected) => {
    const translator = createChatStreamFromResponsesTranslator(options);
    expect(translator.push(created)).toEqual([role]);
    expect(() => translator.push(event)).toThrow(expected);
  });

  it("throws on an event it cannot read", () => {
    const translator = createChatStreamFromResponsesTranslator(options);
    expect(() =>
      translator.push({ type: "response.output_text.delta", delta: "no index" }),
    ).toThrow(
      new UpstreamError(502, "Copilot sent a Responses event that was not understood", {
        code: "upstream_malformed_response",
      }),
    );
  });
});

describe("createChatStreamFromResponsesTranslator: read by the official openai SDK", () => {
  it("accumulates into one chat completion with text and tool calls", async () => {
    const chunks = translate(
      [
        { type: "response.created", response: { status: "in_progress" } },
        { type: "response.output_text.delta", output_index: 0, delta: "Let me check." },
        {
          type: "response.output_item.added",
          output_index: 1,
          item: { type: "function_call", call_id: "call_1", name: "get_weather", arguments: "" },
        },
        {
          type: "response.function_call_arguments.delta",
          output_index: 1,
          delta: '{"city":"Paris"}',
        },
        {
          type: "response.completed",
          response: { status: "completed", usage: { input_tokens: 3, output_tokens: 4 } },
        },
      ],
      { includeUsage: true },
    );
    const body = [
      ...chunks.map((current) => `data: ${JSON.stringify(current)}\n\n`),
      "data: [DONE]\n\n",
    ].join("");
    const client = new OpenAI({
      apiKey: "test",
      baseURL: "http://127.0.0.1:1/v1",
      maxRetries: 0,
      fetch: async () => new Response(body, { headers: { "content-type": "text/event-stream" } }),
    });
    const stream = client.chat.completions.stream({
      model: "gpt-5.3-codex",
      messages: [{ role: "user", content: "Hi" }],
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices).toEqual([
      {
        index: 0,
        finish_reason: "tool_calls",
        logprobs: null,
        message: {
          role: "assistant",
          content: "Let me check.",
          refusal: null,
          parsed: null,
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: {
                name: "get_weather",
                arguments: '{"city":"Paris"}',
              },
            },
          ],
        },
      },
    ]);
    expect(final.usage).toEqual({
      prompt_tokens: 3,
      completion_tokens: 4,
      total_tokens: 7,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });
});

describe("createChatStreamFromResponsesTranslator: stream guards", () => {
  const added = {
    type: "response.output_item.added",
    output_index: 0,
    item: {
      id: "a",
      type: "function_call",
      call_id: "call_1",
      name: "exec_command",
      arguments: "",
    },
  };
  const delta = (itemId: string, text: string) => ({
    type: "response.function_call_arguments.delta",
    item_id: itemId,
    output_index: 0,
    delta: text,
  });

  it("keys a call by output_index, whatever item_id each event carries", () => {
    const translator = createChatStreamFromResponsesTranslator(options);
    const chunks = [added, delta("b", '{"cmd":'), delta("c", '"ls"}')].flatMap((event) =>
      translator.push(event),
    );
    expect(chunks.slice(1)).toEqual([
      chunk({
        tool_calls: [
          {
            index: 0,
            id: "call_1",
            type: "function",
            function: { name: "exec_command", arguments: "" },
          },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"cmd":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"ls"}' } }] }),
    ]);
  });

  it("throws once a call's arguments are 2,000 whitespace characters in a row", () => {
    const translator = createChatStreamFromResponsesTranslator(options);
    translator.push(added);
    translator.push(delta("x", '{"'));
    for (let i = 0; i < 19; i++) translator.push(delta("x", " \n".repeat(50)));
    expect(() => translator.push(delta("x", " \n".repeat(50)))).toThrow(
      new UpstreamError(
        502,
        'The tool call "exec_command" degenerated into whitespace (2000 whitespace characters in a row with nothing else): the answer was cut instead of streaming until max_output_tokens; try again',
        { code: "degenerate_tool_call" },
      ),
    );
  });
});
