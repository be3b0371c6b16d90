import { request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeCopilot } from "./fake-copilot.js";
import { fakeCopilotHeaders, fetchFakeCopilotToken, startFakeCopilot } from "./fake-copilot.js";

let fake: FakeCopilot;
let headers: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeCopilot();
  headers = {
    ...fakeCopilotHeaders(await fetchFakeCopilotToken(fake)),
    "content-type": "application/json",
    "anthropic-version": "2023-06-01",
  };
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await request(`${fake.copilotUrl}${path}`, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  expect(response.statusCode, text).toBe(200);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The `data:` payloads of an SSE body, without `[DONE]`. */
async function postStream(path: string, body: unknown): Promise<Record<string, unknown>[]> {
  const response = await request(`${fake.copilotUrl}${path}`, {
    method: "POST",
    headers,
    body: JSON.stringify({ ...(body as object), stream: true }),
  });
  const text = await response.body.text();
  expect(response.statusCode, text).toBe(200);
  return text
    .split("\n")
    .filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
}

const CHAT_TOOLS = [{ type: "function", function: { name: "Bash", parameters: {} } }];
const NAMED_TOOLS = [{ name: "Bash", input_schema: { type: "object" } }];

describe("scriptNext", () => {
  it("answers chat/completions with the scripted text, then plans as before", async () => {
    fake.scriptNext("/chat/completions", { text: "scripted words" });
    const first = await post("/chat/completions", {
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
    const second = await post("/chat/completions", {
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(first["choices"]).toMatchObject([
      { message: { role: "assistant", content: "scripted words" }, finish_reason: "stop" },
    ]);
    expect(second["choices"]).toMatchObject([
      { message: { content: "Hello from gpt-4o! You said: hi" } },
    ]);
  });

  it("streams a scripted chat tool call with the given name and arguments", async () => {
    fake.scriptNext("/chat/completions", {
      toolCalls: [{ name: "Bash", arguments: { command: "ls" } }],
    });
    const chunks = await postStream("/chat/completions", {
      model: "gpt-4o",
      messages: [{ role: "user", content: "list" }],
      tools: CHAT_TOOLS,
    });
    const calls = chunks.flatMap((chunk) => {
      const choices = chunk["choices"] as { delta?: { tool_calls?: unknown[] } }[];
      return choices.flatMap((choice) => choice.delta?.tool_calls ?? []);
    }) as { function: { name?: string; arguments?: string } }[];
    expect(calls.map((call) => call.function.name).filter(Boolean)).toEqual(["Bash"]);
    expect(calls.map((call) => call.function.arguments ?? "").join("")).toBe('{"command":"ls"}');
  });

  it("keeps an answer for the request that matches its model and tool", async () => {
    fake.scriptNext(
      "/v1/messages",
      { text: "for the main turn" },
      { model: "claude-sonnet-4.5", tool: "Bash" },
    );
    const side = await post("/v1/messages", {
      model: "claude-haiku-4.5",
      max_tokens: 50,
      messages: [{ role: "user", content: "title?" }],
    });
    const main = await post("/v1/messages", {
      model: "claude-sonnet-4.5",
      max_tokens: 50,
      tools: NAMED_TOOLS,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(side["content"]).toEqual([
      { type: "text", text: "Hello from claude-haiku-4.5! You said: title?" },
    ]);
    expect(main["content"]).toEqual([{ type: "text", text: "for the main turn" }]);
    expect(main["stop_reason"]).toBe("end_turn");
  });

  it("answers /v1/messages with a scripted tool_use block", async () => {
    fake.scriptNext("/v1/messages", {
      toolCalls: [{ name: "Bash", arguments: '{"command":"touch x"}' }],
    });
    const message = await post("/v1/messages", {
      model: "claude-sonnet-4.5",
      max_tokens: 50,
      tools: NAMED_TOOLS,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(message["content"]).toMatchObject([
      { type: "tool_use", name: "Bash", input: { command: "touch x" } },
    ]);
    expect(message["stop_reason"]).toBe("tool_use");
  });

  it("streams a scripted /responses function call, matching a tool nested in a namespace", async () => {
    fake.scriptNext(
      "/responses",
      { toolCalls: [{ name: "lookup", arguments: { q: "x" } }] },
      { tool: "lookup" },
    );
    const events = await postStream("/responses", {
      model: "gpt-5.4",
      input: "hi",
      tools: [
        { type: "namespace", name: "mcp__kb", tools: [{ type: "function", name: "lookup" }] },
      ],
    });
    const done = events.find((event) => event["type"] === "response.output_item.done");
    expect(done?.["item"]).toMatchObject({
      type: "function_call",
      name: "lookup",
      arguments: '{"q":"x"}',
    });
  });

  it("answers /responses with scripted text, not streamed", async () => {
    fake.scriptNext("/responses", { text: "plain scripted" });
    const response = await post("/responses", { model: "gpt-5.4", input: "hi" });
    expect(response["output"]).toMatchObject([
      { type: "message", content: [{ type: "output_text", text: "plain scripted" }] },
    ]);
  });
});
