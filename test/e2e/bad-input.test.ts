import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AUTHORIZATION, nestedArrays, nestedObjects } from "./bad-input-client.js";
import { startHarness, type Harness } from "./harness.js";

// Malformed bodies, wrong types, missing fields, deep nesting, bad bytes, content types: each gets
// its 400 in the OpenAI shape, naming the field when there is one, and the gateway keeps serving.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { BODY_LIMIT: "1mb" } });
});
afterAll(async () => {
  await h.close();
});
const logsAtStart = new Map<string, number>();
beforeEach(({ task }) => {
  logsAtStart.set(task.id, h.logs.length);
});
// After each abuse the gateway still serves, and logged no error (a 5xx or an internal error).
afterEach(async ({ task }) => {
  expect((await fetch(`${h.gateway.url}/healthz`)).status).toBe(200);
  const logs = h.logs.slice(logsAtStart.get(task.id));
  expect(logs.filter((line) => /\bERROR\b/.test(line))).toEqual([]);
});

async function post(
  path: string,
  body: string | Uint8Array,
  headers: Record<string, string> = { "content-type": "application/json" },
) {
  const response = await fetch(`${h.gateway.url}${path}`, {
    method: "POST",
    headers: { authorization: AUTHORIZATION, ...headers },
    body,
  });
  return { status: response.status, body: parseOrKeep(await response.text()) };
}

function parseOrKeep(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function invalidBody(message: string, param: string | null = null, code = "invalid_request_body") {
  return {
    status: 400,
    body: { error: { message, type: "invalid_request_error", code, param } },
  };
}

const hello = { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] };
const POST_ROUTES = ["/v1/chat/completions", "/v1/embeddings", "/chat/completions", "/embeddings"];

describe("bodies that are not JSON", () => {
  it.each(['{"model": "gpt-4o", "messages": [', '{"a":1,}', "{'a':1}", "NaN", "a=1&b=2", "\u0000"])(
    "%j → 400 invalid_json",
    async (body) => {
      for (const path of POST_ROUTES) {
        const answer = await post(path, body);
        expect(answer).toMatchObject({
          status: 400,
          body: { error: { type: "invalid_request_error", code: "invalid_json", param: null } },
        });
        const { message } = (answer.body as { error: { message: string } }).error;
        expect(message).toMatch(/^The request body is not valid JSON: /);
      }
    },
  );

  it.each(["", "   \n\t"])("an empty body %j → 400", async (body) => {
    for (const path of POST_ROUTES) {
      expect(await post(path, body)).toEqual(
        invalidBody("The request body is empty; send a JSON object", null, "invalid_json"),
      );
    }
  });

  it.each([
    ["[]", "array"],
    ["3", "number"],
    ['"x"', "string"],
    ["null", "null"],
    ["true", "boolean"],
  ])("JSON that is not an object, %s → 400", async (body, received) => {
    for (const path of POST_ROUTES) {
      expect(await post(path, body)).toEqual(
        invalidBody(`Invalid request body: Invalid input: expected object, received ${received}`),
      );
    }
  });
});

describe("wrong types and missing fields name the field", () => {
  const chat = (fields: Record<string, unknown>) => JSON.stringify({ ...hello, ...fields });
  it.each([
    [{ messages: undefined }, "messages", "Invalid input: expected array, received undefined"],
    [{ messages: "hi" }, "messages", "Invalid input: expected array, received string"],
    [{ messages: [] }, "messages", "Too small: expected array to have >=1 items"],
    [
      { messages: [{ content: "x" }] },
      "messages[0].role",
      'Invalid option: expected one of "system"|"developer"|"user"|"assistant"|"tool"|"function"',
    ],
    [{ messages: [{ role: "user", content: 5 }] }, "messages[0].content", "Invalid input"],
    [{ model: 5 }, "model", "Invalid input: expected string, received number"],
    [{ stream: "yes" }, "stream", "Invalid input: expected boolean, received string"],
    [{ n: 0 }, "n", "Too small: expected number to be >=1"],
    [{ tools: {} }, "tools", "Invalid input: expected array, received object"],
    [{ stream_options: "x" }, "stream_options", "Invalid input: expected object, received string"],
  ])("chat %j → 400 naming %s", async (fields, param, message) => {
    expect(await post("/v1/chat/completions", chat(fields))).toEqual(
      invalidBody(`Invalid request body: ${param}: ${message}`, param),
    );
  });

  it.each([
    [{}, "input", "Invalid input"],
    [{ input: 5 }, "input", "Invalid input"],
    [{ input: [] }, "input", "Too small: expected array to have >=1 items"],
    [{ input: "x", model: 5 }, "model", "Invalid input: expected string, received number"],
    [
      { input: "x", encoding_format: "hex" },
      "encoding_format",
      'Invalid option: expected one of "float"|"base64"',
    ],
    [{ input: "x", dimensions: -1 }, "dimensions", "Too small: expected number to be >0"],
  ])("embeddings %j → 400 naming %s", async (fields, param, message) => {
    expect(await post("/v1/embeddings", JSON.stringify(fields))).toEqual(
      invalidBody(`Invalid request body: ${param}: ${message}`, param),
    );
  });
});

