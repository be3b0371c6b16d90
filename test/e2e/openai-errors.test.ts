import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    env: { BODY_LIMIT: "4kb", HEADERS_TIMEOUT: "400ms" },
  });
  h.fake.addAccount("ghu_NoSeatAccountForTests00000000000000", { kind: "no_seat", login: "mona" });
  h.fake.addAccount("gho_OAuthTokenThatCannotBeExchanged00000");
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.reset();
});

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${h.gateway.url}${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${FAKE_GITHUB_TOKEN}`,
      "content-type": "application/json",
      ...headers,
    },
    body,
  });
  return {
    status: response.status,
    headers: response.headers,
    body: await response.json(),
  };
}

const hello = { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] };

async function sdkError(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

describe("client errors", () => {
  it("401 without a key", async () => {
    const response = await fetch(`${h.gateway.url}/v1/models`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: {
        message:
          "Missing API key: pass your GitHub token (ghu_…) or a share token (share-…) as the API key (Authorization: Bearer <key>, or x-api-key: <key>)",
        type: "authentication_error",
        code: "missing_api_key",
        param: null,
      },
    });
  });

  it("400 for malformed JSON", async () => {
    const { status, body } = await post(
      "/v1/chat/completions",
      '{"model": "gpt-4o", "messages": [',
    );
    expect(status).toBe(400);
    expect(body).toMatchObject({
      error: { type: "invalid_request_error", code: "invalid_json", param: null },
    });
    expect((body as { error: { message: string } }).error.message).toMatch(
      /^The request body is not valid JSON: /,
    );
  });

  it("400 naming the field that fails validation", async () => {
    expect(await post("/v1/chat/completions", JSON.stringify({ model: "gpt-4o" }))).toMatchObject({
      status: 400,
      body: {
        error: {
          message:
            "Invalid request body: messages: Invalid input: expected array, received undefined",
          type: "invalid_request_error",
          code: "invalid_request_body",
          param: "messages",
        },
      },
    });
    const wrongRole = { model: "gpt-4o", messages: [{ role: "robot", content: "x" }] };
    expect(await post("/v1/chat/completions", JSON.stringify(wrongRole))).toMatchObject({
      status: 400,
      body: { error: { param: "messages[0].role" } },
    });
    expect(await post("/v1/embeddings", JSON.stringify({ input: [1, 2] }))).toMatchObject({
      status: 400,
      body: { error: { param: "input" } },
    });
    expect(await post("/v1/chat/completions", "")).toMatchObject({
      status: 400,
      body: { error: { message: "The request body is empty; send a JSON object" } },
    });
  });

  it("413 for a body over BODY_LIMIT", async () => {
    const big = { ...hello, messages: [{ role: "user", content: "x".repeat(5000) }] };
    expect(await post("/v1/chat/completions", JSON.stringify(big))).toEqual({
      status: 413,
      headers: expect.anything(),
      body: {
        error: {
          message: "The request body is larger than the limit of 4096 bytes (BODY_LIMIT)",
          type: "invalid_request_error",
          code: "request_too_large",
          param: null,
        },
      },
    });
  });

  it("404 for an unknown route, 405 for a wrong method", async () => {
    const missing = await fetch(`${h.gateway.url}/v1/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: {
        message: "Unknown route: GET /v1/nothing-here",
        type: "not_found_error",
        code: "unknown_route",
        param: null,
      },
    });
    const wrong = await fetch(`${h.gateway.url}/v1/chat/completions`);
    expect(wrong.status).toBe(405);
    expect(await wrong.json()).toEqual({
      error: {
        message: "Method GET is not allowed on /v1/chat/completions; use POST",
        type: "invalid_request_error",
        code: "method_not_allowed",
        param: null,
      },
    });
  });

  it("400 for an unknown model, naming the models that exist", async () => {
    const error = await sdkError(
      h.openai().chat.completions.create({ ...hello, model: "gpt-99-ultra" } as never),
    );
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ code: "model_not_found", param: "model" });
    expect(error.message).toContain('The model "gpt-99-ultra" does not exist');
    expect(error.message).toContain("claude-sonnet-4.5, ");
  });
});

