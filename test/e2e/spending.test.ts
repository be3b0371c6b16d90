import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import BetterSqlite3 from "better-sqlite3";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSqliteKeyStore } from "../../src/keys/sqlite-key-store.js";
import type { KeyStore } from "../../src/keys/managed-key.js";
import { openDatabase, type SqlDatabase } from "../../src/store/database.js";
import { SCHEMA_VERSION } from "../../src/store/migrations.js";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness } from "./harness.js";

/**
 * Issue: credits and limits. The gateway against the fake upstream, which bills every answer in
 * nano-credits and refuses for Copilot's limits on command; the official SDKs as clients; the
 * ledger read from the database file the gateway writes.
 */

let h: Harness;
let db: SqlDatabase;
let keys: KeyStore;

beforeAll(async () => {
  h = await startHarness({
    // Streams whose client leaves are read on for Copilot's own figure (the default lets go).
    env: { GITHUB_TOKEN: FAKE_GITHUB_TOKEN, LOG_LEVEL: "info", ABORTED_STREAM_WAIT: "10s" },
  });
  // The owner's side: another connection to the same file, as `cogpt keys` would open it.
  db = openDatabase(h.cachePath);
  keys = createSqliteKeyStore(db);
});

afterAll(async () => {
  db.close();
  await h.close();
});

beforeEach(() => {
  h.fake.reset();
});

interface LedgerRow {
  readonly request_id: string;
  readonly key_name: string;
  readonly dialect: string;
  readonly endpoint: string | null;
  readonly model_used: string | null;
  readonly status: number;
  readonly stream: number;
  readonly complete: number;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly nano_credits: number;
  readonly credits_source: string;
  readonly fallback_from: string | null;
}

/** The ledger rows of one key, once the gateway has written what it queued (restart flushes). */
async function ledgerOf(keyName: string): Promise<LedgerRow[]> {
  await h.restart();
  return db.prepare<LedgerRow>("SELECT * FROM ledger WHERE key_name = ? ORDER BY id").all(keyName);
}

function openai(apiKey: string): OpenAI {
  return new OpenAI({ apiKey, baseURL: `${h.gateway.url}/v1`, maxRetries: 0 });
}

function anthropic(apiKey: string): Anthropic {
  return new Anthropic({ apiKey, baseURL: h.gateway.url, maxRetries: 0 });
}

/** Streams a long story from gpt-4o and leaves after `chunks` chunks (the SDK closes the connection). */
async function leaveStoryAfter(chat: OpenAI, chunks: number): Promise<void> {
  const stream = await chat.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "tell me a long story" }],
    stream: true,
  });
  let seen = 0;
  for await (const chunk of stream) {
    void chunk;
    if (++seen === chunks) break;
  }
}

