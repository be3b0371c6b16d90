import OpenAI from "openai";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat";
import { fakeEmbedding } from "../test/fake-copilot/fake-copilot.js";

/** The mix, sent round-robin; "tools" is a streamed tool call plus its non-streamed follow-up. */
export const REQUEST_KINDS = [
  "chat",
  "stream-claude",
  "stream-gpt",
  "tools",
  "embeddings-float",
  "embeddings-base64",
] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** An answer that arrived but is not what the fake deterministically answers. */
export class WrongAnswerError extends Error {
  override readonly name = "WrongAnswerError";
}

/** What the client's fetch saw of the last response; the SDK alone cannot tell these apart. */
export interface ResponseObservation {
  /** The gateway's x-request-id of each response, in order. */
  readonly requestIds: string[];
  /** Whether the last event stream ended with `data: [DONE]`. */
  streamEndedWithDone: boolean;
}

export interface TrafficContext {
  readonly openai: OpenAI;
  readonly observation: ResponseObservation;
  readonly signal: AbortSignal;
  /** The user's words, unique per request, which the fake echoes. */
  readonly text: string;
}

/** An OpenAI client (no retries of its own) whose responses are watched for request ids and [DONE]. */
export function createObservedClient(
  baseURL: string,
  apiKey: string,
): { openai: OpenAI; observation: ResponseObservation } {
  const observation: ResponseObservation = { requestIds: [], streamEndedWithDone: false };
  const observedFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const response = await fetch(input, init);
    observation.requestIds.push(response.headers.get("x-request-id") ?? "");
    const type = response.headers.get("content-type") ?? "";
    if (!type.startsWith("text/event-stream") || response.body === null) return response;
    observation.streamEndedWithDone = false;
    const decoder = new TextDecoder();
    let tail = "";
    const watch = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        tail = (tail + decoder.decode(chunk, { stream: true })).slice(-64);
        controller.enqueue(chunk);
      },
      flush() {
        observation.streamEndedWithDone = tail.endsWith("data: [DONE]\n\n");
      },
    });
    const { status, statusText, headers } = response;
    return new Response(response.body.pipeThrough(watch), { status, statusText, headers });
  };
  return {
    openai: new OpenAI({ baseURL, apiKey, maxRetries: 0, fetch: observedFetch }),
    observation,
  };
}

export async function sendRequest(kind: RequestKind, context: TrafficContext): Promise<void> {
  context.observation.requestIds.length = 0;
  switch (kind) {
    case "chat":
      return sendChat(context);
    case "stream-claude":
      return sendStream("claude-sonnet-4.5", context);
    case "stream-gpt":
      return sendStream("gpt-4o", context);
    case "tools":
      return sendTools(context);
    case "embeddings-float":
      return sendEmbeddings(context, "float");
    case "embeddings-base64":
      return sendEmbeddings(context, "base64");
    default: {
      const unhandled: never = kind;
      throw new Error(`unknown request kind ${String(unhandled)}`);
    }
  }
}

async function sendChat({ openai, signal, text }: TrafficContext): Promise<void> {
  const completion = await openai.chat.completions.create(
    { model: "gpt-4o", messages: [{ role: "user", content: text }] },
    { signal },
  );
  const choice = completion.choices[0];
  expectEqual("content", choice?.message.content, `Hello from gpt-4o! You said: ${text}`);
  expectEqual("finish_reason", choice?.finish_reason, "stop");
}

