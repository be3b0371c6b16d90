import { describe, expect, it } from "vitest";
import {
  CHAT_ANSWER,
  MESSAGES_STREAM,
  RESPONSES_ANSWER,
} from "../../test/in-process/canned-answers.js";
import { JSON_HEADERS, type CannedAnswer } from "../../test/in-process/fake-copilot-client.js";
import { AUTHORIZED, createTestApp, request } from "../../test/in-process/test-app.js";

const IDS = {
  "x-github-request-id": "C0DE:3A1F:1B2C3D:4E5F6A:6955B900",
  "x-copilot-service-request-id": "9b2f6f5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b",
};

function withIds(answer: CannedAnswer): CannedAnswer {
  return { ...answer, headers: { ...answer.headers, ...IDS } };
}

/** The request line of the one request a test made. */
function requestLine(logs: Record<string, unknown>[]): Record<string, unknown> | undefined {
  return logs.find((record) => record["msg"] !== undefined && record["method"] !== undefined);
}

async function post(url: string, payload: object, answers: Record<string, CannedAnswer>) {
  const test = createTestApp({ answers });
  const response = await request(test.app, { method: "POST", url, headers: AUTHORIZED, payload });
  return { response, logs: test.logs };
}

describe("Copilot's support ids", () => {
  it("go to the client as x-github-request-id and onto the log line, for a whole answer", async () => {
    const { response, logs } = await post(
      "/v1/chat/completions",
      { model: "gpt-4.1", messages: [{ role: "user", content: "Hi" }] },
      { "/chat/completions": withIds(CHAT_ANSWER) },
    );
    expect(response.status).toBe(200);
    expect(response.headers["x-github-request-id"]).toBe("C0DE:3A1F:1B2C3D:4E5F6A:6955B900");
    expect(response.headers["x-copilot-service-request-id"]).toBeUndefined();
    expect(requestLine(logs)).toMatchObject({
      status: 200,
      githubRequestId: "C0DE:3A1F:1B2C3D:4E5F6A:6955B900",
      copilotRequestId: "9b2f6f5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b",
    });
  });

  it("go out with a stream's headers and onto its log line when it ends", async () => {
    const { response, logs } = await post(
      "/v1/messages",
      {
        model: "claude-sonnet-4.5",
        max_tokens: 10,
        stream: true,
        messages: [{ role: "user", content: "Hi" }],
      },
      { "/v1/messages": withIds(MESSAGES_STREAM) },
    );
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(response.headers["x-github-request-id"]).toBe("C0DE:3A1F:1B2C3D:4E5F6A:6955B900");
    expect(requestLine(logs)).toMatchObject({
      githubRequestId: "C0DE:3A1F:1B2C3D:4E5F6A:6955B900",
      copilotRequestId: "9b2f6f5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b",
    });
  });

  it("go out with an upstream error, in the client's dialect", async () => {
    const { response, logs } = await post(
      "/v1/responses",
      { model: "gpt-5.2-codex", input: "Hi" },
      {
        "/responses": {
          status: 429,
          headers: { ...JSON_HEADERS, ...IDS, "retry-after": "7" },
          body: '{"error":{"message":"Rate limit exceeded","code":"rate_limited"}}',
        },
      },
    );
    expect(response.status).toBe(429);
    expect(response.headers["x-github-request-id"]).toBe("C0DE:3A1F:1B2C3D:4E5F6A:6955B900");
    expect(requestLine(logs)).toMatchObject({
      status: 429,
      githubRequestId: "C0DE:3A1F:1B2C3D:4E5F6A:6955B900",
      copilotRequestId: "9b2f6f5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b",
    });
  });

  it("go out from count_tokens and embeddings too", async () => {
    const counted = await post(
      "/v1/messages/count_tokens",
      { model: "claude-sonnet-4.5", messages: [{ role: "user", content: "Hi" }] },
      {
        "/v1/messages/count_tokens": withIds({ headers: JSON_HEADERS, body: '{"input_tokens":8}' }),
      },
    );
    const embedded = await post(
      "/v1/embeddings",
      { model: "text-embedding-3-small", input: "Hi" },
      {
        "/embeddings": withIds({
          headers: JSON_HEADERS,
          body: '{"data":[{"object":"embedding","index":0,"embedding":[0.5]}],"usage":{"prompt_tokens":1,"total_tokens":1}}',
        }),
      },
    );
    expect([
      counted.response.headers["x-github-request-id"],
      embedded.response.headers["x-github-request-id"],
    ]).toEqual(["C0DE:3A1F:1B2C3D:4E5F6A:6955B900", "C0DE:3A1F:1B2C3D:4E5F6A:6955B900"]);
  });

  it("are absent when Copilot sent none", async () => {
    const { response, logs } = await post(
      "/v1/responses",
      { model: "gpt-5.2-codex", input: "Hi" },
      { "/responses": RESPONSES_ANSWER },
    );
    expect(response.status).toBe(200);
    expect(response.headers["x-github-request-id"]).toBeUndefined();
    expect(requestLine(logs)).not.toHaveProperty("githubRequestId");
  });
});
