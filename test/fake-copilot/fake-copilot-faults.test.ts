import { readFileSync } from "node:fs";
import { join } from "node:path";
import { request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseFakeCopilotArguments } from "./cli-options.js";
import type { FakeCopilot } from "./fake-copilot.js";
import {
  FAKE_GITHUB_TOKEN,
  fakeCopilotHeaders,
  fetchFakeCopilotToken,
  startFakeCopilot,
} from "./fake-copilot.js";
import { locateFixturesDir } from "./fixtures.js";

const fixture = (path: string): string => readFileSync(join(locateFixturesDir(), path), "utf8");
const CHAT = { model: "gpt-4o", stream: true, messages: [{ role: "user", content: "hi" }] };
let fake: FakeCopilot;
let headers: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeCopilot({ now: () => Date.UTC(2026, 0, 1) });
  headers = fakeCopilotHeaders(await fetchFakeCopilotToken(fake));
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** Reads what arrives, keeping the text received before a connection loss. */
async function send(path: string, body?: unknown, extraHeaders: Record<string, string> = {}) {
  const response = await request(`${fake.copilotUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { ...headers, ...extraHeaders },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  let text = "";
  let failed = false;
  try {
    for await (const chunk of response.body) text += (chunk as Buffer).toString("utf8");
  } catch {
    failed = true;
  }
  return { status: response.statusCode, headers: response.headers, text, failed };
}

describe("faults", () => {
  it("answers queued status faults in FIFO order, `times` each, then normally", async () => {
    fake.injectFault({
      path: "/models",
      status: 429,
      body: '{"error":{"message":"slow down","code":"rate_limited"}}',
      headers: { "retry-after": "7" },
      times: 2,
    });
    fake.injectFault({ path: "/models", status: 502, body: "bad gateway" });
    const answers = [await send("/models"), await send("/models"), await send("/models")];
    expect(
      answers.map((answer) => [answer.status, answer.headers["retry-after"], answer.text]),
    ).toEqual([
      [429, "7", '{"error":{"message":"slow down","code":"rate_limited"}}'],
      [429, "7", '{"error":{"message":"slow down","code":"rate_limited"}}'],
      [502, undefined, "bad gateway"],
    ]);
    expect(answers.map((answer) => answer.headers["content-type"])).toEqual([
      "application/json",
      "application/json",
      "text/plain; charset=utf-8",
    ]);
    expect((await send("/models")).status).toBe(200);
  });

  it("resets the connection, or drops a stream after N events", async () => {
    fake.injectFault({ path: "/chat/completions", reset: true });
    await expect(send("/chat/completions", CHAT)).rejects.toThrow();
    fake.injectFault({ path: "/chat/completions", dropAfterChunks: 2 });
    const dropped = await send("/chat/completions", CHAT);
    fake.reset(); // restarts the completion ids, so both answers are byte-identical
    const complete = await send("/chat/completions", CHAT);
    const events = complete.text.split(/(?<=\n\n)/);
    expect([dropped.status, dropped.failed, complete.failed]).toEqual([200, true, false]);
    expect(dropped.text).toBe(events.slice(0, 2).join(""));
    expect(events.at(-1)).toBe("data: [DONE]\n\n");
  });

  it("delays before answering normally, and faults GitHub paths too", async () => {
    fake.injectFault({ path: "/models", delayMs: 150 });
    const started = performance.now();
    expect((await send("/models")).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    fake.injectFault({ path: "/copilot_internal/v2/token", status: 500, body: "{}" });
    await expect(fetchFakeCopilotToken(fake)).rejects.toThrow(
      "fake token exchange answered 500: {}",
    );
  });
});

describe("replayNext", () => {
  it("replays recorded SSE bytes exactly, once, after the token checks", async () => {
    const recording = "chat/chat-stream.gpt-4o-mini.2025-01-11.sse";
    fake.replayNext("/chat/completions", recording);
    const refused = await send("/chat/completions", CHAT, { authorization: "Bearer bogus" });
    const replayed = await send("/chat/completions", CHAT);
    expect([refused.status, replayed.status, replayed.text]).toEqual([
      401,
      200,
      fixture(recording),
    ]);
    expect(replayed.headers["content-type"]).toBe("text/event-stream");
    expect(replayed.headers["x-quota-snapshot-premium_interactions"]).toBe(
      "ent=300&ov=0.0&ovPerm=false&rem=88.5&rst=2026-02-01T00%3A00%3A00Z",
    );
    expect((await send("/chat/completions", CHAT)).text).not.toBe(fixture(recording));
  });

  it("replays JSON on any path, even one the fake does not route", async () => {
    const recording = "responses/responses.gpt-5.1.simple.2026-03.json";
    fake.replayNext("/v1/unrouted", recording);
    const replayed = await send("/v1/unrouted", { model: "gpt-5.1", input: "hi" });
    expect([replayed.status, replayed.headers["content-type"], replayed.text]).toEqual([
      200,
      "application/json",
      fixture(recording),
    ]);
    expect((await send("/v1/unrouted", { model: "gpt-5.1" })).status).toBe(404);
  });
});

describe("recording and lifecycle", () => {
  it("records both servers' requests without the query, and reset() forgets them", async () => {
    const served = (await send("/models?refresh=1")).text;
    const recorded = fake.requests.at(-1);
    expect(recorded && { ...recorded, headers: recorded.headers["editor-version"] }).toEqual({
      server: "copilot",
      method: "GET",
      path: "/models",
      headers: "vscode/1.104.3",
      body: "",
    });
    fake.injectFault({ path: "/models", status: 500, body: "x" });
    fake.replayNext("/models", "errors/402.quota_exceeded.body.txt");
    fake.reset();
    expect(fake.requests).toEqual([]);
    expect((await send("/models")).text).toBe(served);
  });

  it("spaces stream events by chunkDelayMs and overlaps delayed token exchanges", async () => {
    const slow = await startFakeCopilot({
      chunkDelayMs: 40,
      streamChunks: 1,
      tokenExchangeDelayMs: 100,
      recordRequests: false,
    });
    try {
      const exchanges = [fetchFakeCopilotToken(slow), fetchFakeCopilotToken(slow)];
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
      expect(slow.tokenExchangeCount(FAKE_GITHUB_TOKEN)).toBe(2);
      const [token] = await Promise.all(exchanges);
      const started = performance.now();
      const response = await request(`${slow.copilotUrl}/chat/completions`, {
        method: "POST",
        headers: fakeCopilotHeaders(token ?? ""),
        body: JSON.stringify(CHAT),
      });
      const arrivals: number[] = [];
      for await (const _chunk of response.body) arrivals.push(performance.now() - started);
      // Five events (filter, role, content, finish, [DONE]) with four 40 ms gaps between them;
      // reads may merge two events, and timers fire to the millisecond only: 140 of the 160 ms.
      expect(arrivals.length).toBeGreaterThanOrEqual(2);
      expect((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(140);
      expect(slow.requests).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  it("spaces a scripted answer's events by its own chunkDelayMs, on every streamed route", async () => {
    const bodies = {
      "/chat/completions": CHAT,
      "/responses": { model: "gpt-5.4", stream: true, input: "hi" },
      "/v1/messages": {
        model: "claude-sonnet-4",
        stream: true,
        max_tokens: 100,
        messages: [{ role: "user", content: "hi" }],
      },
    } as const;
    for (const [route, body] of Object.entries(bodies)) {
      fake.scriptNext(route as keyof typeof bodies, { text: "one two three", chunkDelayMs: 30 });
      const started = performance.now();
      const response = await request(`${fake.copilotUrl}${route}`, {
        method: "POST",
        headers: { ...headers, "anthropic-version": "2023-06-01" },
        body: JSON.stringify(body),
      });
      let text = "";
      for await (const chunk of response.body) text += String(chunk);
      const events = text.split("\n\n").filter((event) => event.trim() !== "").length;
      // Every event after the first waits 30 ms (timers fire to the millisecond: allow 2 each).
      expect(performance.now() - started, route).toBeGreaterThanOrEqual((events - 1) * 28);
      expect(text, route).toContain("three");
    }
    // The next answer, unscripted, is written at the fake's own pace (none).
    const started = performance.now();
    await send("/chat/completions", CHAT);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("parses the CLI flags", () => {
    expect(
      parseFakeCopilotArguments([
        "--port-github",
        "4010",
        "--port-copilot",
        "4011",
        "--chunk-delay-ms",
        "5",
        "--stream-chunks",
        "20",
        "--min-api-version",
        "2025-05-01",
      ]),
    ).toEqual({
      githubPort: 4010,
      copilotPort: 4011,
      chunkDelayMs: 5,
      streamChunks: 20,
      minApiVersion: "2025-05-01",
    });
    expect(() => parseFakeCopilotArguments(["--stream-chunks", "many"])).toThrow(
      "--stream-chunks: not a whole number: many",
    );
  });
});
