import { connect } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AUTHORIZATION, rawJsonBody, sendRaw } from "./bad-input-client.js";
import { startHarness, type Harness } from "./harness.js";

// Protocol abuse on a plain socket: oversized and lying bodies, absurd headers, broken HTTP, and
// clients that stop half way. Each is answered (or cut off) quickly and the gateway keeps serving.

const CLIENT_TIMEOUT_MS = 500;
const BODY_LIMIT = 64 * 1024;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    env: { BODY_LIMIT: "64kb", CLIENT_TIMEOUT: `${CLIENT_TIMEOUT_MS}ms` },
  });
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

const head = (method: string, path: string, headers: string[] = []) =>
  [`${method} ${path} HTTP/1.1`, "Host: gateway", `Authorization: ${AUTHORIZATION}`, ...headers]
    .map((line) => `${line}\r\n`)
    .join("") + "\r\n";

const tooLarge = {
  error: {
    message: `The request body is larger than the limit of ${BODY_LIMIT} bytes (BODY_LIMIT)`,
    type: "invalid_request_error",
    code: "request_too_large",
    param: null,
  },
};

const chatBody = JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });

describe("bodies over BODY_LIMIT → 413", () => {
  it("with a content-length", async () => {
    const response = await fetch(`${h.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: AUTHORIZATION, "content-type": "application/json" },
      body: "x".repeat(BODY_LIMIT + 1),
    });
    expect([response.status, await response.json()]).toEqual([413, tooLarge]);
  });

  it("on the Anthropic route, in Anthropic's shape", async () => {
    const response = await fetch(`${h.gateway.url}/v1/messages`, {
      method: "POST",
      headers: { authorization: AUTHORIZATION, "content-type": "application/json" },
      body: "x".repeat(BODY_LIMIT + 1),
    });
    expect([response.status, await response.json()]).toEqual([
      413,
      {
        type: "error",
        error: { type: "request_too_large", message: tooLarge.error.message },
      },
    ]);
  });

  it("announced by content-length, before any of the body is sent", async () => {
    const answer = await sendRaw(
      h.gateway.url,
      [head("POST", "/v1/embeddings", ["Content-Length: 99999999999"])],
      { untilFirstResponse: true },
    );
    expect(answer.status).toBe(413);
    expect(rawJsonBody(answer)).toEqual(tooLarge);
  });

  it("chunked, without a content-length", async () => {
    const chunk = `${(16 * 1024).toString(16)}\r\n${"x".repeat(16 * 1024)}\r\n`;
    const answer = await sendRaw(
      h.gateway.url,
      [
        head("POST", "/v1/chat/completions", ["Transfer-Encoding: chunked"]),
        ...Array(5).fill(chunk),
      ],
      { untilFirstResponse: true },
    );
    expect(answer.status).toBe(413);
    expect(rawJsonBody(answer)).toEqual(tooLarge);
  });

  it("a chunked body under the limit is served", async () => {
    const chunked = `${chatBody.length.toString(16)}\r\n${chatBody}\r\n0\r\n\r\n`;
    const answer = await sendRaw(
      h.gateway.url,
      [head("POST", "/v1/chat/completions", ["Transfer-Encoding: chunked"]), chunked],
      { untilFirstResponse: true },
    );
    expect(answer.status).toBe(200);
  });

  it("a content-length shorter than the body: the rest is a broken request, 400 and closed", async () => {
    const answer = await sendRaw(h.gateway.url, [
      head("POST", "/v1/chat/completions", ["Content-Length: 10"]) + chatBody,
    ]);
    expect([answer.status, answer.closedByServer]).toEqual([400, true]);
  });
});

describe("a body the gateway answers without reading (here a 405)", () => {
  /** A socket on the gateway, with everything received so far as latin1 text. */
  function openSocket() {
    const { port, hostname } = new URL(h.gateway.url);
    const socket = connect(Number(port), hostname);
    const state = { text: "", closed: false };
    socket.on("data", (chunk: Buffer) => (state.text += chunk.toString("latin1")));
    socket.on("close", () => (state.closed = true));
    socket.on("error", () => undefined);
    const until = async (done: () => boolean, timeoutMs = 3_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      return done();
    };
    return { socket, state, until };
  }
  const statuses = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);

  it("is dropped when small, and the connection carries the next request", async () => {
    const { socket, state, until } = openSocket();
    const body = "x".repeat(2_000);
    socket.write(
      `${head("PUT", "/v1/chat/completions", ["Content-Length: 2000"])}${body.slice(0, 1_000)}`,
    );
    expect(await until(() => state.text.includes("405 Method Not Allowed"))).toBe(true);
    socket.write(`${body.slice(1_000)}${head("GET", "/healthz")}`);
    expect(await until(() => statuses(state.text).length === 2)).toBe(true);
    expect([statuses(state.text), state.closed]).toEqual([["405", "200"], false]);
    socket.destroy();
  });

  it("is cut off when large: the connection is closed rather than read for ever", async () => {
    const { socket, state, until } = openSocket();
    socket.write(head("PUT", "/v1/chat/completions", ["Content-Length: 1000000000"]));
    const junk = "x".repeat(64 * 1024);
    const startedAt = Date.now();
    const pour = setInterval(() => {
      if (!state.closed) socket.write(junk);
    }, 1);
    const closed = await until(() => state.closed, 5_000);
    clearInterval(pour);
    expect([closed, statuses(state.text)]).toEqual([true, ["405"]]);
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    socket.destroy();
  });
});

describe("absurd headers", () => {
  it.each([
    ["one 100 KB header", [`X-Big: ${"a".repeat(100_000)}`]],
    ["10,000 headers", Array.from({ length: 10_000 }, (_, index) => `X-H${index}: v`)],
  ])("%s → 431 and closed", async (_name, headers) => {
    const answer = await sendRaw(h.gateway.url, [head("GET", "/healthz", headers)]);
    expect(answer.text).toBe(
      "HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n",
    );
    expect(answer.closedByServer).toBe(true);
  });

  it("2,500 small headers under the size limit are served (Node keeps the first 2,000)", async () => {
    const headers = Array.from({ length: 2_500 }, () => "a:b");
    const answer = await sendRaw(h.gateway.url, [head("GET", "/healthz", headers)], {
      untilFirstResponse: true,
    });
    expect(answer.status).toBe(200);
  });

  it("a 15 KB API key → 401 in the OpenAI shape", async () => {
    const response = await fetch(`${h.gateway.url}/v1/models`, {
      headers: { authorization: `Bearer ghu_${"a".repeat(15_000)}` },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: { type: "authentication_error", code: "github_token_rejected", param: null },
    });
  });
});

describe("broken HTTP → Node's 400 and closed", () => {
  it.each([
    ["a garbage request line", "HELLO\r\n\r\n"],
    ["an unknown method", "BREW /v1/models HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["a NUL in a header", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n"],
    [
      "two content-lengths",
      head("POST", "/v1/embeddings", ["Content-Length: 5", "Content-Length: 6"]),
    ],
    [
      "content-length and chunked",
      head("POST", "/v1/embeddings", ["Content-Length: 5", "Transfer-Encoding: chunked"]),
    ],
    ["a negative content-length", head("POST", "/v1/embeddings", ["Content-Length: -1"])],
    [
      "a malformed chunk",
      head("POST", "/v1/embeddings", ["Transfer-Encoding: chunked"]) + "zz\r\nhello\r\n",
    ],
  ])("%s", async (_name, request) => {
    const answer = await sendRaw(h.gateway.url, [request]);
    expect([answer.status, answer.closedByServer]).toEqual([400, true]);
  });
});

describe.concurrent("slow clients are cut off after CLIENT_TIMEOUT", () => {
  it.each([
    ["half its headers", ["POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"]],
    [
      "its headers and half its body",
      [head("POST", "/v1/chat/completions", ["Content-Length: 100"]), '{"model":'],
    ],
    [
      "one chunk of a chunked body",
      [head("POST", "/v1/embeddings", ["Transfer-Encoding: chunked"]), '9\r\n{"input":\r\n'],
    ],
  ])("a client that sends %s and stops → 408 and closed", async (_name, chunks) => {
    const answer = await sendRaw(h.gateway.url, chunks);
    expect(answer.text).toBe("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n");
    expect(answer.closedByServer).toBe(true);
    expect(answer.firstByteMs).toBeGreaterThanOrEqual(CLIENT_TIMEOUT_MS - 50);
    expect(answer.firstByteMs).toBeLessThan(CLIENT_TIMEOUT_MS * 4);
  });

  it("a client that hangs up in the middle of its body is logged as 499, not as an error", async () => {
    const before = h.logs.length;
    const socket = connect(Number(new URL(h.gateway.url).port), "127.0.0.1");
    socket.write(head("POST", "/v1/chat/completions", ["Content-Length: 100"]) + '{"model":');
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await expect
      .poll(() => h.logs.slice(before).join(""))
      .toMatch(
        / POST \/v1\/chat\/completions 499 .*The client's connection ended before the answer/,
      );
  });

  it("stalled clients do not hold up the others", async () => {
    const startedAt = performance.now();
    const stalled = Array.from({ length: 50 }, () =>
      sendRaw(h.gateway.url, [head("POST", "/v1/embeddings", ["Content-Length: 100"]), "{"]),
    );
    const response = await fetch(`${h.gateway.url}/v1/embeddings`, {
      method: "POST",
      headers: { authorization: AUTHORIZATION },
      body: JSON.stringify({ model: "text-embedding-3-small", input: "hi" }),
    });
    expect(response.status).toBe(200);
    const answeredAfter = performance.now() - startedAt;
    const answers = await Promise.all(stalled);
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(408));
    // Served while the stalled clients were still waiting to be cut off.
    expect(answeredAfter).toBeLessThan(Math.min(...answers.map((answer) => answer.firstByteMs)));
  });
});
