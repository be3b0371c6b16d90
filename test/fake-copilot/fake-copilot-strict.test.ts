import { request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeCopilot } from "./fake-copilot.js";
import {
  FAKE_CLIENT_HEADERS,
  fakeCopilotHeaders,
  fetchFakeCopilotToken,
  startFakeCopilot,
} from "./fake-copilot.js";

// The refusals Copilot makes and the fake copies (docs/upstream-protocol.md, 2026 changes).

const CLAUDE = "claude-sonnet-4.5";
let fake: FakeCopilot;
let headers: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeCopilot({
    maxPromptTokens: { "gpt-4o": 5, "gpt-5.4": 5, [CLAUDE]: 20 },
  });
  headers = {
    ...fakeCopilotHeaders(await fetchFakeCopilotToken(fake)),
    "content-type": "application/json",
    "anthropic-version": "2023-06-01",
  };
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function post(path: string, body: unknown, extraHeaders: Record<string, string> = {}) {
  const response = await request(`${fake.copilotUrl}${path}`, {
    method: "POST",
    headers: { ...headers, ...extraHeaders },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text };
}

const anthropicError = (message: string) =>
  JSON.stringify({ type: "error", error: { type: "invalid_request_error", message } });

function message(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: CLAUDE,
    max_tokens: 100,
    messages: [{ role: "user", content: "hi" }],
    ...extra,
  };
}

describe("/v1/messages refuses what Copilot refuses", () => {
  it("accepts the anthropic-beta values Copilot takes and refuses the others by name", async () => {
    const accepted = await post("/v1/messages", message(), {
      "anthropic-beta": "interleaved-thinking-2025-05-14, context-management-2025-06-27",
    });
    expect(accepted.status).toBe(200);
    const refused = await post("/v1/messages", message(), {
      "anthropic-beta": "interleaved-thinking-2025-05-14,claude-code-20250219",
    });
    expect(refused).toMatchObject({
      status: 400,
      text: anthropicError(
        "Unexpected value(s) `claude-code-20250219` for the `anthropic-beta` header.",
      ),
    });
  });

  it("refuses cache_control scope and ttl, naming where, but takes a plain ephemeral one", async () => {
    const plain = await post(
      "/v1/messages",
      message({ system: [{ type: "text", text: "s", cache_control: { type: "ephemeral" } }] }),
    );
    expect(plain.status).toBe(200);
    const ttl = await post(
      "/v1/messages",
      message({
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "hi", cache_control: { type: "ephemeral", ttl: "1h" } },
            ],
          },
        ],
      }),
    );
    expect(ttl).toMatchObject({
      status: 400,
      text: anthropicError(
        "messages.0.content.0.cache_control.ttl: Extra inputs are not permitted",
      ),
    });
    const scope = await post(
      "/v1/messages",
      message({
        system: [
          { type: "text", text: "s", cache_control: { type: "ephemeral", scope: "global" } },
        ],
      }),
    );
    expect(scope.text).toBe(
      anthropicError("system.0.cache_control.scope: Extra inputs are not permitted"),
    );
  });

  it("refuses a tool's strict flag and the web search server tool", async () => {
    const tool = { name: "Bash", input_schema: { type: "object" } };
    const strict = await post(
      "/v1/messages",
      message({ tools: [tool, { ...tool, strict: true }] }),
    );
    expect(strict).toMatchObject({
      status: 400,
      text: anthropicError("tools.1.strict: Extra inputs are not permitted"),
    });
    const search = await post(
      "/v1/messages",
      message({ tools: [{ type: "web_search_20250305", name: "web_search", max_uses: 5 }] }),
    );
    expect(search).toMatchObject({
      status: 400,
      text: anthropicError("The use of the web search tool is not supported"),
    });
  });

  it("takes a base64 PDF and refuses a URL one", async () => {
    const pdf = (source: Record<string, unknown>) =>
      message({
        messages: [
          {
            role: "user",
            content: [
              { type: "document", source },
              { type: "text", text: "sum" },
            ],
          },
        ],
      });
    const base64 = await post(
      "/v1/messages",
      pdf({ type: "base64", media_type: "application/pdf", data: "JVBERi0xLjQK" }),
    );
    expect(base64.status).toBe(200);
    const url = await post("/v1/messages", pdf({ type: "url", url: "https://example.com/a.pdf" }));
    expect(url).toMatchObject({
      status: 400,
      text: anthropicError(
        "messages.0.content.0.source: only base64 application/pdf documents are supported",
      ),
    });
  });

  it("signs thinking per model: the same model takes its block back, another model refuses it", async () => {
    const first = await post(
      "/v1/messages",
      message({ thinking: { type: "enabled", budget_tokens: 1024 } }),
    );
    const [thinking] = (JSON.parse(first.text) as { content: Record<string, unknown>[] }).content;
    expect(thinking).toMatchObject({
      type: "thinking",
      signature: expect.stringMatching(/^sig_fake_[0-9a-f]{16}_1$/),
    });
    const history = (model: string) =>
      message({
        model,
        messages: [
          { role: "user", content: "hi" },
          { role: "assistant", content: [thinking, { type: "text", text: "hello" }] },
          { role: "user", content: "again" },
        ],
      });
    expect((await post("/v1/messages", history(CLAUDE))).status).toBe(200);
    const foreign = await post("/v1/messages", history("claude-opus-4.5"));
    expect(foreign).toMatchObject({
      status: 400,
      text: anthropicError("messages.1.content.0: Invalid signature in thinking block"),
    });
    const redacted = await post(
      "/v1/messages",
      message({
        messages: [
          { role: "user", content: "hi" },
          { role: "assistant", content: [{ type: "redacted_thinking", data: "made-up" }] },
          { role: "user", content: "again" },
        ],
      }),
    );
    expect(redacted.text).toBe(
      anthropicError("messages.1.content.0: Invalid signature in thinking block"),
    );
  });
});

