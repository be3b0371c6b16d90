import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.reset();
});

function client(apiKey = FAKE_GITHUB_TOKEN): Anthropic {
  return new Anthropic({ apiKey, baseURL: h.gateway.url, maxRetries: 0 });
}

function sent(path: string) {
  return h.fake.requests.filter((r) => r.server === "copilot" && r.path === path);
}

const weatherTool: Anthropic.Tool = {
  name: "get_weather",
  description: "Weather in a city",
  input_schema: { type: "object", properties: { city: { type: "string" } } },
};

describe.each([
  ["native (Claude on /v1/messages)", "claude-sonnet-4.5", "/v1/messages"],
  ["translated (GPT on /chat/completions)", "gpt-4o", "/chat/completions"],
])("%s", (_name, model, upstreamPath) => {
  it("answers a plain message", async () => {
    const message = await client().messages.create({
      model,
      max_tokens: 100,
      messages: [{ role: "user", content: "Hi there" }],
    });
    expect(message.type).toBe("message");
    expect(message.role).toBe("assistant");
    expect(message.content).toEqual([
      expect.objectContaining({ type: "text", text: `Hello from ${model}! You said: Hi there` }),
    ]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    const [upstream] = sent(upstreamPath);
    expect(upstream?.headers["x-initiator"]).toBe("user");
  });

  it("streams the exact Anthropic event sequence", async () => {
    const stream = client().messages.stream({
      model,
      max_tokens: 100,
      messages: [{ role: "user", content: "Stream it" }],
    });
    const types: string[] = [];
    stream.on("streamEvent", (event) => types.push(event.type));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([
      expect.objectContaining({ type: "text", text: `Hello from ${model}! You said: Stream it` }),
    ]);
    expect(types[0]).toBe("message_start");
    expect(types.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(types).toContain("content_block_start");
    expect(types).toContain("content_block_delta");
    expect(types).toContain("content_block_stop");
    expect(final.stop_reason).toBe("end_turn");
  });

  it("sends event: lines in Anthropic's order, ping included", async () => {
    const response = await fetch(`${h.gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": FAKE_GITHUB_TOKEN, "content-type": "application/json" },
      body: JSON.stringify({
        model,
        max_tokens: 50,
        stream: true,
        messages: [{ role: "user", content: "a b" }],
      }),
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const names = [...(await response.text()).matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    const squeezed = names.filter((name, i) => name !== names[i - 1]);
    expect(squeezed).toEqual([
      "message_start",
      ...(squeezed[1] === "ping" ? ["ping", "content_block_start"] : ["content_block_start"]),
      "content_block_delta",
      "content_block_stop",
      ...(squeezed[1] === "ping" ? [] : ["ping"]),
      "message_delta",
      "message_stop",
    ]);
  });

  it("calls a tool and takes its result as an agent turn", async () => {
    const first = await client().messages.create({
      model,
      max_tokens: 100,
      tools: [weatherTool],
      messages: [{ role: "user", content: "Weather in Oslo?" }],
    });
    expect(first.stop_reason).toBe("tool_use");
    const toolUse = first.content.find((block) => block.type === "tool_use");
    expect(toolUse).toMatchObject({ name: "get_weather", input: { echo: "Weather in Oslo?" } });
    const second = await client().messages.create({
      model,
      max_tokens: 100,
      tools: [weatherTool],
      messages: [
        { role: "user", content: "Weather in Oslo?" },
        { role: "assistant", content: first.content },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: toolUse?.type === "tool_use" ? toolUse.id : "",
              content: "Sunny",
            },
          ],
        },
      ],
    });
    expect(second.content).toEqual([
      expect.objectContaining({ type: "text", text: "Tool said: Sunny" }),
    ]);
    expect(sent(upstreamPath).map((r) => r.headers["x-initiator"])).toEqual(["user", "agent"]);
  });

  it("streams a tool call as input_json_delta pieces", async () => {
    const stream = client().messages.stream({
      model,
      max_tokens: 100,
      tools: [weatherTool],
      tool_choice: { type: "tool", name: "get_weather" },
      messages: [{ role: "user", content: "Oslo" }],
    });
    const deltas: string[] = [];
    stream.on("streamEvent", (event) => {
      if (event.type === "content_block_delta") deltas.push(event.delta.type);
    });
    const final = await stream.finalMessage();
    expect(final.content.find((block) => block.type === "tool_use")).toMatchObject({
      name: "get_weather",
      input: { echo: "Oslo" },
    });
    expect(deltas).toContain("input_json_delta");
    expect(final.stop_reason).toBe("tool_use");
  });

  it("sends images with the vision header", async () => {
    const message = await client().messages.create({
      model,
      max_tokens: 100,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            {
              type: "image",
              source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" },
            },
          ],
        },
      ],
    });
    expect(message.content[0]).toMatchObject({
      text: `Hello from ${model}! You said: What is this? [1 image(s)]`,
    });
    expect(sent(upstreamPath)[0]?.headers["copilot-vision-request"]).toBe("true");
  });

  it("counts tokens", async () => {
    const count = await client().messages.countTokens({
      model,
      system: "You are terse.",
      tools: [weatherTool],
      messages: [{ role: "user", content: "How many tokens is this sentence?" }],
    });
    expect(count.input_tokens).toBeGreaterThan(10);
    expect(count.input_tokens).toBeLessThan(500);
  });
});

describe("native path", () => {
  it("forwards anthropic-version and the client's anthropic-beta, and keeps thinking blocks", async () => {
    const message = await client().messages.create(
      {
        model: "claude-sonnet-4.5",
        max_tokens: 2000,
        thinking: { type: "enabled", budget_tokens: 1024 },
        messages: [{ role: "user", content: "Think first" }],
      },
      { headers: { "anthropic-beta": "interleaved-thinking-2025-05-14" } },
    );
    expect(message.content[0]).toEqual({
      type: "thinking",
      thinking: "Let me think about that.",
      signature: expect.stringMatching(/^sig_fake_/),
    });
    const [upstream] = sent("/v1/messages");
    expect(upstream?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(upstream?.headers["anthropic-beta"]).toBe("interleaved-thinking-2025-05-14");
  });

  it("takes a Claude-Code-shaped request: dated model id, system blocks with cache_control and the billing header, many tools", async () => {
    const tools = Array.from({ length: 25 }, (_, i) => ({
      name: `tool_${i}`,
      description: `Tool number ${i}`,
      input_schema: { type: "object" as const, properties: { path: { type: "string" } } },
    }));
    const stream = client("placeholder-key-ignored").messages.stream({
      model: "claude-sonnet-4-5-20250929",
      max_tokens: 32000,
      system: [
        { type: "text", text: "x-anthropic-billing-header: cc_version=2.1.0; cc_entrypoint=cli" },
        {
          type: "text",
          text: "You are Claude Code, Anthropic's official CLI for Claude.",
          cache_control: { type: "ephemeral" },
        },
      ],
      tools,
      tool_choice: { type: "none" },
      metadata: { user_id: "user_abc_account_123_session_456" },
      messages: [
        {
          role: "user",
          content: [{ type: "text", text: "hello", cache_control: { type: "ephemeral" } }],
        },
      ],
    });
    // A placeholder key is refused (no server-held account here): use the real token instead.
    await expect(stream.finalMessage()).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    const real = await client()
      .messages.stream({
        model: "claude-sonnet-4-5-20250929",
        max_tokens: 32000,
        system: [
          { type: "text", text: "x-anthropic-billing-header: cc_version=2.1.0; cc_entrypoint=cli" },
          {
            type: "text",
            text: "You are Claude Code, Anthropic's official CLI for Claude.",
            cache_control: { type: "ephemeral" },
          },
        ],
        tools,
        tool_choice: { type: "none" },
        messages: [
          {
            role: "user",
            content: [{ type: "text", text: "hello", cache_control: { type: "ephemeral" } }],
          },
        ],
      })
      .finalMessage();
    expect(real.content[0]).toMatchObject({
      text: "Hello from claude-sonnet-4.5! You said: hello",
    });
    const body = JSON.parse(sent("/v1/messages")[0]?.body ?? "{}") as {
      model: string;
      system: { text: string; cache_control?: unknown }[];
      tools: unknown[];
    };
    expect(body.model).toBe("claude-sonnet-4.5");
    expect(body.system).toEqual([
      {
        type: "text",
        text: "You are Claude Code, Anthropic's official CLI for Claude.",
        cache_control: { type: "ephemeral" },
      },
    ]);
    expect(body.tools.length).toBe(25);
  });

  it("uses Copilot's own count when it answers one", async () => {
    h.fake.injectFault({
      path: "/v1/messages/count_tokens",
      status: 200,
      body: '{"input_tokens":4242}',
    });
    const count = await client().messages.countTokens({
      model: "claude-sonnet-4.5",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(count.input_tokens).toBe(4242);
  });
});

describe("translated path", () => {
  it("maps thinking to reasoning effort and tool_choice any to required", async () => {
    // top_k is in Anthropic's API but not in this SDK's types: send it all the same.
    const params: Anthropic.MessageCreateParamsNonStreaming & { top_k: number } = {
      model: "gpt-5-mini",
      max_tokens: 5000,
      thinking: { type: "enabled", budget_tokens: 8000 },
      tools: [weatherTool],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
      stop_sequences: ["END"],
      top_k: 5,
      messages: [{ role: "user", content: "hi" }],
    };
    await client().messages.create(params);
    const body = JSON.parse(sent("/chat/completions")[0]?.body ?? "{}") as Record<string, unknown>;
    expect(body).toMatchObject({
      model: "gpt-5-mini",
      reasoning_effort: "medium",
      tool_choice: "required",
      parallel_tool_calls: false,
      stop: ["END"],
      max_completion_tokens: 5000,
    });
    expect(body.top_k).toBeUndefined();
    expect(h.logs.join("")).toContain("top_k");
  });
});

describe("errors in Anthropic's shape", () => {
  async function raw(path: string, body: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${h.gateway.url}${path}`, {
      method: "POST",
      headers: { "x-api-key": FAKE_GITHUB_TOKEN, "content-type": "application/json", ...headers },
      body,
    });
    return { status: response.status, body: await response.json() };
  }

  it("401 without a key", async () => {
    const response = await fetch(`${h.gateway.url}/v1/messages`, { method: "POST", body: "{}" });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      type: "error",
      error: { type: "authentication_error", message: expect.stringContaining("Missing API key") },
    });
  });

  it("400 for an invalid body, naming the field", async () => {
    const noMaxTokens = { model: "gpt-4o", messages: [{ role: "user", content: "x" }] };
    expect(await raw("/v1/messages", JSON.stringify(noMaxTokens))).toEqual({
      status: 400,
      body: {
        type: "error",
        error: { type: "invalid_request_error", message: expect.stringContaining("max_tokens") },
      },
    });
    expect(await raw("/v1/messages", "{not json")).toMatchObject({
      status: 400,
      body: { type: "error", error: { type: "invalid_request_error" } },
    });
  });

  it("404 for an unknown route under /v1/messages", async () => {
    expect(await raw("/v1/messages/batches", "{}")).toMatchObject({
      status: 404,
      body: { type: "error", error: { type: "not_found_error" } },
    });
  });

  it("429 as rate_limit_error, 5xx as api_error", async () => {
    h.fake.injectFault({
      path: "/v1/messages",
      status: 429,
      body: "rate limit exceeded\n",
      headers: { "retry-after": "3" },
    });
    const limited = await client()
      .messages.create({
        model: "claude-sonnet-4.5",
        max_tokens: 10,
        messages: [{ role: "user", content: "x" }],
      })
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect((limited as InstanceType<typeof Anthropic.APIError>).error).toEqual({
      type: "error",
      error: { type: "rate_limit_error", message: "rate limit exceeded" },
    });
    h.fake.injectFault({ path: "/chat/completions", status: 500, body: "boom", times: 3 });
    const failed = await client()
      .messages.create({
        model: "gpt-4o",
        max_tokens: 10,
        messages: [{ role: "user", content: "x" }],
      })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Anthropic.InternalServerError);
    expect((failed as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: "error",
      error: { type: "api_error" },
    });
  });

  it.each([
    ["native", "claude-sonnet-4.5", "/v1/messages"],
    ["translated", "gpt-4o", "/chat/completions"],
  ])(
    "a %s stream that breaks off ends with an error event the SDK raises",
    async (_kind, model, path) => {
      h.fake.injectFault({ path, dropAfterChunks: 3 });
      const stream = client().messages.stream({
        model,
        max_tokens: 100,
        messages: [{ role: "user", content: "a long answer please" }],
      });
      const error = await stream.finalMessage().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(String((error as Error).message)).toMatch(/broke off|closed the stream/);
    },
  );
});
