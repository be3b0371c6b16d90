import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeEmbedding } from "../fake-copilot/fake-copilot.js";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { SHARE_TOKEN: `share-e2e-friend:${FAKE_GITHUB_TOKEN}` } });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.reset();
});

function copilotRequests(path: string) {
  return h.fake.requests.filter((r) => r.server === "copilot" && r.path === path);
}

describe("models", () => {
  it("lists the account's models as OpenAI model objects with Copilot's metadata", async () => {
    const page = await h.openai().models.list();
    const ids = page.data.map((model) => model.id);
    expect(ids.length).toBe(39);
    expect(ids.filter((id) => id === "gpt-4")).toEqual(["gpt-4"]);
    const sonnet = page.data.find((model) => model.id === "claude-sonnet-4.6") as unknown as Record<
      string,
      unknown
    >;
    expect(sonnet).toMatchObject({
      id: "claude-sonnet-4.6",
      object: "model",
      created: 0,
      owned_by: "Anthropic",
      name: "Claude Sonnet 4.6",
      vendor: "Anthropic",
      billing: { is_premium: true, multiplier: 1 },
      policy: { state: "enabled" },
      supported_endpoints: ["/chat/completions", "/v1/messages"],
    });
  });

  it("fetches /models once per account within the TTL", async () => {
    await h.openai().models.list();
    await h.openai().models.list();
    expect(copilotRequests("/models").length).toBe(0);
  });

  it("works without the /v1 prefix", async () => {
    const root = new OpenAI({ apiKey: FAKE_GITHUB_TOKEN, baseURL: h.gateway.url, maxRetries: 0 });
    const page = await root.models.list();
    expect(page.data.length).toBe(39);
  });
});

