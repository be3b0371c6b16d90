// Chat Completions streams (synthetic, then recorded from Copilot and normalised as the gateway
// does) through the translator: the exact Responses event sequence is compared.
import { formatSseMessages, typedEventMessage } from "../../sse/format-sse.js";
import { describe, expect, it } from "vitest";
import type { OpenAIResponsesRequest } from "../../protocols/openai/responses-request.js";
import type {
  ResponsesOutputItem,
  ResponsesResponse,
  ResponsesStreamEvent,
  ResponsesUsage,
} from "../../protocols/openai/responses-response.js";
import OpenAI from "openai";
import { readCopilotFixtureSseData } from "../../translate/__fixtures__/copilot-fixtures.js";
import { createChatChunkObjectNormalizer } from "../../translate/normalize-chat-completion-chunk.js";
import { createResponsesStreamTranslator } from "./create-responses-stream-translator.js";

const request: OpenAIResponsesRequest = { input: "Hi" };

/** Feeds every payload but `[DONE]`, normalised, then calls finish() unless told not to. */
function translate(payloads: readonly string[], finish = true): ResponsesStreamEvent[] {
  const normalize = createChatChunkObjectNormalizer({
    model: "copilot-model",
    created: 1700000000,
  });
  const translator = createResponsesStreamTranslator({
    model: "gpt-4o",
    request,
    responseId: "resp_1",
  });
  const events: ResponsesStreamEvent[] = [];
  for (const data of payloads) {
    if (data === "[DONE]") continue;
    const chunk = normalize(data);
    if (chunk !== undefined) events.push(...translator.push(chunk));
  }
  if (finish) events.push(...translator.finish());
  return events;
}

function chunk(delta: Record<string, unknown>, finishReason: string | null = null, extra = {}) {
  return JSON.stringify({
    id: "chatcmpl-1",
    created: 1700000000,
    model: "gpt-4o",
    choices: [{ index: 0, delta, finish_reason: finishReason }],
    ...extra,
  });
}

const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
const responsesUsage: ResponsesUsage = {
  input_tokens: 10,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 5,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 15,
};

function response(fields: Partial<ResponsesResponse>): ResponsesResponse {
  return {
    id: "resp_1",
    object: "response",
    created_at: 1700000000,
    status: "in_progress",
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
    usage: null,
    user: null,
    metadata: {},
    ...fields,
  };
}

const opening = (createdAt = 1700000000): ResponsesStreamEvent[] => [
  { type: "response.created", sequence_number: 0, response: response({ created_at: createdAt }) },
  {
    type: "response.in_progress",
    sequence_number: 1,
    response: response({ created_at: createdAt }),
  },
];

const outputText = (text: string) => ({
  type: "output_text" as const,
  text,
  annotations: [],
  logprobs: [],
});

/** Consecutive deltas of one item merged, with how many there were, for long transcripts. */
function mergeDeltas(events: readonly ResponsesStreamEvent[]): unknown[] {
  const merged: unknown[] = [];
  for (const event of events) {
    const last = merged.at(-1) as
      { type: string; output_index: number; delta: string; pieces: number } | undefined;
    const isDelta = event.type.endsWith(".delta") && "delta" in event;
    if (isDelta && last?.type === event.type && last.output_index === event.output_index) {
      last.delta += event.delta;
      last.pieces += 1;
    } else if (isDelta) {
      const { sequence_number: _sequence, ...rest } = event;
      merged.push({ ...rest, pieces: 1 });
    } else {
      const { sequence_number: _sequence, ...rest } = event;
      merged.push(rest);
    }
  }
  return merged;
}

