import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness } from "./harness.js";

// Issue 14 items 3, 4, 9 and 10 with the official SDKs against the fake upstream: limits in
// /v1/models, over-long prompts in each client's words, exact token counts, the client identity
// settings and a 466, and Copilot's support id.

const SEVEN_WORDS = "one two three four five six seven";
const SUPPORT_ID = /^FAKE:[0-9A-F]{6}:/;

function anthropicFor(h: Harness): Anthropic {
  return new Anthropic({ apiKey: FAKE_GITHUB_TOKEN, baseURL: h.gateway.url, maxRetries: 0 });
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the request to fail");
}

describe("with Copilot's limits", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      fake: { maxPromptTokens: { "claude-sonnet-4.5": 5, "gpt-4.1": 5, "gpt-5-mini": 5 } },
    });
  });
  afterAll(() => h.close());
  beforeEach(() => h.fake.reset());

  it("lists the limits for OpenAI clients and Anthropic's page for Anthropic clients", async () => {
    const openaiModels = await h.openai().models.list();
    const gpt = openaiModels.data.find((model) => model.id === "gpt-4.1") as unknown as Record<
      string,
      unknown
    >;
    expect(gpt).toMatchObject({ object: "model", context_window: expect.any(Number) });
    expect(gpt["context_length"]).toBe(gpt["context_window"]);
    expect(gpt["max_output_tokens"]).toBe(gpt["max_completion_tokens"]);

    const page = await anthropicFor(h).models.list({ limit: 1000 });
    const claude = page.data.find((model) => model.id === "claude-sonnet-4.5");
    expect(claude).toMatchObject({
      type: "model",
      id: "claude-sonnet-4.5",
      display_name: expect.any(String),
      created_at: "1970-01-01T00:00:00Z",
    });
    expect(page.data.some((model) => model.id.startsWith("text-embedding"))).toBe(false);
  });

  it("gives an Anthropic client Anthropic's words for an over-long prompt", async () => {
    const error = await caught(
      anthropicFor(h).messages.create({
        model: "claude-sonnet-4.5",
        max_tokens: 10,
        messages: [{ role: "user", content: SEVEN_WORDS }],
      }),
    );
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.BadRequestError>).error).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: "prompt is too long: 7 tokens > 5 maximum" },
    });
  });

  it("gives an OpenAI client context_length_exceeded, on chat and Responses", async () => {
    const chat = await caught(
      h.openai().chat.completions.create({
        model: "gpt-4.1",
        messages: [{ role: "user", content: SEVEN_WORDS }],
      }),
    );
    expect(chat).toBeInstanceOf(OpenAI.BadRequestError);
    expect(chat).toMatchObject({
      status: 400,
      code: "context_length_exceeded",
      type: "invalid_request_error",
      message:
        "400 This model's maximum context length is 5 tokens. However, your messages resulted in 7 tokens. Please reduce the length of the messages.",
    });
    const responses = await caught(
      h.openai().responses.create({ model: "gpt-5-mini", input: SEVEN_WORDS }),
    );
    expect(responses).toMatchObject({ status: 400, code: "context_length_exceeded" });
  });

  it("counts with Copilot's own count_tokens for a Claude model, and says so", async () => {
    const counted = await anthropicFor(h)
      .messages.countTokens({
        model: "claude-sonnet-4.5",
        system: "Be brief.",
        messages: [{ role: "user", content: "one two three" }],
      })
      .withResponse();
    // The fake counts one token per word: 2 (system) + 3 (message).
    expect(counted.data).toEqual({ input_tokens: 5 });
    expect(counted.response.headers.get("x-cogpt-token-count")).toBe("upstream");
    expect(counted.response.headers.get("x-github-request-id")).toMatch(SUPPORT_ID);
    const upstream = h.fake.requests.filter(
      (request) => request.server === "copilot" && request.path === "/v1/messages/count_tokens",
    );
    expect(upstream).toHaveLength(1);
  });

  it("still answers Copilot's count for a prompt over the limit, which is when it matters", async () => {
    const counted = await anthropicFor(h)
      .messages.countTokens({
        model: "claude-sonnet-4.5",
        messages: [{ role: "user", content: SEVEN_WORDS }],
      })
      .withResponse();
    expect(counted.data).toEqual({ input_tokens: 7 });
    expect(counted.response.headers.get("x-cogpt-token-count")).toBe("upstream");
  });

  it("estimates locally for a model Copilot does not serve on /v1/messages", async () => {
    const counted = await anthropicFor(h)
      .messages.countTokens({
        model: "gpt-4.1",
        messages: [{ role: "user", content: "one two three" }],
      })
      .withResponse();
    expect(counted.response.headers.get("x-cogpt-token-count")).toBe("estimate");
    expect(counted.data.input_tokens).toBeGreaterThan(0);
    expect(
      h.fake.requests.filter((request) => request.path === "/v1/messages/count_tokens"),
    ).toEqual([]);
  });

  it("passes Copilot's x-github-request-id on answers, streams and errors, and logs it", async () => {
    const whole = await h
      .openai()
      .chat.completions.create({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    const wholeId = whole.response.headers.get("x-github-request-id");
    expect(wholeId).toMatch(SUPPORT_ID);

    const stream = await anthropicFor(h)
      .messages.create({
        model: "claude-sonnet-4.5",
        max_tokens: 10,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      })
      .withResponse();
    for await (const _event of stream.data) {
      // drain
    }
    expect(stream.response.headers.get("x-github-request-id")).toMatch(SUPPORT_ID);

    const error = (await caught(
      h.openai().chat.completions.create({
        model: "gpt-4.1",
        messages: [{ role: "user", content: SEVEN_WORDS }],
      }),
    )) as InstanceType<typeof OpenAI.APIError>;
    expect(error.headers?.get("x-github-request-id")).toMatch(SUPPORT_ID);

    expect(h.logs.some((line) => line.includes(`github-req=${wholeId}`))).toBe(true);
    expect(h.logs.some((line) => /copilot-req=[0-9a-f-]{36}/.test(line))).toBe(true);
  });
});