/** Resolves once `done()` holds, polling every 10 ms; fails after 10 s. */
async function waitFor(done: () => boolean): Promise<void> {
  for (const started = Date.now(); !done();) {
    if (Date.now() - started > 10_000) throw new Error("waitFor: timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function newKey(name: string, limits: Parameters<KeyStore["create"]>[0] = { name }): string {
  return keys.create({ ...limits, name }).secret;
}

describe("the ledger", () => {
  it("equals what Copilot billed, to the nano-credit, over every API, stream and translation", async () => {
    const secret = newKey("mixed");
    const chat = openai(secret);
    const messages = anthropic(secret);
    const prompt = [{ role: "user" as const, content: "count the letters of strawberry" }];

    const whole = await chat.chat.completions
      .create({ model: "gpt-4o", messages: prompt })
      .withResponse();
    const streamed = await chat.chat.completions.create({
      model: "claude-sonnet-4.6",
      messages: prompt,
      stream: true,
      stream_options: { include_usage: true },
    });
    let streamedCost: unknown;
    for await (const chunk of streamed) {
      const extra = chunk as unknown as { copilot_usage?: unknown };
      if (extra.copilot_usage !== undefined) streamedCost = extra.copilot_usage;
    }
    await chat.responses.create({ model: "gpt-5.4", input: "hello there" });
    const responsesStream = await chat.responses.create({
      model: "gpt-5.4",
      input: "hello again",
      stream: true,
    });
    for await (const event of responsesStream) void event;
    await messages.messages.create({
      model: "claude-sonnet-4.6",
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }],
    });
    // Translated: an Anthropic client on a Responses-only model, streamed.
    const translated = messages.messages.stream({
      model: "gpt-5.4",
      max_tokens: 100,
      messages: [{ role: "user", content: "hi from claude code" }],
    });
    let translatedDelta: unknown;
    for await (const event of translated) {
      if (event.type === "message_delta") translatedDelta = event;
    }
    // Aborted by its client after the first chunk: read on for Copilot's figure (10 s at most).
    h.fake.scriptNext("/chat/completions", { text: "word ".repeat(60), chunkDelayMs: 5 });
    await leaveStoryAfter(chat, 1);
    await waitFor(() => h.fake.billing.length === 7);

    const billed = [...h.fake.billing];
    const rows = await ledgerOf("mixed");
    expect(rows).toHaveLength(7);
    expect(billed).toHaveLength(7);
    expect(rows.map((row) => row.credits_source)).toEqual(Array(7).fill("copilot"));
    expect(rows[6]).toMatchObject({ stream: 1, complete: 0 });
    expect(rows.map((row) => row.nano_credits)).toEqual(billed.map((bill) => bill.nanoAiu));
    expect(rows.map((row) => row.model_used)).toEqual(billed.map((bill) => bill.model));
    // The client sees the same figure: in headers for a whole answer, untouched in a stream.
    expect(whole.response.headers.get("x-cogpt-credits-source")).toBe("copilot");
    expect(Math.round(Number(whole.response.headers.get("x-cogpt-credits")) * 1e9)).toBe(
      billed[0]?.nanoAiu,
    );
    expect((streamedCost as { total_nano_aiu: number }).total_nano_aiu).toBe(billed[1]?.nanoAiu);
    expect(
      (translatedDelta as { copilot_usage: { total_nano_aiu: number } }).copilot_usage
        .total_nano_aiu,
    ).toBe(billed[5]?.nanoAiu);
  });

  it("reads on a stream the client aborts for Copilot's own figure, with ABORTED_STREAM_WAIT", async () => {
    const slow = await startHarness({
      fake: { chunkDelayMs: 10 },
      env: { GITHUB_TOKEN: FAKE_GITHUB_TOKEN, LOG_LEVEL: "info", ABORTED_STREAM_WAIT: "10s" },
    });
    const slowDb = openDatabase(slow.cachePath);
    try {
      const secret = createSqliteKeyStore(slowDb).create({ name: "read-on" }).secret;
      const chat = new OpenAI({ apiKey: secret, baseURL: `${slow.gateway.url}/v1`, maxRetries: 0 });
      slow.fake.scriptNext("/chat/completions", { text: "word ".repeat(80) });
      await leaveStoryAfter(chat, 5); // of ~80 chunks
      // The gateway reads the rest of Copilot's stream, so Copilot finishes (and bills) it; a
      // shutdown meanwhile waits for that (within its grace), so the row is written.
      await slow.gateway.close();
      expect(slow.fake.billing).toHaveLength(1);
      const rows = slowDb
        .prepare<LedgerRow>("SELECT * FROM ledger WHERE key_name = ? ORDER BY id")
        .all("read-on");
      const billed = slow.fake.billing[0];
      expect(billed?.complete).toBe(true);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        stream: 1,
        complete: 0,
        credits_source: "copilot",
        nano_credits: billed?.nanoAiu,
        output_tokens: billed?.outputTokens,
      });
    } finally {
      slowDb.close();
      await slow.close();
    }
  });

  it("records a stream the client aborts, with what it used, as an estimate", async () => {
    // A fake whose streams take their time, so the client can leave in the middle.
    const slow = await startHarness({
      fake: { chunkDelayMs: 20 },
      env: { GITHUB_TOKEN: FAKE_GITHUB_TOKEN, LOG_LEVEL: "info" },
    });
    const slowDb = openDatabase(slow.cachePath);
    try {
      const secret = createSqliteKeyStore(slowDb).create({ name: "aborted" }).secret;
      const chat = new OpenAI({ apiKey: secret, baseURL: `${slow.gateway.url}/v1`, maxRetries: 0 });
      // Prices learned from a whole answer of the model first.
      await chat.chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "hi" }],
      });
      slow.fake.scriptNext("/chat/completions", { text: "word ".repeat(200) });
      await leaveStoryAfter(chat, 5);
      // The gateway hears of it, lets Copilot go, and accounts the stream.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await slow.gateway.close();
      const rows = slowDb
        .prepare<LedgerRow>("SELECT * FROM ledger WHERE key_name = ? ORDER BY id")
        .all("aborted");
      expect(rows).toHaveLength(2);
      const cut = rows[1];
      expect(cut).toMatchObject({ stream: 1, complete: 0, credits_source: "estimate" });
      expect(cut?.output_tokens).toBeGreaterThanOrEqual(4);
      expect(cut?.nano_credits).toBeGreaterThan(0);
      const billedCut = slow.fake.billing[1];
      expect(billedCut?.complete).toBe(false);
      // One token per event seen: close to what Copilot produced before the cut.
      expect(
        Math.abs((cut?.output_tokens ?? 0) - (billedCut?.outputTokens ?? 0)),
      ).toBeLessThanOrEqual(2);
    } finally {
      slowDb.close();
      await slow.close();
    }
  });
});

