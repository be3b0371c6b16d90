import { connect, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import {
  FAKE_GITHUB_TOKEN,
  startFakeCopilot,
  type FakeCopilot,
} from "../fake-copilot/fake-copilot.js";
import { startGatewayProcess, type GatewayProcess } from "./gateway-process.js";
import { startHarness, type Harness } from "./harness.js";

const OTHER_TOKEN = "ghu_other_fairness_0123456789";

function chatBody(stream: boolean, words = 3): string {
  return JSON.stringify({
    model: "gpt-4o",
    stream,
    messages: [{ role: "user", content: Array.from({ length: words }, () => "hi").join(" ") }],
  });
}

/** A request on a raw socket: resolves with the status line once the answer's head arrived. */
function openStream(url: string, path: string, body: string, token = FAKE_GITHUB_TOKEN) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.on("error", () => {});
  socket.write(
    `POST ${path} HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: Bearer ${token}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  let received = "";
  const head = new Promise<string>((resolve) => {
    socket.on("data", (chunk: Buffer) => {
      if (received.length < 4096) received += chunk.toString("latin1");
      const end = received.indexOf("\r\n\r\n");
      if (end !== -1) resolve(received.slice(0, end));
    });
    socket.on("close", () => resolve(received));
  });
  return { socket, head };
}

async function post(url: string, path: string, body: string, token = FAKE_GITHUB_TOKEN) {
  const response = await fetch(`${url}${path}`, {
    // A request stuck in a queue fails the test in seconds rather than at the test's timeout.
    signal: AbortSignal.timeout(5_000),
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      "anthropic-version": "2023-06-01",
    },
    body,
  });
  const answer: unknown = await response.json();
  return { status: response.status, headers: response.headers, body: answer };
}

describe("limits on requests in progress", () => {
  let harness: Harness | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await harness?.close();
    harness = undefined;
  });

  it("past UPSTREAM_CONCURRENCY answers 503 with Retry-After at once, in each route's dialect", async () => {
    // Streams of 20 words, one a second: they hold their slots for the whole test.
    harness = await startHarness({
      fake: { chunkDelayMs: 1_000 },
      env: { UPSTREAM_CONCURRENCY: "2", LOG_LEVEL: "warn" },
    });
    const url = harness.gateway.url;
    for (let index = 0; index < 2; index++) {
      const stream = openStream(url, "/v1/chat/completions", chatBody(true, 20));
      sockets.push(stream.socket);
      expect((await stream.head).split("\r\n")[0]).toBe("HTTP/1.1 200 OK");
    }
    const started = performance.now();
    const openai = await post(url, "/v1/chat/completions", chatBody(false), OTHER_TOKEN);
    const anthropic = await post(
      url,
      "/v1/messages",
      JSON.stringify({
        model: "claude-sonnet-4",
        max_tokens: 10,
        messages: [{ role: "user", content: "hi" }],
      }),
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    const message =
      "The gateway is serving its limit of 2 requests at once (UPSTREAM_CONCURRENCY); try again in 5 s";
    expect([openai.status, openai.headers.get("retry-after"), openai.body]).toEqual([
      503,
      "5",
      { error: { message, type: "server_error", code: "server_busy", param: null } },
    ]);
    expect([anthropic.status, anthropic.headers.get("retry-after"), anthropic.body]).toEqual([
      503,
      "5",
      { type: "error", error: { type: "overloaded_error", message } },
    ]);
  });

  it("a credential at CREDENTIAL_CONCURRENCY waits at most QUEUE_TIMEOUT; others pass meanwhile", async () => {
    harness = await startHarness({
      fake: { chunkDelayMs: 1_000, accounts: { [FAKE_GITHUB_TOKEN]: {}, [OTHER_TOKEN]: {} } },
      env: { CREDENTIAL_CONCURRENCY: "2", QUEUE_TIMEOUT: "300ms", LOG_LEVEL: "warn" },
    });
    const url = harness.gateway.url;
    for (let index = 0; index < 2; index++) {
      const stream = openStream(url, "/v1/chat/completions", chatBody(true, 20));
      sockets.push(stream.socket);
      expect((await stream.head).split("\r\n")[0]).toBe("HTTP/1.1 200 OK");
    }

    const other = await post(url, "/v1/chat/completions", chatBody(false), OTHER_TOKEN);
    expect(other.status).toBe(200);

    const started = performance.now();
    const [openai, anthropic] = await Promise.all([
      post(url, "/v1/chat/completions", chatBody(false)),
      post(
        url,
        "/v1/messages",
        JSON.stringify({
          model: "claude-sonnet-4",
          max_tokens: 10,
          messages: [{ role: "user", content: "hi" }],
        }),
      ),
    ]);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(2_000);
    const message =
      "This credential's 2 requests in progress (CREDENTIAL_CONCURRENCY) freed no slot within 300 ms (QUEUE_TIMEOUT); try again in 5 s";
    expect([openai.status, openai.headers.get("retry-after"), openai.body]).toEqual([
      503,
      "5",
      { error: { message, type: "server_error", code: "queue_timeout", param: null } },
    ]);
    expect([anthropic.status, anthropic.headers.get("retry-after"), anthropic.body]).toEqual([
      503,
      "5",
      { type: "error", error: { type: "overloaded_error", message } },
    ]);
  });
});

describe("a plain request while 1,030 slow streams are open", () => {
  const STREAMS = 1_030;
  let fake: FakeCopilot | undefined;
  let gateway: GatewayProcess | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await gateway?.close();
    await fake?.close();
  });

  it("is answered in under 1 s: requests never wait in the upstream pool's queue", async () => {
    // Each stream sends a word every 2 s for 60 s: all of them are open while the request runs.
    fake = await startFakeCopilot({ chunkDelayMs: 2_000, recordRequests: false });
    gateway = await startGatewayProcess(fake, {
      LOG_LEVEL: "info",
      UPSTREAM_CONCURRENCY: "1100",
      CREDENTIAL_CONCURRENCY: "1100",
    });
    const heads: Promise<string>[] = [];
    for (let index = 0; index < STREAMS; index++) {
      const stream = openStream(gateway.url, "/v1/chat/completions", chatBody(true, 30));
      sockets.push(stream.socket);
      heads.push(stream.head);
      // Opened in small batches, so no listen backlog overflows.
      if (index % 50 === 49) await sleep(25);
    }
    let answered = 0;
    for (const head of heads) void head.then(() => answered++);
    // Every stream that can get its answer's head has it within seconds; before the fix the
    // last six waited in undici's queue for a connection.
    const deadline = Date.now() + 20_000;
    while (answered < STREAMS && Date.now() < deadline) await sleep(100);
    expect(answered).toBeGreaterThanOrEqual(1_024);

    const started = performance.now();
    const plain = await post(gateway.url, "/v1/chat/completions", chatBody(false));
    const elapsed = performance.now() - started;
    expect(plain.status).toBe(200);
    expect(elapsed).toBeLessThan(1_000);
    expect(answered).toBe(STREAMS);
  }, 60_000);
});