describe("when Copilot refuses the client version (466)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      fake: { minEditorPluginVersion: "9.0.0" },
      env: { USER_AGENT: "CoGPT-Test/1.0", COPILOT_INTEGRATION_ID: "vscode-chat" },
    });
  });
  afterAll(() => h.close());

  const sent =
    "Sent: EDITOR_VERSION=1.104.3, EDITOR_PLUGIN_VERSION=0.31.5, GITHUB_API_VERSION=2026-08-01, " +
    "USER_AGENT=CoGPT-Test/1.0, COPILOT_INTEGRATION_ID=vscode-chat.";

  it("tells each client in its own shape which settings to change, and logs the advice once", async () => {
    const openaiError = await caught(
      h.openai().chat.completions.create({
        model: "gpt-4.1",
        messages: [{ role: "user", content: "hi" }],
      }),
    );
    expect(openaiError).toMatchObject({ status: 466, code: "client_version_rejected" });
    expect((openaiError as Error).message).toContain(sent);
    expect((openaiError as Error).message).toContain(
      "Update EDITOR_VERSION, EDITOR_PLUGIN_VERSION, GITHUB_API_VERSION, USER_AGENT or COPILOT_INTEGRATION_ID",
    );

    const anthropicError = await caught(
      anthropicFor(h).messages.create({
        model: "claude-sonnet-4.5",
        max_tokens: 10,
        messages: [{ role: "user", content: "hi" }],
      }),
    );
    const body = (anthropicError as InstanceType<typeof Anthropic.APIError>).error as {
      type: string;
      error: { type: string; message: string };
    };
    expect([body.type, body.error.type]).toEqual(["error", "invalid_request_error"]);
    expect(body.error.message).toContain(sent);

    await caught(h.openai().models.list());
    const told = h.logs.filter((line) => line.includes("logged once; every request fails"));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(sent);
    expect(h.logs.filter((line) => line.includes(sent))).toHaveLength(1);
    expect(
      h.logs.filter((line) => line.includes("refused the client version (HTTP 466)")),
    ).toHaveLength(3);
    const upstream = h.fake.requests.filter((request) => request.server === "copilot");
    expect(upstream.length).toBeGreaterThan(0);
    expect(upstream.every((request) => request.headers["user-agent"] === "CoGPT-Test/1.0")).toBe(
      true,
    );
  });
});
