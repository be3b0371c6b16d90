import { describe, expect, it } from "vitest";
import {
  CHAT_ANSWER,
  CHAT_STREAM,
  MESSAGES_ANSWER,
  MESSAGES_STREAM,
  RESPONSES_ANSWER,
  RESPONSES_STREAM,
} from "../../test/in-process/canned-answers.js";
import type { CannedAnswer, CannedAnswers } from "../../test/in-process/fake-copilot-client.js";
import {
  AUTHORIZED,
  GITHUB_TOKEN,
  createTestApp,
  readSseEvents,
  request,
} from "../../test/in-process/test-app.js";

const QUOTA = { "x-quota-snapshot-premium_interactions": "ent=300&ov=0.0&rem=99.5" };
const JSON_TYPE = "application/json; charset=utf-8";
const SSE_TYPE = "text/event-stream; charset=utf-8";
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function withQuota(answer: CannedAnswer): CannedAnswer {
  return { ...answer, headers: { ...answer.headers, ...QUOTA } };
}

async function post(url: string, payload: object | string, answers: CannedAnswers = {}) {
  const test = createTestApp({ answers });
  const response = await request(test.app, { method: "POST", url, headers: AUTHORIZED, payload });
  return { response, ...test };
}

/** The JSON payloads of a stream, `[DONE]` kept as text, each with its event name if any. */
function events(body: string): unknown[] {
  return readSseEvents(body).map(({ event, data }) => {
    const value: unknown = data === "[DONE]" ? data : JSON.parse(data);
    return event === undefined ? value : { event, value };
  });
}

const chatRequest = (model: string, stream: boolean) => ({
  model,
  stream,
  messages: [{ role: "user", content: "Hi" }],
});
const responsesRequest = (model: string, stream: boolean) => ({ model, stream, input: "Hi" });
const messagesRequest = (model: string, stream: boolean) => ({
  model,
  stream,
  max_tokens: 100,
  messages: [{ role: "user", content: "Hi" }],
});