describe("POST /v1/messages/count_tokens", () => {
  it("counts the words of system, tools and message texts, as usage.input_tokens does", async () => {
    const body = message({
      system: "Be brief now.",
      tools: [{ name: "get_weather", description: "Weather for a city" }],
      messages: [{ role: "user", content: "How warm is it?" }],
    });
    const count = await post("/v1/messages/count_tokens", body);
    // 3 system words; the tool's JSON read as words: name get_weather description Weather for
    // a city (7); 4 message words.
    expect(count).toMatchObject({ status: 200, text: JSON.stringify({ input_tokens: 3 + 7 + 4 }) });
    const answer = await post("/v1/messages", body);
    expect(JSON.parse(answer.text)).toMatchObject({ usage: { input_tokens: 3 + 7 + 4 } });
  });

  it("refuses a model that does not serve /v1/messages", async () => {
    const count = await post("/v1/messages/count_tokens", message({ model: "gpt-4o" }));
    expect(count.status).toBe(400);
    expect(JSON.parse(count.text)).toMatchObject({ error: { code: "unsupported_api_for_model" } });
  });
});

describe("context overflow", () => {
  const overflow = (count: number, limit: number) =>
    `${JSON.stringify({
      error: {
        message: `prompt token count of ${count} exceeds the limit of ${limit}`,
        code: "model_max_prompt_tokens_exceeded",
      },
    })}\n`;

  it("refuses a prompt over the model's limit on every route, with Copilot's wording", async () => {
    const six = "one two three four five six";
    const chat = await post("/chat/completions", {
      model: "gpt-4o",
      messages: [{ role: "user", content: six }],
    });
    expect(chat).toMatchObject({ status: 400, text: overflow(6, 5) });
    const responses = await post("/responses", { model: "gpt-5.4", input: six });
    expect(responses).toMatchObject({ status: 400, text: overflow(6, 5) });
    const messages = await post(
      "/v1/messages",
      message({ messages: [{ role: "user", content: `${six} ${six} ${six} ${six}` }] }),
    );
    expect(messages).toMatchObject({ status: 400, text: overflow(24, 20) });
    const atLimit = await post("/chat/completions", {
      model: "gpt-4o",
      messages: [{ role: "user", content: "one two three four five" }],
    });
    expect(atLimit.status).toBe(200);
  });
});

describe("request ids and versions", () => {
  it("puts x-github-request-id and x-copilot-service-request-id on every answer, errors too", async () => {
    const ok = await post("/chat/completions", {
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
    const refused = await post("/chat/completions", { model: "no-such-model", messages: [] });
    for (const response of [ok, refused]) {
      expect(response.headers["x-github-request-id"]).toMatch(/^FAKE:[0-9A-F]{6}:/);
      expect(response.headers["x-copilot-service-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("answers 466 with the recorded body to an outdated Editor-Plugin-Version", async () => {
    const outdated = await post(
      "/chat/completions",
      { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] },
      { "editor-plugin-version": "copilot-chat/0.9.0" },
    );
    expect(outdated).toMatchObject({
      status: 466,
      text:
        "bad request: the specified API version is no longer supported. " +
        "You may need to update your client to a newer version.\n",
    });
    expect(FAKE_CLIENT_HEADERS["editor-plugin-version"]).toBe("copilot-chat/0.31.5");
  });
});

describe("/responses stream quirks", () => {
  async function events(body: unknown): Promise<Record<string, unknown>[]> {
    const response = await post("/responses", { ...(body as object), stream: true });
    expect(response.status).toBe(200);
    return response.text
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
  }

  it("rotates item ids between added, deltas and done by default", async () => {
    const stream = await events({ model: "gpt-5.4", input: "hi there" });
    const ids = stream.flatMap((event) => {
      const item = event["item"] as { id?: string } | undefined;
      const id = event["item_id"] ?? item?.id;
      return typeof id === "string" ? [id] : [];
    });
    expect(ids.length).toBeGreaterThan(3);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("streams a tool call whose arguments degenerate into whitespace, ending incomplete", async () => {
    fake.scriptNext("/responses", {
      degenerateToolCall: { name: "exec_command", whitespaceCharacters: 3000 },
    });
    const stream = await events({
      model: "gpt-5.4",
      input: "run it",
      tools: [{ type: "function", name: "exec_command", parameters: {} }],
    });
    const deltas = stream
      .filter((event) => event["type"] === "response.function_call_arguments.delta")
      .map((event) => event["delta"] as string);
    expect(deltas[0]).toBe('{"');
    expect(deltas.slice(1).every((delta) => delta.trim() === "")).toBe(true);
    expect(deltas.join("").length).toBe(2 + 3000);
    expect(stream.at(-1)).toMatchObject({
      type: "response.incomplete",
      response: { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } },
    });
  });

  it("keeps one id per item when started with responsesItemIds: stable", async () => {
    const stable = await startFakeCopilot({ responsesItemIds: "stable" });
    try {
      const token = await fetchFakeCopilotToken(stable);
      const response = await request(`${stable.copilotUrl}/responses`, {
        method: "POST",
        headers: { ...fakeCopilotHeaders(token), "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-5.4", input: "hi", stream: true }),
      });
      const text = await response.body.text();
      const itemIds = new Set([...text.matchAll(/"item_id":"([^"]+)"/g)].map((match) => match[1]));
      expect([...itemIds]).toEqual(["OpaqueFakeId+1/item0=="]);
    } finally {
      await stable.close();
    }
  });
});