describe("deeply nested bodies", () => {
  const tooDeep = invalidBody(
    "The request body is nested more than 128 levels deep",
    null,
    "json_too_deep",
  );
  const withExtra = (model: string, extra: string) =>
    `{"model":"${model}","messages":[{"role":"user","content":"hi"}],"x":${extra}}`;

  it.each([
    ["[[[…]]] 100k deep", nestedArrays(100_000)],
    ['{"a":{"a":…}} 100k deep', nestedObjects(100_000)],
  ])("%s → 400, on every POST route", async (_name, body) => {
    for (const path of POST_ROUTES) expect(await post(path, body)).toEqual(tooDeep);
  });

  // Used to be a 500: a model name that must be rewritten re-serialises the body, and
  // JSON.stringify overflowed the stack on the client's deep extra field.
  it("a deep field inside an otherwise valid request → 400, even when the model is renamed", async () => {
    for (const model of ["gpt-4o", "claude-sonnet-4-5"]) {
      const body = withExtra(model, nestedArrays(100_000));
      expect(await post("/v1/chat/completions", body)).toEqual(tooDeep);
    }
    const embeddings = `{"model":"text-embedding-3-small","input":"hi","x":${nestedObjects(10_000)}}`;
    expect(await post("/v1/embeddings", embeddings)).toEqual(tooDeep);
  });

  it("128 levels are accepted, 129 are not", async () => {
    const accepted = await post("/v1/chat/completions", withExtra("gpt-4o", nestedArrays(127)));
    expect(accepted.status).toBe(200);
    const refused = await post("/v1/chat/completions", withExtra("gpt-4o", nestedArrays(128)));
    expect(refused).toEqual(tooDeep);
    // Brackets inside strings are text, not nesting.
    const inString = withExtra("gpt-4o", JSON.stringify("[{".repeat(1000)));
    expect((await post("/v1/chat/completions", inString)).status).toBe(200);
  });
});

describe("bytes and content types", () => {
  const utf8 = (text: string) => new TextEncoder().encode(text);
  const withBytes = (bytes: number[]) => {
    const [before, after] = JSON.stringify({
      ...hello,
      messages: [{ role: "user", content: "@" }],
    }).split("@");
    return Buffer.concat([utf8(before ?? ""), Buffer.from(bytes), utf8(after ?? "")]);
  };

  it.each([
    ["a lone continuation byte", [0x80]],
    ["0xff 0xfe", [0xff, 0xfe]],
    ["an overlong encoding of '/'", [0xc0, 0xaf]],
    ["a UTF-8 encoded surrogate", [0xed, 0xa0, 0x80]],
    ["a truncated sequence", [0xe2, 0x82]],
  ])("invalid UTF-8 (%s) → 400", async (_name, bytes) => {
    for (const path of ["/v1/chat/completions", "/v1/embeddings"]) {
      expect(await post(path, withBytes(bytes))).toEqual(
        invalidBody("The request body is not valid UTF-8", null, "invalid_json"),
      );
    }
  });

  it("valid multi-byte UTF-8 is accepted", async () => {
    const answer = await post("/v1/chat/completions", withBytes([0xf0, 0x9f, 0xa6, 0x80]));
    expect(answer.status).toBe(200);
  });

  // Many clients send JSON as text/plain or without a content type: the body decides.
  it.each([
    { "content-type": "text/plain" },
    { "content-type": "application/x-www-form-urlencoded" },
    { "content-type": "multipart/form-data; boundary=x" },
    {},
  ])("content type %j with a JSON body is accepted", async (headers) => {
    const answer = await post("/v1/chat/completions", JSON.stringify(hello), headers);
    expect(answer.status).toBe(200);
    const embeddings = JSON.stringify({ model: "text-embedding-3-small", input: "hi" });
    expect((await post("/v1/embeddings", embeddings, headers)).status).toBe(200);
  });
});