describe("budgets", () => {
  it("stops a key at its budget under 20 concurrent requests, overspending at most what was in flight", async () => {
    // One answer of gpt-4o costs the same each time (same prompt, same answer).
    const probe = newKey("probe");
    const one = await openai(probe)
      .chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    const cost = Math.round(Number(one.response.headers.get("x-cogpt-credits")) * 1e9);
    expect(cost).toBeGreaterThan(0);
    const budget = cost * 10;
    const secret = newKey("capped", { name: "capped", nanoCreditsPerDay: budget });
    const client = openai(secret);
    let refused: InstanceType<typeof OpenAI.APIError> | undefined;
    for (let round = 0; round < 5 && refused === undefined; round += 1) {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () =>
          client.chat.completions.create({
            model: "gpt-4o",
            messages: [{ role: "user", content: "hi" }],
          }),
        ),
      );
      for (const result of results) {
        if (result.status === "rejected") refused ??= result.reason as typeof refused;
      }
    }
    expect(refused?.status).toBe(429);
    expect(refused?.type).toBe("insufficient_quota");
    expect(refused?.code).toBe("insufficient_quota");
    const rows = await ledgerOf("capped");
    const spent = rows.reduce((total, row) => total + row.nano_credits, 0);
    const answered = rows.filter((row) => row.status === 200).length;
    // Never more than the budget plus the requests that were in flight when it was reached.
    expect(spent).toBeGreaterThanOrEqual(budget);
    expect(spent).toBeLessThanOrEqual(budget + 20 * cost);
    expect(answered).toBeLessThanOrEqual(10 + 20);

    // After it (and a restart), every request is refused at once, with the reset and the
    // amounts named.
    const after = await openai(secret)
      .chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error as InstanceType<typeof OpenAI.APIError>);
    expect(after).toBeInstanceOf(OpenAI.APIError);
    const error = after as InstanceType<typeof OpenAI.APIError>;
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    const retryAfter = Number(error.headers?.get("retry-after"));
    expect(Math.abs(retryAfter - (midnight.getTime() - Date.now()) / 1000)).toBeLessThan(5);
    expect(error.message).toContain(`Key "capped" has used`);
    expect(error.message).toContain(`the budget resets at ${midnight.toISOString()}`);
    // Anthropic clients get Anthropic's shape for the same refusal.
    const anthropicError = await anthropic(secret)
      .messages.create({
        model: "gpt-4o",
        max_tokens: 10,
        messages: [{ role: "user", content: "hi" }],
      })
      .catch((thrown: unknown) => thrown as InstanceType<typeof Anthropic.APIError>);
    expect(anthropicError).toBeInstanceOf(Anthropic.RateLimitError);
    expect(
      (anthropicError as unknown as { error: { error: { type: string } } }).error.error.type,
    ).toBe("rate_limit_error");
  });

  it("limits requests per minute and concurrency, and the models a key may use", async () => {
    const secret = newKey("narrow", {
      name: "narrow",
      requestsPerMinute: 2,
      models: ["gpt-4*"],
    });
    const client = openai(secret);
    const ask = (model: string) =>
      client.chat.completions
        .create({ model, messages: [{ role: "user", content: "hi" }] })
        .then(() => 200)
        .catch((error: InstanceType<typeof OpenAI.APIError>) => `${error.status} ${error.code}`);
    expect(await ask("claude-sonnet-4.6")).toBe("403 model_not_allowed");
    expect(await ask("gpt-4o")).toBe(200);
    expect(await ask("gpt-4o")).toBe("429 rate_limit_exceeded");
  });
});

describe("revoked and expired keys", () => {
  it("get 401 at once, streams included", async () => {
    const secret = newKey("short-lived");
    const client = openai(secret);
    await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
    keys.revoke("short-lived");
    const refused = await client.chat.completions
      .create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }], stream: true })
      .catch((error: InstanceType<typeof OpenAI.APIError>) => error);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).code).toBe("key_revoked");

    const expiring = newKey("expired", { name: "expired", expiresAt: Date.now() + 60_000 });
    keys.update("expired", { expiresAt: Date.now() - 1 });
    const expired = await openai(expiring)
      .chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
      .catch((error: InstanceType<typeof OpenAI.APIError>) => error);
    expect((expired as InstanceType<typeof OpenAI.APIError>).code).toBe("key_expired");
  });
});

