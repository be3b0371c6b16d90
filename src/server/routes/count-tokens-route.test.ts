import { describe, expect, it } from "vitest";
import { JSON_HEADERS, type CannedAnswers } from "../../../test/in-process/fake-copilot-client.js";
import { AUTHORIZED, createTestApp, request } from "../../../test/in-process/test-app.js";

const MESSAGES = [{ role: "user", content: "Hi" }];

async function countTokens(payload: object, answers: CannedAnswers = {}) {
  const test = createTestApp({ answers });
  const response = await request(test.app, {
    method: "POST",
    url: "/v1/messages/count_tokens",
    headers: AUTHORIZED,
    payload,
  });
  return { response, ...test };
}

describe("POST /v1/messages/count_tokens", () => {
  it("answers Copilot's own count for a Claude model", async () => {
    const { response, copilot } = await countTokens(
      { model: "claude-sonnet-4.5", messages: MESSAGES },
      { "/v1/messages/count_tokens": { headers: JSON_HEADERS, body: '{"input_tokens":8}' } },
    );
    expect(response.status).toBe(200);
    expect(response.headers["x-cogpt-token-count"]).toBe("upstream");
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(response.body).toBe('{"input_tokens":8}');
    expect(copilot.calls).toMatchObject([
      {
        path: "/v1/messages/count_tokens",
        initiator: "agent",
        vision: false,
        protocolHeaders: { "anthropic-version": "2023-06-01" },
        json: { model: "claude-sonnet-4.5", messages: MESSAGES },
      },
    ]);
  });

  it("falls back to the local estimate when Copilot refuses to count (4xx)", async () => {
    const { response, copilot } = await countTokens(
      { model: "claude-sonnet-4.5", messages: MESSAGES },
      {
        "/v1/messages/count_tokens": {
          status: 400,
          headers: JSON_HEADERS,
          body: '{"error":{"message":"not supported","code":"unsupported"}}',
        },
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers["x-cogpt-token-count"]).toBe("estimate");
    expect(response.json()).toEqual({ input_tokens: 7 });
    expect(copilot.calls).toHaveLength(1);
  });

  it("answers the count Copilot names when it refuses the prompt as too long", async () => {
    const { response } = await countTokens(
      { model: "claude-sonnet-4.5", messages: MESSAGES },
      {
        "/v1/messages/count_tokens": {
          status: 400,
          headers: { "content-type": "text/plain; charset=utf-8" },
          body: '{"error":{"message":"prompt token count of 170011 exceeds the limit of 168000","code":"model_max_prompt_tokens_exceeded"}}\n',
        },
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers["x-cogpt-token-count"]).toBe("upstream");
    expect(response.json()).toEqual({ input_tokens: 170011 });
  });

  it("estimates locally, without calling Copilot, for a model not served on /v1/messages", async () => {
    const { response, copilot } = await countTokens({ model: "gpt-4.1", messages: MESSAGES });
    expect(response.status).toBe(200);
    expect(response.headers["x-cogpt-token-count"]).toBe("estimate");
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.json()).toEqual({ input_tokens: 7 });
    expect(copilot.calls).toEqual([]);
  });

  it("passes Copilot's 429 on in Anthropic's shape instead of estimating", async () => {
    const { response } = await countTokens(
      { model: "claude-sonnet-4.5", messages: MESSAGES },
      {
        "/v1/messages/count_tokens": {
          status: 429,
          headers: { ...JSON_HEADERS, "retry-after": "12" },
          body: '{"error":{"message":"Rate limit exceeded","code":"rate_limited"}}',
        },
      },
    );
    expect(response.status).toBe(429);
    expect(response.headers["retry-after"]).toBe("12");
    expect(response.headers["x-cogpt-token-count"]).toBeUndefined();
    expect(response.json()).toEqual({
      type: "error",
      error: { type: "rate_limit_error", message: "Rate limit exceeded" },
    });
  });

  it("refuses a body without a model with 400 in Anthropic's shape", async () => {
    const { response } = await countTokens({ messages: [] });
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({
      type: "error",
      error: {
        type: "invalid_request_error",
        message: "Invalid request body: model: Invalid input: expected string, received undefined",
      },
    });
  });
});
