import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness, type HarnessOptions } from "./harness.js";

const hello = { model: "gpt-4o", messages: [{ role: "user" as const, content: "hi" }] };

function chatRequests(h: Harness) {
  return h.fake.requests.filter((r) => r.server === "copilot" && r.path === "/chat/completions");
}

async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

describe("retries before anything reached the client", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { RETRIES: "2", RETRY_BUDGET: "5s" } });
    await h.openai().models.list();
  });
  afterAll(async () => {
    await h.close();
  });
  afterEach(() => {
    h.fake.reset();
  });

  it.each([500, 502, 503])("retries a %i and succeeds", async (status) => {
    h.fake.injectFault({ path: "/chat/completions", status, body: "oops" });
    const completion = await h.openai().chat.completions.create(hello);
    expect(completion.choices[0]?.message.content).toBe("Hello from gpt-4o! You said: hi");
    expect(chatRequests(h).length).toBe(2);
  });

  it("retries a connection reset, streamed too", async () => {
    h.fake.injectFault({ path: "/chat/completions", reset: true });
    const stream = await h.openai().chat.completions.create({ ...hello, stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hello from gpt-4o! You said: hi");
    expect(chatRequests(h).length).toBe(2);
  });

  it("gives up after RETRIES with the upstream status and message", async () => {
    h.fake.injectFault({
      path: "/chat/completions",
      status: 503,
      body: '{"error":{"message":"Service busy","code":"overloaded"}}',
      times: 3,
    });
    const error = await failure(h.openai().chat.completions.create(hello));
    expect([error.status, error.error]).toEqual([
      503,
      { message: "Service busy", type: "upstream_error", code: "overloaded", param: null },
    ]);
    expect(chatRequests(h).length).toBe(3);
  });

  it("does not retry a 4xx", async () => {
    h.fake.injectFault({ path: "/chat/completions", status: 400, body: "bad request: nope" });
    const error = await failure(h.openai().chat.completions.create(hello));
    expect(error.status).toBe(400);
    expect(chatRequests(h).length).toBe(1);
  });

  it("passes a 429 on with retry-after, untried (RATE_LIMIT_WAIT is off)", async () => {
    h.fake.injectFault({
      path: "/chat/completions",
      status: 429,
      body: "rate limit exceeded\n",
      headers: { "retry-after": "1" },
    });
    const error = await failure(h.openai().chat.completions.create(hello));
    expect([error.status, error.headers?.get("retry-after"), error.error]).toEqual([
      429,
      "1",
      {
        message: "rate limit exceeded",
        type: "rate_limit_error",
        code: "rate_limited",
        param: null,
      },
    ]);
    expect(chatRequests(h).length).toBe(1);
  });

  it("never retries once bytes reached the client: a broken stream is an error event", async () => {
    h.fake.injectFault({ path: "/chat/completions", dropAfterChunks: 2 });
    const stream = await h.openai().chat.completions.create({ ...hello, stream: true });
    const error = await (async () => {
      for await (const _chunk of stream) {
        // read until it breaks
      }
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toMatch(/^The upstream stream broke off/);
    expect(chatRequests(h).length).toBe(1);
  });

  it("retries a failed token exchange", async () => {
    h.fake.addAccount("ghu_SecondAccountForRetries0000000000000");
    h.fake.injectFault({
      path: "/copilot_internal/v2/token",
      status: 502,
      body: "<html>bad gateway</html>",
    });
    const completion = await h
      .openai("ghu_SecondAccountForRetries0000000000000")
      .chat.completions.create(hello);
    expect(completion.choices[0]?.message.content).toBe("Hello from gpt-4o! You said: hi");
    const exchanges = h.fake.requests.filter(
      (r) =>
        r.path === "/copilot_internal/v2/token" &&
        r.headers.authorization?.endsWith("ghu_SecondAccountForRetries0000000000000") === true,
    );
    expect(exchanges.length).toBe(2);
  });
});

describe("waiting out a short 429", () => {
  it("waits and retries once when retry-after is within RATE_LIMIT_WAIT", async () => {
    const h = await startHarness({ env: { RATE_LIMIT_WAIT: "2s" } });
    try {
      h.fake.injectFault({
        path: "/chat/completions",
        status: 429,
        body: "slow down",
        headers: { "retry-after": "1" },
      });
      const started = Date.now();
      const completion = await h.openai().chat.completions.create(hello);
      expect(completion.choices[0]?.message.content).toBe("Hello from gpt-4o! You said: hi");
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      h.fake.injectFault({
        path: "/chat/completions",
        status: 429,
        body: "slow down",
        headers: { "retry-after": "30" },
      });
      const error = await failure(h.openai().chat.completions.create(hello));
      expect(error.status).toBe(429);
    } finally {
      await h.close();
    }
  });
});

describe("timeouts", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  async function start(options: HarnessOptions) {
    h = await startHarness(options);
    return h;
  }

  it("ends a stream that stalls longer than IDLE_TIMEOUT with an error event", async () => {
    const harness = await start({ env: { IDLE_TIMEOUT: "300ms" }, fake: { chunkDelayMs: 1500 } });
    const stream = await harness.openai().chat.completions.create({ ...hello, stream: true });
    const started = Date.now();
    const error = await (async () => {
      for await (const _chunk of stream) {
        // read until it breaks
      }
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe("The upstream stream broke off: the response stalled");
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it("answers 502 after the retries when Copilot refuses connections", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const harness = await start({
      env: { COPILOT_API_URL: `http://127.0.0.1:${port}`, RETRY_BUDGET: "1s" },
    });
    const error = await failure(harness.openai().models.list());
    expect([error.status, error.error]).toEqual([
      502,
      {
        message: `Cannot reach Copilot at 127.0.0.1:${port}: ECONNREFUSED`,
        type: "api_connection_error",
        code: null,
        param: null,
      },
    ]);
  });
});

describe("a client that goes away", () => {
  let upstream: Server;
  let closedAfterMs: number | undefined;
  let upstreamUrl: string;
  beforeAll(async () => {
    // A slow Copilot that streams forever and notes when the gateway hangs up on it.
    upstream = createServer((req, res) => {
      if (req.url === "/models") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ data: [{ id: "gpt-4o", capabilities: { type: "chat" } }] }));
        return;
      }
      const opened = Date.now();
      res.writeHead(200, { "content-type": "text/event-stream" });
      const timer = setInterval(() => {
        res.write(`data: {"choices":[{"index":0,"delta":{"content":"tick "}}]}\n\n`);
      }, 50);
      res.on("close", () => {
        clearInterval(timer);
        closedAfterMs = Date.now() - opened;
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    upstream.closeAllConnections();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it("aborts the upstream request at once", async () => {
    const h = await startHarness({ env: { COPILOT_API_URL: upstreamUrl } });
    try {
      const controller = new AbortController();
      const stream = await h
        .openai(FAKE_GITHUB_TOKEN)
        .chat.completions.create({ ...hello, stream: true }, { signal: controller.signal });
      let chunks = 0;
      const abortedAt = await (async () => {
        try {
          for await (const _chunk of stream) {
            if (++chunks === 3) {
              controller.abort();
              return Date.now();
            }
          }
        } catch {
          // the SDK reports the abort
        }
        return Date.now();
      })();
      const deadline = Date.now() + 2000;
      while (closedAfterMs === undefined && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(closedAfterMs).toBeDefined();
      expect(Date.now() - abortedAt).toBeLessThan(500);
    } finally {
      await h.close();
    }
  });
});

describe("graceful shutdown", () => {
  it("lets a stream in flight finish, then stops", async () => {
    const h = await startHarness({ fake: { chunkDelayMs: 60 } });
    try {
      const stream = await h.openai().chat.completions.create({ ...hello, stream: true });
      let closed = false;
      let text = "";
      for await (const chunk of stream) {
        if (text === "") {
          void h.gateway.close().then(() => (closed = true));
        }
        text += chunk.choices[0]?.delta.content ?? "";
      }
      expect(text).toBe("Hello from gpt-4o! You said: hi");
      await h.gateway.close();
      expect(closed).toBe(true);
      await expect(fetch(`${h.gateway.url}/healthz`)).rejects.toThrow();
    } finally {
      await h.fake.close();
    }
  });
});