describe("the database", () => {
  it("opens a cache file of the previous version and upgrades it in place", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "cogpt-old-db-")), "cache.sqlite3");
    // What the previous release created: two tables, no schema version.
    const old = new BetterSqlite3(path);
    old.exec(
      "CREATE TABLE copilot_tokens (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL);" +
        "CREATE TABLE thinking_signatures (hash TEXT PRIMARY KEY, model TEXT NOT NULL, account TEXT NOT NULL);" +
        "INSERT INTO thinking_signatures VALUES ('h1', 'claude-sonnet-4.6', 'a1');",
    );
    old.close();
    const upgraded = await startHarness({
      env: { GITHUB_TOKEN: FAKE_GITHUB_TOKEN, CACHE_PATH: path, LOG_LEVEL: "info" },
    });
    const file = openDatabase(path);
    try {
      const secret = createSqliteKeyStore(file).create({ name: "after-upgrade" }).secret;
      await new OpenAI({
        apiKey: secret,
        baseURL: `${upgraded.gateway.url}/v1`,
        maxRetries: 0,
      }).chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
      await upgraded.gateway.close();
      expect(file.prepare<{ user_version: number }>("PRAGMA user_version").get()).toEqual({
        user_version: SCHEMA_VERSION,
      });
      expect(file.prepare("SELECT hash, model FROM thinking_signatures").all()).toEqual([
        { hash: "h1", model: "claude-sonnet-4.6" },
      ]);
      expect(file.prepare("SELECT key_name, status FROM ledger").all()).toEqual([
        { key_name: "after-upgrade", status: 200 },
      ]);
    } finally {
      file.close();
      await upgraded.close();
    }
  });

  it("keeps the ledger and the keys across a restart", async () => {
    const secret = newKey("durable");
    await openai(secret).chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
    await h.restart();
    await openai(secret).chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(await ledgerOf("durable")).toHaveLength(2);
  });
});

describe("Copilot's own limits", () => {
  it("let the fallback model serve while the allowance is used up, announced", async () => {
    h.fake.scriptNext(
      "/chat/completions",
      { refuse: "quota_exceeded" },
      { model: "claude-sonnet-4.6" },
    );
    // The fallback is the key's own here (FALLBACK_MODEL sets one for every credential).
    const client = openai(newKey("fallback", { name: "fallback", fallbackModel: "gpt-4o" }));
    const first = await client.chat.completions
      .create({ model: "claude-sonnet-4.6", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(first.response.headers.get("x-cogpt-fallback-model")).toBe("gpt-4o");
    expect(first.data.model).toBe("gpt-4o");
    // Later requests go straight to it while the refusal holds.
    const second = await client.chat.completions
      .create({ model: "claude-sonnet-4.6", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(second.response.headers.get("x-cogpt-fallback-model")).toBe("gpt-4o");
    const upstreamModels = h.fake.billing.map((bill) => bill.model);
    expect(upstreamModels).toEqual(["gpt-4o", "gpt-4o"]);
    const rows = await ledgerOf("fallback");
    expect(rows.map((row) => [row.model_used, row.fallback_from])).toEqual([
      ["gpt-4o", "claude-sonnet-4.6"],
      ["gpt-4o", "claude-sonnet-4.6"],
    ]);
  });

  it("become a 429 naming the window and its reset, in each dialect", async () => {
    const resetsAt = Date.parse(h.fake.limitState().session.resetAt);
    h.fake.scriptNext("/chat/completions", { refuse: "session_quota_exceeded", times: 2 });
    const error = await h
      .openai(FAKE_GITHUB_TOKEN)
      .chat.completions.create({
        model: "claude-sonnet-4.6",
        messages: [{ role: "user", content: "hi" }],
      })
      .catch((thrown: InstanceType<typeof OpenAI.APIError>) => thrown);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.code).toBe("session_quota_exceeded");
    expect(apiError.message).toContain("the session limit");
    expect(apiError.message).toContain(`resets at ${new Date(resetsAt).toISOString()}`);
    const retryAfter = Number(apiError.headers?.get("retry-after"));
    expect(Math.abs(retryAfter - (resetsAt - Date.now()) / 1000)).toBeLessThan(5);

    const anthropicError = await anthropic(FAKE_GITHUB_TOKEN)
      .messages.create({
        model: "gemini-3.1-pro-preview",
        max_tokens: 10,
        messages: [{ role: "user", content: "hi" }],
      })
      .catch((thrown: unknown) => thrown);
    expect(anthropicError).toBeInstanceOf(Anthropic.RateLimitError);
  });
});
