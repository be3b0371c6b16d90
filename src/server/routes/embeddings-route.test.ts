import { describe, expect, it } from "vitest";
import { JSON_HEADERS } from "../../../test/in-process/fake-copilot-client.js";
import { AUTHORIZED, createTestApp, request } from "../../../test/in-process/test-app.js";

const EMBEDDINGS_ANSWER = {
  headers: JSON_HEADERS,
  body: JSON.stringify({
    data: [{ object: "embedding", index: 0, embedding: [0.5, -0.25] }],
    model: "text-embedding-3-small",
    usage: { prompt_tokens: 1, total_tokens: 1 },
  }),
};

async function embed(payload: object) {
  const test = createTestApp({ answers: { "/embeddings": EMBEDDINGS_ANSWER } });
  const response = await request(test.app, {
    method: "POST",
    url: "/v1/embeddings",
    headers: AUTHORIZED,
    payload,
  });
  return { response, ...test };
}

describe("POST /v1/embeddings", () => {
  it("sends a single input as an array and answers OpenAI's list of floats", async () => {
    const { response, copilot } = await embed({ model: "text-embedding-3-small", input: "Hi" });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.json()).toEqual({
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: [0.5, -0.25] }],
      model: "text-embedding-3-small",
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
    expect(copilot.calls.map((call) => [call.path, call.initiator, call.json])).toEqual([
      ["/embeddings", "user", { model: "text-embedding-3-small", input: ["Hi"] }],
    ]);
  });

  it("encodes base64 itself: Copilot is asked for floats", async () => {
    const { response, copilot } = await embed({
      model: "text-embedding-3-small",
      input: ["Hi"],
      encoding_format: "base64",
    });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({
      object: "list",
      // 0.5 and -0.25 as little-endian float32: 00 00 00 3f 00 00 80 be.
      data: [{ object: "embedding", index: 0, embedding: "AAAAPwAAgL4=" }],
      model: "text-embedding-3-small",
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
    expect(copilot.calls[0]?.json).toEqual({ model: "text-embedding-3-small", input: ["Hi"] });
  });

  it("refuses a body without input with 400 in OpenAI's shape", async () => {
    const { response, copilot } = await embed({ model: "text-embedding-3-small" });
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({
      error: {
        message: "Invalid request body: input: Invalid input",
        type: "invalid_request_error",
        code: "invalid_request_body",
        param: "input",
      },
    });
    expect(copilot.calls).toEqual([]);
  });
});
