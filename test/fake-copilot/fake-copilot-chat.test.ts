import { readFileSync } from "node:fs";
import { join } from "node:path";
import { request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeCopilot } from "./fake-copilot.js";
import { fakeCopilotHeaders, fetchFakeCopilotToken, startFakeCopilot } from "./fake-copilot.js";
import { locateFixturesDir } from "./fixtures.js";

const fixture = (path: string): string => readFileSync(join(locateFixturesDir(), path), "utf8");
const CREATED = 1767225600;
const SAFE = { filtered: false, severity: "safe" };
const FILTERS = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };
const QUOTA = "ent=300&ov=0.0&ovPerm=false&rem=88.5&rst=2026-02-01T00%3A00%3A00Z";
// Default prices, nano-AIU per 1M tokens: input, cache read, cache write, output.
const GPT_4O_PRICES = [30e9, 3e9, 37.5e9, 150e9] as const;
const SONNET_PRICES = [300e9, 30e9, 375e9, 1500e9] as const;

/** copilot_usage without cache tokens, in the recordings' key order. */
function copilotUsage(
  prices: readonly number[],
  input: number,
  output: number,
  totalNanoAiu: number,
): Record<string, unknown> {
  const types = ["input", "cache_read", "cache_write", "output"];
  const counts = [input, 0, 0, output];
  return {
    token_details: types.map((tokenType, index) => ({
      batch_size: 1_000_000,
      cost_per_batch: prices[index],
      token_count: counts[index],
      token_type: tokenType,
    })),
    total_nano_aiu: totalNanoAiu,
  };
}
const TOOLS = [
  { type: "function", function: { name: "get_weather", parameters: { type: "object" } } },
  { type: "function", function: { name: "get_time", parameters: { type: "object" } } },
];
let fake: FakeCopilot;
let headers: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeCopilot({ now: () => CREATED * 1000 });
  headers = {
    ...fakeCopilotHeaders(await fetchFakeCopilotToken(fake)),
    "content-type": "application/json",
  };
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function post(path: string, body: unknown, extraHeaders: Record<string, string> = {}) {
  const response = await request(`${fake.copilotUrl}${path}`, {
    method: "POST",
    headers: { ...headers, ...extraHeaders },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text };
}

const transcript = (payloads: unknown[]): string =>
  [...payloads.map((payload) => `data: ${JSON.stringify(payload)}\n\n`), "data: [DONE]\n\n"].join(
    "",
  );

describe("POST /chat/completions, OpenAI-vendor models", () => {
  it("answers a plain request in the recorded non-streamed shape", async () => {
    const response = await post("/chat/completions", {
      model: "gpt-4o",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "hi there" },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.headers["x-quota-snapshot-premium_interactions"]).toBe(QUOTA);
    expect(JSON.parse(response.text)).toEqual({
      choices: [
        {
          finish_reason: "stop",
          index: 0,
          content_filter_results: FILTERS,
          message: {
            content: "Hello from gpt-4o! You said: hi there",
            padding: "abcdefghijklmnopqrstuvwxyz",
            role: "assistant",
          },
        },
      ],
      id: "chatcmpl-fake1",
      // 4 × 30000 + 7 × 150000
      copilot_usage: copilotUsage(GPT_4O_PRICES, 4, 7, 1_170_000),
      usage: {
        completion_tokens: 7,
        completion_tokens_details: { accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
        prompt_tokens: 4,
        prompt_tokens_details: { cached_tokens: 0 },
        total_tokens: 11,
      },
      model: "gpt-4o",
      prompt_filter_results: [{ content_filter_results: FILTERS, prompt_index: 0 }],
      system_fingerprint: "fp_fake",
    });
  });

  it("streams a short answer chunk by chunk with Copilot's quirks", async () => {
    const response = await post("/chat/completions", {
      model: "gpt-4o",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    const offsets = { check_offset: 0, start_offset: 0, end_offset: 31 };
    const chunk = (choice: object, withCreated: boolean, usage?: object) => ({
      choices: [
        { index: 0, content_filter_offsets: offsets, content_filter_results: FILTERS, ...choice },
      ],
      ...(withCreated ? { created: CREATED } : {}),
      id: "chatcmpl-fake1",
      ...(usage === undefined ? {} : { usage }),
      model: "gpt-4o",
      system_fingerprint: "fp_fake",
    });
    expect(response.headers["content-type"]).toBe("text/event-stream");
    expect(response.text).toBe(
      transcript([
        {
          choices: [],
          created: 0,
          id: "",
          prompt_filter_results: [{ content_filter_results: FILTERS, prompt_index: 0 }],
        },
        chunk({ delta: { content: "", role: "assistant" } }, true),
        chunk({ delta: { content: "Hello" } }, false),
        chunk({ delta: { content: " from" } }, true),
        chunk({ delta: { content: " gpt-4o!" } }, false),
        chunk({ delta: { content: " You" } }, true),
        chunk({ delta: { content: " said:" } }, false),
        chunk({ delta: { content: " hi" } }, true),
        {
          choices: [
            {
              finish_reason: "stop",
              index: 0,
              content_filter_offsets: offsets,
              content_filter_results: FILTERS,
              delta: { content: null },
            },
          ],
          id: "chatcmpl-fake1",
          copilot_usage: copilotUsage(GPT_4O_PRICES, 1, 6, 930_000),
          usage: {
            completion_tokens: 6,
            completion_tokens_details: {
              accepted_prediction_tokens: 0,
              rejected_prediction_tokens: 0,
            },
            prompt_tokens: 1,
            prompt_tokens_details: { cached_tokens: 0 },
            total_tokens: 7,
          },
          model: "gpt-4o",
          system_fingerprint: "fp_fake",
        },
      ]),
    );
  });

  it("calls the named tool, then echoes the tool result", async () => {
    const call = await post("/chat/completions", {
      model: "gpt-4o",
      messages: [{ role: "user", content: "weather in Paris" }],
      tools: TOOLS,
      tool_choice: { type: "function", function: { name: "get_time" } },
    });
    expect(JSON.parse(call.text).choices).toEqual([
      {
        finish_reason: "tool_calls",
        index: 0,
        content_filter_results: {},
        message: {
          padding: "abcdefghijklmnopqrstuvwxyz",
          role: "assistant",
          tool_calls: [
            {
              function: { arguments: '{"echo":"weather in Paris"}', name: "get_time" },
              id: "call_fake_1",
              type: "function",
            },
          ],
        },
      },
    ]);
    const followUp = await post("/chat/completions", {
      model: "gpt-4o",
      messages: [
        { role: "user", content: "weather in Paris" },
        { role: "assistant", content: null, tool_calls: [] },
        { role: "tool", tool_call_id: "call_fake_1", content: "sunny" },
      ],
      tools: TOOLS,
    });
    expect(JSON.parse(followUp.text).choices[0].message.content).toBe("Tool said: sunny");
  });

  it("streams a tool call like the gpt-4o recording: name first, then argument pieces", async () => {
    const response = await post("/chat/completions", {
      model: "gpt-4o",
      stream: true,
      messages: [{ role: "user", content: "Paris" }],
      tools: TOOLS,
    });
    const choices = response.text
      .split("\n\n")
      .filter((event) => event.startsWith("data: {"))
      .map((event): unknown => JSON.parse(event.slice(6)).choices);
    expect(choices).toEqual([
      [],
      [
        {
          index: 0,
          delta: {
            content: null,
            role: "assistant",
            tool_calls: [
              {
                function: { arguments: "", name: "get_weather" },
                id: "call_fake_1",
                index: 0,
                type: "function",
              },
            ],
          },
        },
      ],
      [
        {
          index: 0,
          delta: { content: null, tool_calls: [{ function: { arguments: '{"echo":' }, index: 0 }] },
        },
      ],
      [
        {
          index: 0,
          delta: { content: null, tool_calls: [{ function: { arguments: '"Paris"}' }, index: 0 }] },
        },
      ],
      [{ finish_reason: "tool_calls", index: 0, delta: { content: null } }],
    ]);
  });

  it("gives n choices, honours max_tokens and counts images", async () => {
    const two = JSON.parse(
      (
        await post("/chat/completions", {
          model: "gpt-4o",
          n: 2,
          max_tokens: 3,
          messages: [{ role: "user", content: "hi" }],
        })
      ).text,
    );
    expect(
      two.choices.map(
        (choice: { index: number; finish_reason: string; message: { content: string } }) => [
          choice.index,
          choice.finish_reason,
          choice.message.content,
        ],
      ),
    ).toEqual([
      [0, "length", "Hello from gpt-4o!"],
      [1, "length", "Hello from gpt-4o!"],
    ]);
    const image = { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } };
    const vision = {
      model: "gpt-4o",
      messages: [{ role: "user", content: [{ type: "text", text: "what is this" }, image] }],
    };
    const refused = await post("/chat/completions", vision);
    expect([refused.status, JSON.parse(refused.text)]).toEqual([
      400,
      {
        error: {
          message: "missing required Copilot-Vision-Request header for vision requests",
          code: "invalid_request_body",
        },
      },
    ]);
    const seen = await post("/chat/completions", vision, { "copilot-vision-request": "true" });
    expect(JSON.parse(seen.text).choices[0].message.content).toBe(
      "Hello from gpt-4o! You said: what is this [1 image(s)]",
    );
  });

  it("refuses bad JSON, unknown models and models without /chat/completions", async () => {
    const answers = [
      await post("/chat/completions", "{not json"),
      await post("/chat/completions", { model: "gpt-9", messages: [] }),
      await post("/chat/completions", { model: "text-embedding-3-small", messages: [] }),
      await post("/chat/completions", { model: "gpt-5.1-codex", messages: [] }),
    ];
    expect(answers.map((answer) => [answer.status, answer.text])).toEqual([
      [400, "bad request: invalid JSON body\n"],
      [400, fixture("errors/400.model_not_supported.body.txt")],
      [400, fixture("errors/400.model_not_supported.body.txt")],
      [
        400,
        '{"error":{"message":"model \\"gpt-5.1-codex\\" is not accessible via the /chat/completions endpoint","code":"unsupported_api_for_model"}}\n',
      ],
    ]);
  });
});

describe("POST /chat/completions, Anthropic-vendor models", () => {
  it("answers in the recorded Claude shape (no index, no object)", async () => {
    const response = await post("/chat/completions", {
      model: "claude-sonnet-4",
      messages: [{ role: "user", content: "hello" }],
    });
    expect(JSON.parse(response.text)).toEqual({
      choices: [
        {
          finish_reason: "stop",
          message: { content: "Hello from claude-sonnet-4! You said: hello", role: "assistant" },
        },
      ],
      created: CREATED,
      id: "msg_fake_1",
      // 1 × 300000 + 6 × 1500000
      copilot_usage: copilotUsage(SONNET_PRICES, 1, 6, 9_300_000),
      usage: {
        completion_tokens: 6,
        prompt_tokens: 1,
        prompt_tokens_details: { cached_tokens: 0 },
        total_tokens: 7,
      },
      model: "claude-sonnet-4",
    });
  });

  it("streams parallel tool calls that share index 0", async () => {
    const response = await post("/chat/completions", {
      model: "claude-sonnet-4",
      stream: true,
      messages: [{ role: "user", content: "go" }],
      tools: TOOLS,
    });
    const chunk = (choice: object) => ({
      choices: [{ index: 0, ...choice }],
      created: CREATED,
      id: "msg_fake_1",
      model: "claude-sonnet-4",
    });
    const name = (id: string, fn: string) =>
      chunk({
        delta: {
          content: null,
          role: "assistant",
          tool_calls: [{ function: { name: fn }, id, index: 0, type: "function" }],
        },
      });
    const args = (piece: string) =>
      chunk({
        delta: {
          content: null,
          role: "assistant",
          tool_calls: [{ function: { arguments: piece }, index: 0, type: "function" }],
        },
      });
    expect(response.text).toBe(
      transcript([
        name("call_fake_1", "get_weather"),
        args('{"echo'),
        args('":"go"}'),
        name("call_fake_2", "get_time"),
        args('{"echo'),
        args('":"go"}'),
        {
          choices: [{ finish_reason: "tool_calls", index: 0, delta: { content: null } }],
          created: CREATED,
          id: "msg_fake_1",
          copilot_usage: copilotUsage(SONNET_PRICES, 1, 2, 3_300_000),
          usage: { completion_tokens: 2, prompt_tokens: 1, total_tokens: 0 },
          model: "claude-sonnet-4",
        },
      ]),
    );
  });

  it("streams text with the role on every delta and calls one tool when parallel is off", async () => {
    const fakeWithChunks = await startFakeCopilot({ now: () => CREATED * 1000, streamChunks: 2 });
    try {
      const token = await fetchFakeCopilotToken(fakeWithChunks);
      const response = await request(`${fakeWithChunks.copilotUrl}/chat/completions`, {
        method: "POST",
        headers: fakeCopilotHeaders(token),
        body: JSON.stringify({
          model: "claude-sonnet-4",
          stream: true,
          messages: [{ role: "user", content: "yo" }],
        }),
      });
      const deltas = (await response.body.text())
        .split("\n\n")
        .filter((event) => event.startsWith("data: {"))
        .map((event): unknown => JSON.parse(event.slice(6)).choices[0].delta);
      expect(deltas).toEqual([
        { content: "Hello from claude-so", role: "assistant" },
        { content: "nnet-4! You said: yo", role: "assistant" },
        { content: null },
      ]);
    } finally {
      await fakeWithChunks.close();
    }
    const single = await post("/chat/completions", {
      model: "claude-sonnet-4",
      messages: [{ role: "user", content: "go" }],
      tools: TOOLS,
      parallel_tool_calls: false,
    });
    expect(JSON.parse(single.text).choices[0].message.tool_calls).toEqual([
      {
        function: { arguments: '{"echo":"go"}', name: "get_weather" },
        id: "call_fake_1",
        type: "function",
      },
    ]);
  });
});

describe("a custom /models list", () => {
  it("serves it and accepts only its models", async () => {
    const models = {
      object: "list",
      data: [{ id: "only-model", vendor: "OpenAI", capabilities: { type: "chat" } }],
    };
    const custom = await startFakeCopilot({ models });
    try {
      const customHeaders = fakeCopilotHeaders(await fetchFakeCopilotToken(custom));
      const listed = await request(`${custom.copilotUrl}/models`, { headers: customHeaders });
      // A model without a multiplier is priced like a multiplier-1 model.
      const prices = SONNET_PRICES.map((cost, index) => ({
        batch_size: 1_000_000,
        cost_per_batch: cost,
        token_type: ["input", "cache_read", "cache_write", "output"][index],
      }));
      expect(await listed.body.json()).toEqual({
        object: "list",
        data: [{ ...models.data[0], billing: { tokenPrices: prices } }],
      });
      const ask = async (model: string) => {
        const response = await request(`${custom.copilotUrl}/chat/completions`, {
          method: "POST",
          headers: customHeaders,
          body: JSON.stringify({ model, messages: [{ role: "user", content: "x" }] }),
        });
        return [response.statusCode, await response.body.text()];
      };
      expect((await ask("gpt-4o"))[0]).toBe(400);
      expect((await ask("only-model"))[0]).toBe(200);
    } finally {
      await custom.close();
    }
  });
});

describe("POST /embeddings", () => {
  it("answers deterministic vectors without object fields", async () => {
    const response = await post("/embeddings", {
      model: "text-embedding-3-small",
      input: ["hello", "hello world"],
    });
    expect(JSON.parse(response.text)).toEqual({
      data: [
        {
          embedding: [
            0.262393, 0.596698, -0.382743, -0.092203, -0.901171, -0.102725, -0.901917, -0.700378,
          ],
          index: 0,
        },
        {
          embedding: [
            0.596143, 0.533516, 0.862908, 0.074145, 0.774933, 0.08725, 0.447702, -0.142514,
          ],
          index: 1,
        },
      ],
      model: "text-embedding-3-small",
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
    const sized = await post("/embeddings", {
      model: "text-embedding-3-small",
      input: "hello",
      dimensions: 3,
    });
    expect(JSON.parse(sized.text).data).toEqual([
      { embedding: [0.262393, 0.596698, -0.382743], index: 0 },
    ]);
  });

  it("refuses token arrays and non-embeddings models", async () => {
    const tokens = await post("/embeddings", {
      model: "text-embedding-3-small",
      input: [[1, 2, 3]],
    });
    expect([tokens.status, JSON.parse(tokens.text)]).toEqual([
      400,
      {
        error: {
          message: "input must be a string or array of strings",
          code: "invalid_request_body",
        },
      },
    ]);
    const chatModel = await post("/embeddings", { model: "gpt-4o", input: "x" });
    expect([chatModel.status, chatModel.text]).toEqual([
      400,
      fixture("errors/400.model_not_supported.body.txt"),
    ]);
  });
});