describe("POST /v1/chat/completions", () => {
  it("relays Copilot's answer for a chat model, with the quota headers", async () => {
    const { response, copilot } = await post(
      "/v1/chat/completions",
      chatRequest("gpt-4.1", false),
      {
        "/chat/completions": withQuota(CHAT_ANSWER),
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(JSON_TYPE);
    expect(response.headers["x-request-id"]).toMatch(REQUEST_ID);
    expect(response.headers["x-quota-snapshot-premium_interactions"]).toBe(
      QUOTA["x-quota-snapshot-premium_interactions"],
    );
    expect(response.json()).toEqual(JSON.parse(CHAT_ANSWER.body as string));
    expect(copilot.calls).toHaveLength(1);
    expect(copilot.calls[0]).toMatchObject({
      githubToken: GITHUB_TOKEN,
      method: "POST",
      path: "/chat/completions",
      initiator: "user",
      vision: false,
      requestId: response.headers["x-request-id"],
      json: chatRequest("gpt-4.1", false),
    });
  });

  it("streams Copilot's chunks for a chat model, with the quota headers", async () => {
    const { response, copilot } = await post("/v1/chat/completions", chatRequest("gpt-4.1", true), {
      "/chat/completions": withQuota(CHAT_STREAM),
    });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(SSE_TYPE);
    expect(response.headers["cache-control"]).toBe("no-cache");
    expect(response.headers["x-quota-snapshot-premium_interactions"]).toBe(
      QUOTA["x-quota-snapshot-premium_interactions"],
    );
    const chunk = (choice: object, extra: object = {}) => ({
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      created: 1767225600,
      model: "gpt-4.1-2025-04-14",
      choices: [{ index: 0, ...choice }],
      ...extra,
    });
    expect(events(response.body)).toEqual([
      chunk({ delta: { role: "assistant", content: "Hel" }, finish_reason: null }),
      chunk({ delta: { content: "lo!" }, finish_reason: null }),
      chunk(
        { delta: {}, finish_reason: "stop" },
        { usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } },
      ),
      "[DONE]",
    ]);
    expect(copilot.calls.map((call) => [call.path, call.json])).toEqual([
      ["/chat/completions", chatRequest("gpt-4.1", true)],
    ]);
  });

  it("translates to /responses for a Responses-only model", async () => {
    const { response, copilot } = await post(
      "/v1/chat/completions",
      chatRequest("gpt-5.4", false),
      {
        "/responses": withQuota(RESPONSES_ANSWER),
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(JSON_TYPE);
    expect(response.headers["x-quota-snapshot-premium_interactions"]).toBe(
      QUOTA["x-quota-snapshot-premium_interactions"],
    );
    expect(response.json()).toEqual({
      id: expect.stringMatching(/^chatcmpl-[0-9a-f]{32}$/),
      object: "chat.completion",
      created: 1767225600,
      model: "gpt-5.4",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Hello!", refusal: null },
          finish_reason: "stop",
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 5,
        completion_tokens: 2,
        total_tokens: 7,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
    expect(copilot.calls.map((call) => [call.path, call.json])).toEqual([
      [
        "/responses",
        {
          model: "gpt-5.4",
          input: [{ type: "message", role: "user", content: "Hi" }],
          store: false,
        },
      ],
    ]);
  });

  it("translates a stream from /responses into chat chunks", async () => {
    const { response, copilot } = await post("/v1/chat/completions", chatRequest("gpt-5.4", true), {
      "/responses": RESPONSES_STREAM,
    });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(SSE_TYPE);
    const received = events(response.body) as { id: string }[];
    const id = received[0]?.id;
    expect(id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    const chunk = (delta: object, finishReason: string | null) => ({
      id,
      object: "chat.completion.chunk",
      created: 1767225600,
      model: "gpt-5.4",
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    });
    expect(received).toEqual([
      chunk({ role: "assistant", content: "" }, null),
      chunk({ content: "Hel" }, null),
      chunk({ content: "lo!" }, null),
      chunk({}, "stop"),
      "[DONE]",
    ]);
    expect(copilot.calls[0]?.json).toEqual({
      model: "gpt-5.4",
      input: [{ type: "message", role: "user", content: "Hi" }],
      store: false,
      stream: true,
    });
  });

  it("refuses a body without messages with 400 in OpenAI's shape, before calling Copilot", async () => {
    const { response, copilot } = await post("/v1/chat/completions", { model: "gpt-4.1" });
    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.json()).toEqual({
      error: {
        message:
          "Invalid request body: messages: Invalid input: expected array, received undefined",
        type: "invalid_request_error",
        code: "invalid_request_body",
        param: "messages",
      },
    });
    expect(copilot.calls).toEqual([]);
  });

  it("refuses a body that is not JSON with 400", async () => {
    const { response } = await post("/v1/chat/completions", "{");
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({
      error: {
        message:
          "The request body is not valid JSON: Expected property name or '}' in JSON at position 1",
        type: "invalid_request_error",
        code: "invalid_json",
        param: null,
      },
    });
  });

  it("passes Copilot's 429 on with its retry-after, in OpenAI's shape", async () => {
    const { response } = await post("/v1/chat/completions", chatRequest("gpt-4.1", false), {
      "/chat/completions": {
        status: 429,
        headers: { "content-type": "application/json", "retry-after": "30" },
        body: JSON.stringify({ error: { message: "Rate limit exceeded", code: "rate_limited" } }),
      },
    });
    expect(response.status).toBe(429);
    expect(response.headers["retry-after"]).toBe("30");
    expect(response.json()).toEqual({
      error: {
        message: "Rate limit exceeded",
        type: "rate_limit_error",
        code: "rate_limited",
        param: null,
      },
    });
  });

  it("refuses a streamed answer that is not an event stream with 502", async () => {
    const { response } = await post("/v1/chat/completions", chatRequest("gpt-4.1", true), {
      "/chat/completions": CHAT_ANSWER,
    });
    expect(response.status).toBe(502);
    expect(response.json()).toEqual({
      error: {
        message:
          'Copilot answered a streamed chat completion with content type "application/json" instead of an event stream',
        type: "upstream_error",
        code: "upstream_malformed_response",
        param: null,
      },
    });
  });
});

describe("POST /v1/responses", () => {
  it("relays Copilot's answer for a Responses model", async () => {
    const { response, copilot } = await post("/v1/responses", responsesRequest("gpt-5.4", false), {
      "/responses": withQuota(RESPONSES_ANSWER),
    });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(JSON_TYPE);
    expect(response.headers["x-quota-snapshot-premium_interactions"]).toBe(
      QUOTA["x-quota-snapshot-premium_interactions"],
    );
    expect(response.json()).toEqual(JSON.parse(RESPONSES_ANSWER.body as string));
    expect(copilot.calls.map((call) => [call.path, call.json])).toEqual([
      ["/responses", responsesRequest("gpt-5.4", false)],
    ]);
  });

  it("relays Copilot's event stream for a Responses model, event names included", async () => {
    const { response } = await post("/v1/responses", responsesRequest("gpt-5.4", true), {
      "/responses": RESPONSES_STREAM,
    });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(SSE_TYPE);
    expect(response.body).toBe((RESPONSES_STREAM.body as string[]).join(""));
  });

  it("translates to /chat/completions for a chat-only model", async () => {
    const { response, copilot } = await post("/v1/responses", responsesRequest("gpt-4.1", false), {
      "/chat/completions": withQuota(CHAT_ANSWER),
    });
    expect(response.status).toBe(200);
    expect(response.headers["x-quota-snapshot-premium_interactions"]).toBe(
      QUOTA["x-quota-snapshot-premium_interactions"],
    );
    const body = response.json() as { id: string };
    expect(body.id).toMatch(/^resp_[0-9a-f]{32}$/);
    expect(body).toEqual({
      id: body.id,
      object: "response",
      created_at: 1767225600,
      status: "completed",
      error: null,
      incomplete_details: null,
      instructions: null,
      max_output_tokens: null,
      model: "gpt-4.1",
      output: [
        {
          id: `msg_${body.id.slice("resp_".length)}_0`,
          type: "message",
          status: "completed",
          role: "assistant",
          content: [{ type: "output_text", text: "Hello!", annotations: [], logprobs: [] }],
        },
      ],
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
        input_tokens: 5,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 2,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 7,
      },
      user: null,
      metadata: {},
    });
    expect(copilot.calls.map((call) => [call.path, call.json])).toEqual([
      ["/chat/completions", { model: "gpt-4.1", messages: [{ role: "user", content: "Hi" }] }],
    ]);
  });

  it("translates a chat stream into Responses events, in order", async () => {
    const { response, copilot } = await post("/v1/responses", responsesRequest("gpt-4.1", true), {
      "/chat/completions": CHAT_STREAM,
    });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(SSE_TYPE);
    const received = events(response.body) as {
      event: string;
      value: { sequence_number: number };
    }[];
    expect(received.map(({ event }) => event)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(received.map(({ value }) => value.sequence_number)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(received[9]?.value).toMatchObject({
      type: "response.completed",
      response: {
        status: "completed",
        model: "gpt-4.1",
        output: [{ content: [{ type: "output_text", text: "Hello!" }] }],
        usage: { input_tokens: 5, output_tokens: 2, total_tokens: 7 },
      },
    });
    expect(copilot.calls[0]?.json).toEqual({
      model: "gpt-4.1",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("refuses a model that is not a string with 400 in OpenAI's shape", async () => {
    const { response, copilot } = await post("/v1/responses", { model: 42, input: "Hi" });
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({
      error: {
        message: "Invalid request body: model: Invalid input: expected string, received number",
        type: "invalid_request_error",
        code: "invalid_request_body",
        param: "model",
      },
    });
    expect(copilot.calls).toEqual([]);
  });

  it("serves a request without a model with the default model", async () => {
    const { response, copilot } = await post(
      "/v1/responses",
      { input: "Hi" },
      {
        "/chat/completions": CHAT_ANSWER,
      },
    );
    expect(response.status).toBe(200);
    expect(copilot.calls.map((call) => [call.path, call.json])).toEqual([
      ["/chat/completions", { model: "gpt-4.1", messages: [{ role: "user", content: "Hi" }] }],
    ]);
  });
});

describe("POST /v1/messages", () => {
  it("relays Copilot's answer for a Claude model, with anthropic-version upstream", async () => {
    const { response, copilot } = await post(
      "/v1/messages",
      messagesRequest("claude-sonnet-4.5", false),
      {
        "/v1/messages": withQuota(MESSAGES_ANSWER),
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(JSON_TYPE);
    expect(response.headers["x-quota-snapshot-premium_interactions"]).toBe(
      QUOTA["x-quota-snapshot-premium_interactions"],
    );
    expect(response.json()).toEqual(JSON.parse(MESSAGES_ANSWER.body as string));
    expect(copilot.calls[0]).toMatchObject({
      path: "/v1/messages",
      protocolHeaders: { "anthropic-version": "2023-06-01" },
      json: messagesRequest("claude-sonnet-4.5", false),
    });
  });

  it("relays Copilot's event stream for a Claude model", async () => {
    const { response } = await post("/v1/messages", messagesRequest("claude-sonnet-4.5", true), {
      "/v1/messages": MESSAGES_STREAM,
    });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(SSE_TYPE);
    expect(response.body).toBe((MESSAGES_STREAM.body as string[]).join(""));
  });

  it("translates to /chat/completions for a GPT model", async () => {
    const { response, copilot } = await post("/v1/messages", messagesRequest("gpt-4.1", false), {
      "/chat/completions": withQuota(CHAT_ANSWER),
    });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(JSON_TYPE);
    expect(response.headers["x-quota-snapshot-premium_interactions"]).toBe(
      QUOTA["x-quota-snapshot-premium_interactions"],
    );
    expect(response.json()).toEqual({
      id: "msg_chatcmpl-1",
      type: "message",
      role: "assistant",
      model: "gpt-4.1",
      content: [{ type: "text", text: "Hello!" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: {
        input_tokens: 5,
        output_tokens: 2,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
    expect(copilot.calls[0]?.path).toBe("/chat/completions");
  });

  it("translates a chat stream into Anthropic events", async () => {
    const { response } = await post("/v1/messages", messagesRequest("gpt-4.1", true), {
      "/chat/completions": CHAT_STREAM,
    });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(SSE_TYPE);
    const usage = (input: number, output: number) => ({
      input_tokens: input,
      output_tokens: output,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    const event = (value: { readonly type: string; readonly [key: string]: unknown }) => ({
      event: value.type,
      value,
    });
    expect(events(response.body)).toEqual([
      event({
        type: "message_start",
        message: {
          id: "msg_chatcmpl-1",
          type: "message",
          role: "assistant",
          model: "gpt-4.1",
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: usage(0, 0),
        },
      }),
      event({ type: "ping" }),
      event({
        type: "content_block_start",
        index: 0,
        content_block: { type: "text", text: "" },
      }),
      event({
        type: "content_block_delta",
        index: 0,
        delta: { type: "text_delta", text: "Hel" },
      }),
      event({
        type: "content_block_delta",
        index: 0,
        delta: { type: "text_delta", text: "lo!" },
      }),
      event({ type: "content_block_stop", index: 0 }),
      event({
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: usage(5, 2),
      }),
      event({ type: "message_stop" }),
    ]);
  });

  it("refuses a body without a model with 400 in Anthropic's shape", async () => {
    const { response, copilot } = await post("/v1/messages", { max_tokens: 1, messages: [] });
    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.json()).toEqual({
      type: "error",
      error: {
        type: "invalid_request_error",
        message: "Invalid request body: model: Invalid input: expected string, received undefined",
      },
    });
    expect(copilot.calls).toEqual([]);
  });

  it("answers Copilot's 429 in Anthropic's shape with its retry-after", async () => {
    const { response } = await post("/v1/messages", messagesRequest("claude-sonnet-4.5", false), {
      "/v1/messages": {
        status: 429,
        headers: { "content-type": "application/json", "retry-after": "30" },
        body: JSON.stringify({ error: { message: "Rate limit exceeded", code: "rate_limited" } }),
      },
    });
    expect(response.status).toBe(429);
    expect(response.headers["retry-after"]).toBe("30");
    expect(response.json()).toEqual({
      type: "error",
      error: { type: "rate_limit_error", message: "Rate limit exceeded" },
    });
  });
});
