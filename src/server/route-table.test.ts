import { describe, expect, it } from "vitest";
import { readFixtureText } from "../../test/fake-copilot/fixtures.js";
import { fixturesDir } from "../../test/fixtures-dir.js";
import { CHAT_ANSWER } from "../../test/in-process/canned-answers.js";
import {
  AUTHORIZED,
  GITHUB_TOKEN,
  createTestApp,
  request,
} from "../../test/in-process/test-app.js";

const RECORDED = JSON.parse(readFixtureText(fixturesDir, "models/models.2026-03-28.json")) as {
  data: { id: string }[];
};

describe("GET /v1/models", () => {
  it("lists the account's models in OpenAI's list shape, first of duplicate ids kept", async () => {
    const { app, modelLookups } = createTestApp();
    const response = await request(app, { method: "GET", url: "/v1/models", headers: AUTHORIZED });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json");
    const body = response.json() as { object: string; data: Record<string, unknown>[] };
    expect(body.object).toBe("list");
    const ids = RECORDED.data.map((model) => model.id);
    expect(body.data.map((model) => model.id)).toEqual([...new Set(ids)]);
    expect(ids).toHaveLength(41);
    expect(body.data).toHaveLength(39);
    expect(body.data[0]).toMatchObject({
      id: "claude-opus-4.6-1m",
      object: "model",
      created: 0,
      owned_by: "Anthropic",
      supported_endpoints: ["/v1/messages", "/chat/completions"],
    });
    expect(modelLookups).toEqual([GITHUB_TOKEN]);
  });

  it("carries each model's limits in the OpenAI list", async () => {
    const { app } = createTestApp();
    const response = await request(app, { method: "GET", url: "/v1/models", headers: AUTHORIZED });
    const body = response.json() as { data: Record<string, unknown>[] };
    expect(body.data.find((model) => model.id === "claude-sonnet-4.5")).toMatchObject({
      context_window: 200000,
      context_length: 200000,
      max_input_tokens: 168000,
      max_output_tokens: 32000,
      max_completion_tokens: 32000,
      top_provider: { context_length: 200000, max_completion_tokens: 32000 },
    });
  });

  it("answers Anthropic's Models API page to a client that sends anthropic-version", async () => {
    const { app } = createTestApp();
    const response = await request(app, {
      method: "GET",
      url: "/v1/models?limit=1000",
      headers: { ...AUTHORIZED, "anthropic-version": "2023-06-01" },
    });
    expect(response.status).toBe(200);
    const body = response.json() as {
      data: Record<string, unknown>[];
      has_more: boolean;
      first_id: string;
      last_id: string;
    };
    // 39 models less three embedding models and gpt-41-copilot (type "completion").
    expect(body.data).toHaveLength(35);
    expect([body.has_more, body.first_id, body.last_id]).toEqual([
      false,
      "claude-opus-4.6-1m",
      "gpt-4o",
    ]);
    expect(body.data.find((model) => model.id === "claude-sonnet-4.5")).toEqual({
      type: "model",
      id: "claude-sonnet-4.5",
      display_name: "Claude Sonnet 4.5",
      created_at: "1970-01-01T00:00:00Z",
      max_input_tokens: 168000,
      max_tokens: 32000,
    });
  });

  it("refuses a bad Anthropic page request in Anthropic's shape", async () => {
    const { app } = createTestApp();
    const response = await request(app, {
      method: "GET",
      url: "/v1/models?limit=0",
      headers: { ...AUTHORIZED, "anthropic-version": "2023-06-01" },
    });
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({
      type: "error",
      error: {
        type: "invalid_request_error",
        message: 'limit: "0" is not a whole number 1–1000',
      },
    });
  });
});

describe("the route table", () => {
  it("serves every API route without the /v1 prefix too", async () => {
    const { app, copilot } = createTestApp({ answers: { "/chat/completions": CHAT_ANSWER } });
    const models = await request(app, { method: "GET", url: "/models", headers: AUTHORIZED });
    const chat = await request(app, {
      method: "POST",
      url: "/chat/completions",
      headers: AUTHORIZED,
      payload: { model: "gpt-4.1", messages: [{ role: "user", content: "Hi" }] },
    });
    expect([models.status, chat.status]).toEqual([200, 200]);
    expect(copilot.calls.map((call) => call.path)).toEqual(["/chat/completions"]);
  });

  it("renders errors of /messages/count_tokens in Anthropic's shape and of /embeddings in OpenAI's", async () => {
    const { app } = createTestApp();
    const anthropic = await request(app, {
      method: "GET",
      url: "/v1/messages/count_tokens",
      headers: AUTHORIZED,
    });
    const openai = await request(app, {
      method: "GET",
      url: "/v1/embeddings",
      headers: AUTHORIZED,
    });
    expect([anthropic.status, anthropic.headers.allow]).toEqual([405, "POST"]);
    expect(anthropic.json()).toEqual({
      type: "error",
      error: {
        type: "invalid_request_error",
        message: "Method GET is not allowed on /v1/messages/count_tokens; use POST",
      },
    });
    expect([openai.status, openai.headers.allow]).toEqual([405, "POST"]);
    expect(openai.json()).toEqual({
      error: {
        message: "Method GET is not allowed on /v1/embeddings; use POST",
        type: "invalid_request_error",
        code: "method_not_allowed",
        param: null,
      },
    });
  });
});