async function sendStream(model: string, context: TrafficContext): Promise<void> {
  const { openai, signal, text } = context;
  const stream = await openai.chat.completions.create(
    { model, messages: [{ role: "user", content: text }], stream: true },
    { signal },
  );
  const ids = new Set<string>();
  let content = "";
  let finish: string | null | undefined;
  let usage: OpenAI.CompletionUsage | undefined;
  for await (const chunk of stream) {
    ids.add(chunk.id);
    content += chunk.choices[0]?.delta.content ?? "";
    finish ??= chunk.choices[0]?.finish_reason;
    usage ??= chunk.usage ?? undefined;
  }
  expectDone(context);
  const expected = `Hello from ${model}! You said: ${text}`;
  expectEqual("streamed content", content, expected);
  expectEqual("finish_reason", finish, "stop");
  expectEqual("distinct chunk ids", ids.size, 1);
  expectEqual("usage.completion_tokens", usage?.completion_tokens, countWords(expected));
  expectEqual("usage.prompt_tokens", usage?.prompt_tokens, countWords(text));
  expectEqual("usage.total_tokens", usage?.total_tokens, countWords(expected) + countWords(text));
}

const TOOLS: ChatCompletionTool[] = ["get_weather", "get_time"].map((name) => ({
  type: "function",
  function: { name, parameters: { type: "object", properties: { city: { type: "string" } } } },
}));

/** Claude calls both tools in parallel (Copilot sends both at index 0; the gateway re-indexes). */
async function sendTools(context: TrafficContext): Promise<void> {
  const { openai, signal, text } = context;
  const user: ChatCompletionMessageParam = { role: "user", content: text };
  const stream = await openai.chat.completions.create(
    { model: "claude-sonnet-4.5", messages: [user], tools: TOOLS, stream: true },
    { signal },
  );
  const calls: { id: string; name: string; arguments: string }[] = [];
  let finish: string | null | undefined;
  for await (const chunk of stream) {
    finish ??= chunk.choices[0]?.finish_reason;
    for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
      const call = (calls[delta.index] ??= { id: "", name: "", arguments: "" });
      call.id += delta.id ?? "";
      call.name += delta.function?.name ?? "";
      call.arguments += delta.function?.arguments ?? "";
    }
  }
  expectDone(context);
  expectEqual("finish_reason", finish, "tool_calls");
  const echo = JSON.stringify({ echo: text });
  expectEqual(
    "tool calls",
    JSON.stringify(calls.map((call) => [call.name, call.arguments])),
    JSON.stringify([
      ["get_weather", echo],
      ["get_time", echo],
    ]),
  );
  if (calls.some((call) => !call.id.startsWith("call_")) || calls[0]?.id === calls[1]?.id) {
    throw new WrongAnswerError(`tool call ids: ${calls.map((call) => call.id).join(", ")}`);
  }
  const results: ChatCompletionMessageParam[] = calls.map((call) => ({
    role: "tool",
    tool_call_id: call.id,
    content: `${call.name} result for ${text}`,
  }));
  const assistant: ChatCompletionMessageParam = {
    role: "assistant",
    tool_calls: calls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.name, arguments: call.arguments },
    })),
  };
  const followUp = await openai.chat.completions.create(
    { model: "gpt-4o", messages: [user, assistant, ...results], tools: TOOLS },
    { signal },
  );
  expectEqual(
    "follow-up content",
    followUp.choices[0]?.message.content,
    `Tool said: get_time result for ${text}`,
  );
}

async function sendEmbeddings(
  { openai, signal, text }: TrafficContext,
  encoding: "float" | "base64",
): Promise<void> {
  const input = [text, `${text} again`];
  // Without encoding_format the SDK asks for base64 and decodes it into 32-bit floats.
  const answer = await openai.embeddings.create(
    {
      model: "text-embedding-3-small",
      input,
      ...(encoding === "float" ? { encoding_format: "float" as const } : {}),
    },
    { signal },
  );
  const round = encoding === "float" ? (value: number) => value : Math.fround;
  expectEqual(
    "embeddings",
    JSON.stringify(answer.data.map((item) => [item.index, item.embedding])),
    JSON.stringify(input.map((item, index) => [index, fakeEmbedding(item, 8).map(round)])),
  );
}

function expectDone(context: TrafficContext): void {
  if (!context.observation.streamEndedWithDone) {
    throw new WrongAnswerError("the stream ended without data: [DONE] and without an error event");
  }
}

function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) {
    throw new WrongAnswerError(
      `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
    );
  }
}

function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}