describe("chat completions", () => {
  it("answers a plain request, normalised, with the Copilot headers sent", async () => {
    const completion = await h.openai().chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Hi there" }],
      temperature: 0.2,
      max_tokens: 50,
      seed: 7,
      user: "someone",
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("gpt-4o");
    expect(typeof completion.created).toBe("number");
    expect(completion.choices).toEqual([
      expect.objectContaining({
        index: 0,
        finish_reason: "stop",
        message: { role: "assistant", content: "Hello from gpt-4o! You said: Hi there" },
      }),
    ]);
    expect(completion.usage).toEqual(
      expect.objectContaining({ prompt_tokens: 2, completion_tokens: 7, total_tokens: 9 }),
    );
    const [sent] = copilotRequests("/chat/completions");
    expect(sent?.headers).toMatchObject({
      "copilot-integration-id": "vscode-chat",
      "editor-version": "vscode/1.104.3",
      "editor-plugin-version": "copilot-chat/0.31.5",
      "user-agent": "GitHubCopilotChat/0.31.5",
      "openai-intent": "conversation-panel",
      "x-github-api-version": "2026-08-01",
      "x-initiator": "user",
    });
    expect(sent?.headers["copilot-vision-request"]).toBeUndefined();
    expect(sent?.headers["vscode-machineid"]).toMatch(/^[0-9a-f]{64}$/);
    // Every OpenAI field passes through untouched.
    expect(JSON.parse(sent?.body ?? "{}")).toEqual({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Hi there" }],
      temperature: 0.2,
      max_tokens: 50,
      seed: 7,
      user: "someone",
    });
  });

  it("streams chunk by chunk, normalised, ending with [DONE]", async () => {
    const stream = await h.openai().chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Stream this please" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    // Copilot's leading empty-choices filter chunk is gone; every chunk is complete.
    expect(chunks[0]?.choices.length).toBe(1);
    for (const chunk of chunks) {
      expect(chunk.object).toBe("chat.completion.chunk");
      expect(chunk.model).toBe("gpt-4o");
      expect(chunk.created).toBeGreaterThan(0);
      expect(chunk.id).toBe(chunks[0]?.id);
    }
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("Hello from gpt-4o! You said: Stream this please");
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    expect(chunks.at(-1)?.usage).toEqual(
      expect.objectContaining({ prompt_tokens: 3, completion_tokens: 8, total_tokens: 11 }),
    );
  });

  it("replays a recorded Copilot stream to an SDK client intact", async () => {
    h.fake.replayNext("/chat/completions", "chat/chat-stream.gpt-4o-mini.2025-01-11.sse");
    const stream = h.openai().chat.completions.stream({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "x" }],
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe("generate_code_sample");
    expect(final.model).toBe("gpt-4o-mini-2024-07-18");
  });

  it("calls tools, and answers tool results as an agent turn", async () => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      {
        type: "function",
        function: {
          name: "get_weather",
          parameters: { type: "object", properties: { city: { type: "string" } } },
        },
      },
    ];
    const first = await h.openai().chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Weather in Oslo?" }],
      tools,
      tool_choice: "auto",
      parallel_tool_calls: false,
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe("tool_calls");
    expect(call).toMatchObject({
      type: "function",
      function: { name: "get_weather", arguments: '{"echo":"Weather in Oslo?"}' },
    });
    const second = await h.openai().chat.completions.create({
      model: "gpt-4o",
      messages: [
        { role: "user", content: "Weather in Oslo?" },
        {
          role: "assistant",
          content: null,
          tool_calls: first.choices[0]?.message.tool_calls ?? [],
        },
        { role: "tool", tool_call_id: call?.id ?? "", content: "Sunny, 21°C" },
      ],
      tools,
    });
    expect(second.choices[0]?.message.content).toBe("Tool said: Sunny, 21°C");
    const [, followUp] = copilotRequests("/chat/completions");
    expect(followUp?.headers["x-initiator"]).toBe("agent");
    expect(followUp?.headers["openai-intent"]).toBe("conversation-agent");
    expect(JSON.parse(followUp?.body ?? "{}")).toMatchObject({ tools });
  });

  it("gives Claude's parallel tool calls (both index 0 upstream) distinct indexes", async () => {
    const stream = h.openai().chat.completions.stream({
      model: "claude-sonnet-4.5",
      messages: [{ role: "user", content: "Weather and time in Oslo?" }],
      tools: [
        { type: "function", function: { name: "get_weather", parameters: { type: "object" } } },
        { type: "function", function: { name: "get_time", parameters: { type: "object" } } },
      ],
    });
    const final = await stream.finalChatCompletion();
    const calls = final.choices[0]?.message.tool_calls ?? [];
    expect(
      calls.map((c) => (c.type === "function" ? [c.function.name, c.function.arguments] : [])),
    ).toEqual([
      ["get_weather", '{"echo":"Weather and time in Oslo?"}'],
      ["get_time", '{"echo":"Weather and time in Oslo?"}'],
    ]);
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("sends the vision header when a message holds an image", async () => {
    const completion = await h.openai().chat.completions.create({
      model: "gpt-4o",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
          ],
        },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe(
      "Hello from gpt-4o! You said: What is this? [1 image(s)]",
    );
    expect(copilotRequests("/chat/completions")[0]?.headers["copilot-vision-request"]).toBe("true");
  });

  it("maps a dated Claude id to the listed model and says which was used", async () => {
    const completion = await h.openai().chat.completions.create({
      model: "claude-sonnet-4-5-20250929",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(completion.choices[0]?.message.content).toBe(
      "Hello from claude-sonnet-4.5! You said: hi",
    );
    expect(JSON.parse(copilotRequests("/chat/completions")[0]?.body ?? "{}").model).toBe(
      "claude-sonnet-4.5",
    );
    expect(h.logs.join("")).toContain("claude-sonnet-4-5-20250929→claude-sonnet-4.5");
  });

  it("uses Copilot's default chat model when none is given", async () => {
    const response = await fetch(`${h.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${FAKE_GITHUB_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    });
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe("Hello from gpt-4.1! You said: hi");
  });

  it("returns n choices", async () => {
    const completion = await h.openai().chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
      n: 2,
    });
    expect(completion.choices.map((choice) => choice.index)).toEqual([0, 1]);
  });

  it("passes Copilot's premium-request headers back", async () => {
    const response = await h
      .openai()
      .chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
      .asResponse();
    expect(response.headers.get("x-quota-snapshot-premium_interactions")).toContain("ent=300");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("embeddings", () => {
  it("answers float embeddings for a string", async () => {
    const result = await h.openai().embeddings.create({
      model: "text-embedding-3-small",
      input: "hello world",
      encoding_format: "float",
    });
    expect(result.object).toBe("list");
    expect(result.model).toBe("text-embedding-3-small");
    expect(result.data).toEqual([
      { object: "embedding", index: 0, embedding: fakeEmbedding("hello world", 8) },
    ]);
    expect(JSON.parse(copilotRequests("/embeddings")[0]?.body ?? "{}")).toEqual({
      model: "text-embedding-3-small",
      input: ["hello world"],
    });
  });

  it("answers base64 (the SDK's default) that decodes to the same vectors", async () => {
    const result = await h.openai().embeddings.create({
      model: "text-embedding-3-small",
      input: ["one", "two"],
    });
    expect(result.data.map((item) => item.index)).toEqual([0, 1]);
    expect(result.data[0]?.embedding).toEqual(fakeEmbedding("one", 8).map(Math.fround));
    expect(result.data[1]?.embedding).toEqual(fakeEmbedding("two", 8).map(Math.fround));
  });
});

describe("share tokens and keys", () => {
  it("serves a share token as the GitHub token it stands for", async () => {
    const completion = await h.openai("share-e2e-friend").chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(completion.choices[0]?.message.content).toBe("Hello from gpt-4o! You said: hi");
  });

  it("refuses an unknown share token with 401", async () => {
    const error = await h
      .openai("share-nobody")
      .models.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toEqual({
      message: "Unknown share token",
      type: "authentication_error",
      code: "invalid_api_key",
      param: null,
    });
  });

  it("accepts the key in x-api-key", async () => {
    const response = await fetch(`${h.gateway.url}/v1/models`, {
      headers: { "x-api-key": FAKE_GITHUB_TOKEN },
    });
    expect(response.status).toBe(200);
  });
});

describe("plain routes", () => {
  it("greets on /", async () => {
    const response = await fetch(`${h.gateway.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    expect(await response.text()).toMatch(/^CoGPT \S+ is running/);
  });

  it("reports health on /healthz", async () => {
    const response = await fetch(`${h.gateway.url}/healthz`);
    expect(await response.json()).toEqual({
      status: "ok",
      version: "0.1.0",
      uptime_seconds: expect.any(Number),
      cache: "sqlite",
    });
  });
});