describe("upstream errors", () => {
  it("keeps Copilot's status and parsed message", async () => {
    h.fake.injectFault({
      path: "/chat/completions",
      status: 400,
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: '{"error":{"message":"The requested model is not supported.","code":"model_not_supported","param":"model"}}\n',
    });
    const error = await sdkError(h.openai().chat.completions.create(hello as never));
    expect([error.status, error.error]).toEqual([
      400,
      {
        message: "The requested model is not supported.",
        type: "invalid_request_error",
        code: "model_not_supported",
        param: "model",
      },
    ]);
  });

  it("passes 429 with retry-after", async () => {
    h.fake.injectFault({
      path: "/chat/completions",
      status: 429,
      headers: { "retry-after": "42" },
      body: '{"error":{"message":"Sorry, you have exceeded your Copilot token usage.","code":"rate_limited"}}',
    });
    const { status, headers, body } = await post("/v1/chat/completions", JSON.stringify(hello));
    expect(status).toBe(429);
    expect(headers.get("retry-after")).toBe("42");
    expect(body).toEqual({
      error: {
        message: "Sorry, you have exceeded your Copilot token usage.",
        type: "rate_limit_error",
        code: "rate_limited",
        param: null,
      },
    });
  });

  it("answers 502 when Copilot's connection keeps breaking", async () => {
    h.fake.injectFault({ path: "/chat/completions", reset: true, times: 3 });
    const { status, body } = await post("/v1/chat/completions", JSON.stringify(hello));
    expect(status).toBe(502);
    expect(body).toMatchObject({ error: { type: "api_connection_error", param: null } });
    expect((body as { error: { message: string } }).error.message).toMatch(
      /^Cannot reach Copilot at 127\.0\.0\.1:\d+: /,
    );
  });

  it("answers 504 when Copilot does not answer in time", async () => {
    h.fake.injectFault({ path: "/chat/completions", delayMs: 1500 });
    const { status, body } = await post("/v1/chat/completions", JSON.stringify(hello));
    expect(status).toBe(504);
    expect(body).toMatchObject({ error: { type: "timeout_error" } });
  });

  it("tells the SDK when a stream breaks off in the middle", async () => {
    h.fake.injectFault({ path: "/chat/completions", dropAfterChunks: 3 });
    const stream = await h.openai().chat.completions.create({ ...hello, stream: true } as never);
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream as unknown as AsyncIterable<OpenAI.ChatCompletionChunk>) {
        seen.push(chunk.choices[0]?.delta.content ?? "");
      }
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toMatch(/The upstream stream broke off/);
    expect(seen.length).toBeGreaterThan(0);
  });
});

describe("token exchange errors", () => {
  it("401 when GitHub rejects the token", async () => {
    const error = await sdkError(h.openai("ghu_UnknownTokenUnknownToken0000000000").models.list());
    expect([error.status, error.error]).toEqual([
      401,
      {
        message:
          "GitHub rejected the GitHub token (Bad credentials): it is wrong, expired or revoked. Sign in again to get a new GitHub app token (ghu_…).",
        type: "authentication_error",
        code: "github_token_rejected",
        param: null,
      },
    ]);
  });

  it("403 with GitHub's message when the account has no Copilot seat", async () => {
    const error = await sdkError(h.openai("ghu_NoSeatAccountForTests00000000000000").models.list());
    expect(error.status).toBe(403);
    expect(error.error).toEqual({
      message: "No access to GitHub Copilot found. You are currently logged in as mona.",
      type: "permission_error",
      code: "no_copilot_access",
      param: null,
    });
  });

  it("401 telling the user to get a ghu_ token when the token type cannot be exchanged", async () => {
    const error = await sdkError(
      h.openai("gho_OAuthTokenThatCannotBeExchanged00000").models.list(),
    );
    expect(error.status).toBe(401);
    expect(error.error).toMatchObject({ code: "github_token_not_exchangeable" });
    expect(error.message).toContain("Use a GitHub app token (ghu_…)");
  });
});
