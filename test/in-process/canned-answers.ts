import { JSON_HEADERS, SSE_HEADERS, type CannedAnswer } from "./fake-copilot-client.js";

/*
 * Small answers in the shapes Copilot sends on each endpoint (the recordings under
 * test/fixtures/copilot show the full-size ones), short enough to compare whole answers in a
 * route's tests.
 */

function sse(events: readonly { event?: string; data: unknown }[]): string[] {
  return events.map(({ event, data }) => {
    const payload = typeof data === "string" ? data : JSON.stringify(data);
    return `${event === undefined ? "" : `event: ${event}\n`}data: ${payload}\n\n`;
  });
}

export const CHAT_ANSWER: CannedAnswer = {
  headers: JSON_HEADERS,
  body: JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1767225600,
    model: "gpt-4.1-2025-04-14",
    choices: [
      { index: 0, message: { role: "assistant", content: "Hello!" }, finish_reason: "stop" },
    ],
    usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
  }),
};

const chunk = (choice: object, extra: object = {}) => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 1767225600,
  model: "gpt-4.1-2025-04-14",
  choices: [{ index: 0, ...choice }],
  ...extra,
});

export const CHAT_STREAM: CannedAnswer = {
  headers: SSE_HEADERS,
  body: sse([
    { data: chunk({ delta: { role: "assistant", content: "Hel" } }) },
    { data: chunk({ delta: { content: "lo!" } }) },
    {
      data: chunk(
        { delta: {}, finish_reason: "stop" },
        { usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } },
      ),
    },
    { data: "[DONE]" },
  ]),
};

const responseMessage = {
  type: "message",
  id: "msg_1",
  status: "completed",
  role: "assistant",
  content: [{ type: "output_text", text: "Hello!", annotations: [] }],
};

const response = (status: string, output: readonly object[], usage?: object) => ({
  id: "resp_1",
  object: "response",
  created_at: 1767225600,
  status,
  model: "gpt-5.4",
  output,
  ...(usage === undefined ? {} : { usage }),
});

const RESPONSES_USAGE = {
  input_tokens: 5,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 2,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 7,
};

export const RESPONSES_ANSWER: CannedAnswer = {
  headers: JSON_HEADERS,
  body: JSON.stringify(response("completed", [responseMessage], RESPONSES_USAGE)),
};

export const RESPONSES_STREAM: CannedAnswer = {
  headers: SSE_HEADERS,
  body: sse(
    [
      { type: "response.created", response: response("in_progress", []) },
      {
        type: "response.output_item.added",
        output_index: 0,
        item: { ...responseMessage, status: "in_progress", content: [] },
      },
      {
        type: "response.content_part.added",
        item_id: "msg_1",
        output_index: 0,
        content_index: 0,
        part: { type: "output_text", text: "", annotations: [] },
      },
      {
        type: "response.output_text.delta",
        item_id: "msg_1",
        output_index: 0,
        content_index: 0,
        delta: "Hel",
      },
      {
        type: "response.output_text.delta",
        item_id: "msg_1",
        output_index: 0,
        content_index: 0,
        delta: "lo!",
      },
      {
        type: "response.output_text.done",
        item_id: "msg_1",
        output_index: 0,
        content_index: 0,
        text: "Hello!",
      },
      {
        type: "response.content_part.done",
        item_id: "msg_1",
        output_index: 0,
        content_index: 0,
        part: { type: "output_text", text: "Hello!", annotations: [] },
      },
      { type: "response.output_item.done", output_index: 0, item: responseMessage },
      {
        type: "response.completed",
        response: response("completed", [responseMessage], RESPONSES_USAGE),
      },
    ].map((data, index) => ({ event: data.type, data: { ...data, sequence_number: index } })),
  ),
};

export const MESSAGES_ANSWER: CannedAnswer = {
  headers: JSON_HEADERS,
  body: JSON.stringify({
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4.5",
    content: [{ type: "text", text: "Hello!" }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 5, output_tokens: 2 },
  }),
};

export const MESSAGES_STREAM: CannedAnswer = {
  headers: SSE_HEADERS,
  body: sse(
    [
      {
        type: "message_start",
        message: {
          id: "msg_1",
          type: "message",
          role: "assistant",
          model: "claude-sonnet-4.5",
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 5, output_tokens: 1 },
        },
      },
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hel" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "lo!" } },
      { type: "content_block_stop", index: 0 },
      {
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: 2 },
      },
      { type: "message_stop" },
    ].map((data) => ({ event: data.type, data })),
  ),
};