describe("createResponsesStreamTranslator: synthetic streams", () => {
  it("translates reasoning, text and a tool call into the exact event sequence", () => {
    const events = translate([
      chunk({ role: "assistant", reasoning_text: "Weather " }),
      chunk({ reasoning_text: "needed." }),
      chunk({ content: "Let me " }),
      chunk({ content: "check." }),
      chunk({
        tool_calls: [
          {
            index: 0,
            id: "call_1",
            type: "function",
            function: { name: "get_weather", arguments: "" },
          },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({}, "tool_calls"),
      chunk({}, null, { choices: [], usage }),
    ]);
    const reasoningItem: ResponsesOutputItem = {
      id: "rs_1_0",
      type: "reasoning",
      summary: [{ type: "summary_text", text: "Weather needed." }],
    };
    const messageItem: ResponsesOutputItem = {
      id: "msg_1_1",
      type: "message",
      status: "completed",
      role: "assistant",
      content: [outputText("Let me check.")],
    };
    const callItem: ResponsesOutputItem = {
      id: "fc_1_2",
      type: "function_call",
      status: "completed",
      arguments: '{"city":"Paris"}',
      call_id: "call_1",
      name: "get_weather",
    };
    const rs = { item_id: "rs_1_0", output_index: 0 };
    const msg = { item_id: "msg_1_1", output_index: 1, content_index: 0 };
    const fc = { item_id: "fc_1_2", output_index: 2 };
    expect(events).toEqual([
      ...opening(),
      {
        type: "response.output_item.added",
        sequence_number: 2,
        output_index: 0,
        item: { id: "rs_1_0", type: "reasoning", summary: [] },
      },
      {
        type: "response.reasoning_summary_part.added",
        sequence_number: 3,
        ...rs,
        summary_index: 0,
        part: { type: "summary_text", text: "" },
      },
      {
        type: "response.reasoning_summary_text.delta",
        sequence_number: 4,
        ...rs,
        summary_index: 0,
        delta: "Weather ",
      },
      {
        type: "response.reasoning_summary_text.delta",
        sequence_number: 5,
        ...rs,
        summary_index: 0,
        delta: "needed.",
      },
      {
        type: "response.reasoning_summary_text.done",
        sequence_number: 6,
        ...rs,
        summary_index: 0,
        text: "Weather needed.",
      },
      {
        type: "response.reasoning_summary_part.done",
        sequence_number: 7,
        ...rs,
        summary_index: 0,
        part: { type: "summary_text", text: "Weather needed." },
      },
      {
        type: "response.output_item.done",
        sequence_number: 8,
        output_index: 0,
        item: reasoningItem,
      },
      {
        type: "response.output_item.added",
        sequence_number: 9,
        output_index: 1,
        item: {
          id: "msg_1_1",
          type: "message",
          status: "in_progress",
          role: "assistant",
          content: [],
        },
      },
      { type: "response.content_part.added", sequence_number: 10, ...msg, part: outputText("") },
      {
        type: "response.output_text.delta",
        sequence_number: 11,
        ...msg,
        delta: "Let me ",
        logprobs: [],
      },
      {
        type: "response.output_text.delta",
        sequence_number: 12,
        ...msg,
        delta: "check.",
        logprobs: [],
      },
      {
        type: "response.output_text.done",
        sequence_number: 13,
        ...msg,
        text: "Let me check.",
        logprobs: [],
      },
      {
        type: "response.content_part.done",
        sequence_number: 14,
        ...msg,
        part: outputText("Let me check."),
      },
      {
        type: "response.output_item.done",
        sequence_number: 15,
        output_index: 1,
        item: messageItem,
      },
      {
        type: "response.output_item.added",
        sequence_number: 16,
        output_index: 2,
        item: { ...callItem, status: "in_progress", arguments: "" },
      },
      {
        type: "response.function_call_arguments.delta",
        sequence_number: 17,
        ...fc,
        delta: '{"city":',
      },
      {
        type: "response.function_call_arguments.delta",
        sequence_number: 18,
        ...fc,
        delta: '"Paris"}',
      },
      {
        type: "response.function_call_arguments.done",
        sequence_number: 19,
        ...fc,
        name: "get_weather",
        arguments: '{"city":"Paris"}',
      },
      { type: "response.output_item.done", sequence_number: 20, output_index: 2, item: callItem },
      {
        type: "response.completed",
        sequence_number: 21,
        response: response({
          status: "completed",
          output: [reasoningItem, messageItem, callItem],
          usage: responsesUsage,
        }),
      },
    ]);
  });

  it("gives a refusal its own content part", () => {
    const events = translate([
      chunk({ content: "Well. " }),
      chunk({ refusal: "No." }),
      chunk({}, "stop"),
    ]);
    expect(mergeDeltas(events).slice(2, -1)).toEqual([
      {
        type: "response.output_item.added",
        output_index: 0,
        item: {
          id: "msg_1_0",
          type: "message",
          status: "in_progress",
          role: "assistant",
          content: [],
        },
      },
      {
        type: "response.content_part.added",
        item_id: "msg_1_0",
        output_index: 0,
        content_index: 0,
        part: outputText(""),
      },
      {
        type: "response.output_text.delta",
        item_id: "msg_1_0",
        output_index: 0,
        content_index: 0,
        delta: "Well. ",
        logprobs: [],
        pieces: 1,
      },
      {
        type: "response.output_text.done",
        item_id: "msg_1_0",
        output_index: 0,
        content_index: 0,
        text: "Well. ",
        logprobs: [],
      },
      {
        type: "response.content_part.done",
        item_id: "msg_1_0",
        output_index: 0,
        content_index: 0,
        part: outputText("Well. "),
      },
      {
        type: "response.content_part.added",
        item_id: "msg_1_0",
        output_index: 0,
        content_index: 1,
        part: { type: "refusal", refusal: "" },
      },
      {
        type: "response.refusal.delta",
        item_id: "msg_1_0",
        output_index: 0,
        content_index: 1,
        delta: "No.",
        pieces: 1,
      },
      {
        type: "response.refusal.done",
        item_id: "msg_1_0",
        output_index: 0,
        content_index: 1,
        refusal: "No.",
      },
      {
        type: "response.content_part.done",
        item_id: "msg_1_0",
        output_index: 0,
        content_index: 1,
        part: { type: "refusal", refusal: "No." },
      },
      {
        type: "response.output_item.done",
        output_index: 0,
        item: {
          id: "msg_1_0",
          type: "message",
          status: "completed",
          role: "assistant",
          content: [outputText("Well. "), { type: "refusal", refusal: "No." }],
        },
      },
    ]);
  });

  it("ends an answer cut by the token limit with response.incomplete", () => {
    const events = translate([chunk({ content: "Once upon" }), chunk({}, "length", { usage })]);
    const item: ResponsesOutputItem = {
      id: "msg_1_0",
      type: "message",
      status: "incomplete",
      role: "assistant",
      content: [outputText("Once upon")],
    };
    expect(events.slice(-2)).toEqual([
      { type: "response.output_item.done", sequence_number: 7, output_index: 0, item },
      {
        type: "response.incomplete",
        sequence_number: 8,
        response: response({
          status: "incomplete",
          incomplete_details: { reason: "max_output_tokens" },
          output: [item],
          usage: responsesUsage,
        }),
      },
    ]);
  });

  const partial: ResponsesOutputItem = {
    id: "msg_1_0",
    type: "message",
    status: "incomplete",
    role: "assistant",
    content: [],
  };
  const failure = (sequence: number, code: string, message: string): ResponsesStreamEvent[] => [
    {
      type: "error",
      sequence_number: sequence,
      code,
      message,
      param: null,
      error: { type: "upstream_error", code, message, param: null },
    },
    {
      type: "response.failed",
      sequence_number: sequence + 1,
      response: response({ status: "failed", error: { code, message }, output: [partial] }),
    },
  ];

  it("fails a stream that ends without a finish reason, never a silent end", () => {
    const events = translate([chunk({ content: "Half" })]);
    expect(events.slice(-2)).toEqual(
      failure(
        5,
        "stream_interrupted",
        "The upstream stream ended before the answer was complete",
      ).map((event) =>
        event.type === "response.failed"
          ? {
              ...event,
              response: {
                ...event.response,
                output: [{ ...partial, content: [outputText("Half")] }],
              },
            }
          : event,
      ),
    );
  });

  it("fails on finish_reason error", () => {
    const events = translate([chunk({}, "error")]);
    expect(events).toEqual([
      ...opening(),
      ...failure(
        2,
        "upstream_finish_error",
        'Copilot ended the answer with finish_reason "error"',
      ).map((event) =>
        event.type === "response.failed"
          ? { ...event, response: { ...event.response, output: [] } }
          : event,
      ),
    ]);
  });

  it("fails on an error chunk and ignores what follows", () => {
    const normalize = createChatChunkObjectNormalizer({ model: "m", created: 1700000000 });
    const translator = createResponsesStreamTranslator({
      model: "gpt-4o",
      request,
      responseId: "resp_1",
    });
    const first = translator.push(
      normalize(JSON.stringify({ error: { message: "quota exceeded" } })),
    );
    expect(first).toEqual([
      ...opening(0),
      ...failure(2, "upstream_error", "quota exceeded").map((event) =>
        event.type === "response.failed"
          ? { ...event, response: { ...event.response, created_at: 0, output: [] } }
          : event,
      ),
    ]);
    expect(translator.push(normalize(chunk({ content: "late" })))).toEqual([]);
    expect(translator.finish()).toEqual([]);
  });

  it("fails on the route's behalf when the connection breaks", () => {
    const translator = createResponsesStreamTranslator({
      model: "gpt-4o",
      request,
      responseId: "resp_1",
      createdAt: 1700000000,
    });
    expect(translator.fail("socket hang up")).toEqual([
      ...opening(),
      ...failure(2, "stream_interrupted", "socket hang up").map((event) =>
        event.type === "response.failed"
          ? { ...event, response: { ...event.response, output: [] } }
          : event,
      ),
    ]);
    expect(translator.finish()).toEqual([]);
  });

  it("formats an event as the Responses API frames it", () => {
    expect(
      formatTypedEvent({
        type: "response.output_text.delta",
        sequence_number: 4,
        item_id: "msg_1_0",
        output_index: 0,
        content_index: 0,
        delta: "Hi",
        logprobs: [],
      }),
    ).toBe(
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1_0","output_index":0,"content_index":0,"delta":"Hi","logprobs":[]}\n\n',
    );
  });
});

describe("createResponsesStreamTranslator: the bytes on the wire", () => {
  it("writes each event's fields in a fixed order, sequence_number last", () => {
    const events = translate([
      chunk({ role: "assistant", content: "Hi" }),
      chunk({ refusal: "No" }),
      chunk({}, "stop", { usage }),
    ]);
    const lines = events.map(formatTypedEvent).map((text) => text.split("\n")[1]);
    expect(lines.slice(2, 9)).toEqual([
      'data: {"type":"response.output_item.added","output_index":0,"item":{"id":"msg_1_0","type":"message","status":"in_progress","role":"assistant","content":[]},"sequence_number":2}',
      'data: {"type":"response.content_part.added","item_id":"msg_1_0","output_index":0,"content_index":0,"part":{"type":"output_text","text":"","annotations":[],"logprobs":[]},"sequence_number":3}',
      'data: {"type":"response.output_text.delta","item_id":"msg_1_0","output_index":0,"content_index":0,"delta":"Hi","logprobs":[],"sequence_number":4}',
      'data: {"type":"response.output_text.done","item_id":"msg_1_0","output_index":0,"content_index":0,"text":"Hi","logprobs":[],"sequence_number":5}',
      'data: {"type":"response.content_part.done","item_id":"msg_1_0","output_index":0,"content_index":0,"part":{"type":"output_text","text":"Hi","annotations":[],"logprobs":[]},"sequence_number":6}',
      'data: {"type":"response.content_part.added","item_id":"msg_1_0","output_index":0,"content_index":1,"part":{"type":"refusal","refusal":""},"sequence_number":7}',
      'data: {"type":"response.refusal.delta","item_id":"msg_1_0","output_index":0,"content_index":1,"delta":"No","sequence_number":8}',
    ]);
    expect(lines[0]).toMatch(
      /^data: \{"type":"response.created","response":\{"id":"resp_1",.*\},"sequence_number":0\}$/,
    );
  });
});

describe("createResponsesStreamTranslator: recorded Copilot streams", () => {
  it("translates gpt-4o's tool call (leading filter chunk, usage in the finish chunk)", async () => {
    const events = translate(
      await readCopilotFixtureSseData("chat/chat-stream.gpt-4o.tool-call.2025-05-18.sse"),
    );
    const call: ResponsesOutputItem = {
      id: "fc_1_0",
      type: "function_call",
      status: "completed",
      arguments: '{"location":"San Francisco"}',
      call_id: "call_7m75SYp4UrPhxhtdZdawEK5J",
      name: "get_weather",
    };
    expect(mergeDeltas(events)).toEqual([
      { type: "response.created", response: response({ created_at: 1747591235 }) },
      { type: "response.in_progress", response: response({ created_at: 1747591235 }) },
      {
        type: "response.output_item.added",
        output_index: 0,
        item: { ...call, status: "in_progress", arguments: "" },
      },
      {
        type: "response.function_call_arguments.delta",
        item_id: "fc_1_0",
        output_index: 0,
        delta: '{"location":"San Francisco"}',
        pieces: 6,
      },
      {
        type: "response.function_call_arguments.done",
        item_id: "fc_1_0",
        output_index: 0,
        name: "get_weather",
        arguments: '{"location":"San Francisco"}',
      },
      { type: "response.output_item.done", output_index: 0, item: call },
      {
        type: "response.completed",
        response: response({
          created_at: 1747591235,
          status: "completed",
          output: [call],
          usage: {
            input_tokens: 73,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: 16,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: 89,
          },
        }),
      },
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(
      events.map((_event, index) => index),
    );
  });

  it("translates Claude's text then two tool calls that share index 0", async () => {
    const events = translate(
      await readCopilotFixtureSseData(
        "chat/chat-stream.claude-3.5-sonnet.two-tool-calls-same-index.2025-03-14.sse",
      ),
    );
    expect(
      mergeDeltas(events).map((event) => {
        const { type, output_index, pieces } = event as {
          type: string;
          output_index?: number;
          pieces?: number;
        };
        return [type, output_index, pieces];
      }),
    ).toEqual([
      ["response.created", undefined, undefined],
      ["response.in_progress", undefined, undefined],
      ["response.output_item.added", 0, undefined],
      ["response.content_part.added", 0, undefined],
      ["response.output_text.delta", 0, 9],
      ["response.output_text.done", 0, undefined],
      ["response.content_part.done", 0, undefined],
      ["response.output_item.done", 0, undefined],
      ["response.output_item.added", 1, undefined],
      ["response.function_call_arguments.delta", 1, 24],
      ["response.function_call_arguments.done", 1, undefined],
      ["response.output_item.done", 1, undefined],
      ["response.output_item.added", 2, undefined],
      ["response.function_call_arguments.delta", 2, 104],
      ["response.function_call_arguments.done", 2, undefined],
      ["response.output_item.done", 2, undefined],
      ["response.completed", undefined, undefined],
    ]);
    const completed = events.at(-1);
    expect(
      completed?.type === "response.completed" &&
        completed.response.output.map(
          (item) => item.type === "function_call" && [item.call_id, item.name],
        ),
    ).toEqual([
      false,
      ["tooluse_448k6WHnTpS28K0Bd1bhgA", "edit_file"],
      ["tooluse_2SRF2HShTXOoLdGrjWuGiw", "edit_file"],
    ]);
  });

  it("translates Claude's two consecutive answers (a tool call, then text) one at a time", async () => {
    const payloads = await readCopilotFixtureSseData(
      "chat/chat-stream.claude-sonnet-4.tool-call.2026-02-13.sse",
    );
    // The recording holds no [DONE]: the first answer ends with its finish chunk.
    const split = payloads.findIndex((data) => data.includes('"finish_reason":"tool_calls"')) + 1;
    const first = mergeDeltas(translate(payloads.slice(0, split)));
    const second = mergeDeltas(translate(payloads.slice(split)));
    expect(first.at(-1)).toEqual({
      type: "response.completed",
      response: response({
        created_at: 1770976124,
        status: "completed",
        output: [
          {
            id: "fc_1_0",
            type: "function_call",
            status: "completed",
            call_id: "toolu_vrtx_01XTzCVdqxzc4pET9aqcSQt7",
            name: "read_file",
            arguments:
              '{"path": "/var/folders/b5/mwkw4_410fjc67g81rsp2wxc0000gn/T/opal_live_test_3012.txt"}',
          },
        ],
        usage: {
          input_tokens: 525,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: 95,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: 620,
        },
      }),
    });
    expect(second.slice(2, 6)).toEqual([
      {
        type: "response.output_item.added",
        output_index: 0,
        item: {
          id: "msg_1_0",
          type: "message",
          status: "in_progress",
          role: "assistant",
          content: [],
        },
      },
      {
        type: "response.content_part.added",
        item_id: "msg_1_0",
        output_index: 0,
        content_index: 0,
        part: outputText(""),
      },
      {
        type: "response.output_text.delta",
        item_id: "msg_1_0",
        output_index: 0,
        content_index: 0,
        delta: 'The file contains the text: "Hello from the live thinking test!"',
        logprobs: [],
        pieces: 4,
      },
      {
        type: "response.output_text.done",
        item_id: "msg_1_0",
        output_index: 0,
        content_index: 0,
        text: 'The file contains the text: "Hello from the live thinking test!"',
        logprobs: [],
      },
    ]);
  });
});

describe("createResponsesStreamTranslator: read by the official openai SDK", () => {
  /** An SDK client whose fetch answers with these events as an SSE body; nothing leaves the process. */
  function clientServing(events: readonly ResponsesStreamEvent[]): OpenAI {
    const body = events.map(formatTypedEvent).join("");
    return new OpenAI({
      apiKey: "test",
      baseURL: "http://127.0.0.1:1/v1",
      maxRetries: 0,
      fetch: async () => new Response(body, { headers: { "content-type": "text/event-stream" } }),
    });
  }

  it("accumulates the stream into the Response of response.completed", async () => {
    const events = translate([
      chunk({ role: "assistant", reasoning_text: "Think." }),
      chunk({ content: "Hello " }),
      chunk({ content: "there." }),
      chunk({ tool_calls: [{ index: 0, id: "call_1", function: { name: "f", arguments: "{}" } }] }),
      chunk({}, "tool_calls", { usage }),
    ]);
    const stream = clientServing(events).responses.stream({ model: "gpt-4o", input: "Hi" });
    const snapshots: string[] = [];
    stream.on("response.output_text.delta", (event) => snapshots.push(event.snapshot));
    const final = await stream.finalResponse();
    const completed = events.at(-1);
    if (completed?.type !== "response.completed") throw new Error("no response.completed");
    // The SDK adds `output_text` and its parse results (nothing to parse here) to the Response.
    expect(final).toEqual({
      ...completed.response,
      output: [
        completed.response.output[0],
        {
          id: "msg_1_1",
          type: "message",
          status: "completed",
          role: "assistant",
          content: [{ ...outputText("Hello there."), parsed: null }],
        },
        {
          id: "fc_1_2",
          type: "function_call",
          status: "completed",
          arguments: "{}",
          call_id: "call_1",
          name: "f",
          parsed_arguments: null,
        },
      ],
      output_text: "Hello there.",
      output_parsed: null,
    });
    expect(snapshots).toEqual(["Hello ", "Hello there."]);
  });

  it("raises the error event of a cut stream", async () => {
    const events = translate([chunk({ content: "Half" })]);
    const stream = clientServing(events).responses.stream({ model: "gpt-4o", input: "Hi" });
    await expect(stream.finalResponse()).rejects.toThrow(
      "The upstream stream ended before the answer was complete",
    );
  });
});

function formatTypedEvent<Event extends { readonly type: string }>(event: Event): string {
  return formatSseMessages([typedEventMessage(event)]);
}

describe("createResponsesStreamTranslator: namespace and custom tools", () => {
  const toolRequest = {
    input: "Hi",
    tools: [
      {
        type: "namespace",
        name: "mcp__weather",
        tools: [{ type: "function", name: "get_forecast" }],
      },
      { type: "custom", name: "apply_patch" },
    ],
  } as OpenAIResponsesRequest;

  function translateWithTools(payloads: readonly string[]): ResponsesStreamEvent[] {
    const translator = createResponsesStreamTranslator({
      model: "gpt-4o",
      request: toolRequest,
      responseId: "resp_1",
    });
    return payloads.flatMap((data) => translator.push(JSON.parse(data)));
  }

  const callChunk = (
    index: number,
    id: string | undefined,
    name: string | undefined,
    args: string,
  ) =>
    chunk({
      tool_calls: [
        {
          index,
          ...(id === undefined ? {} : { id, type: "function" }),
          function: { ...(name === undefined ? {} : { name }), arguments: args },
        },
      ],
    });

  it("streams a namespaced call under its own name, and a custom call's input once whole", () => {
    const events = translateWithTools([
      callChunk(0, "call_a", "mcp__weather__get_forecast", ""),
      callChunk(0, undefined, undefined, '{"city":"Paris"}'),
      callChunk(1, "call_b", "apply_patch", '{"input":"line 1'),
      callChunk(1, undefined, undefined, '\\nline 2"}'),
      chunk({}, "tool_calls"),
    ]).filter(
      (event) => event.type !== "response.created" && event.type !== "response.in_progress",
    );
    const fc = { item_id: "fc_1_0", output_index: 0 };
    const custom = { item_id: "fc_1_1", output_index: 1 };
    const forecast = {
      id: "fc_1_0",
      type: "function_call",
      call_id: "call_a",
      name: "get_forecast",
      namespace: "mcp__weather",
    } as const;
    const patch = {
      id: "fc_1_1",
      type: "custom_tool_call",
      call_id: "call_b",
      name: "apply_patch",
    } as const;
    expect(events).toEqual([
      {
        type: "response.output_item.added",
        sequence_number: 2,
        output_index: 0,
        item: { ...forecast, status: "in_progress", arguments: "" },
      },
      {
        type: "response.function_call_arguments.delta",
        sequence_number: 3,
        ...fc,
        delta: '{"city":"Paris"}',
      },
      {
        type: "response.function_call_arguments.done",
        sequence_number: 4,
        ...fc,
        name: "get_forecast",
        arguments: '{"city":"Paris"}',
      },
      {
        type: "response.output_item.done",
        sequence_number: 5,
        output_index: 0,
        item: { ...forecast, status: "completed", arguments: '{"city":"Paris"}' },
      },
      {
        type: "response.output_item.added",
        sequence_number: 6,
        output_index: 1,
        item: { ...patch, status: "in_progress", input: "" },
      },
      {
        type: "response.custom_tool_call_input.delta",
        sequence_number: 7,
        ...custom,
        delta: "line 1\nline 2",
      },
      {
        type: "response.custom_tool_call_input.done",
        sequence_number: 8,
        ...custom,
        input: "line 1\nline 2",
      },
      {
        type: "response.output_item.done",
        sequence_number: 9,
        output_index: 1,
        item: { ...patch, status: "completed", input: "line 1\nline 2" },
      },
    ]);
  });
});
