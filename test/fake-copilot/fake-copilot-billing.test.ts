import { request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeCopilot, FakeCopilotOptions, FakeLimitErrorCode } from "./fake-copilot.js";
import {
  FAKE_GITHUB_TOKEN,
  fakeCopilotHeaders,
  fetchFakeCopilotToken,
  startFakeCopilot,
} from "./fake-copilot.js";

const NOW = Date.UTC(2026, 0, 1);
const LIMITS = {
  monthlyCredits: 1500,
  monthlyUsedNanoAiu: 0,
  sessionNanoAiu: 1_000_000_000,
  sessionResetAt: "2026-01-01T05:00:00Z",
  weeklyNanoAiu: 10_000_000_000,
  weeklyResetAt: "2026-01-08T00:00:00Z",
};
const OPTIONS: FakeCopilotOptions = {
  now: () => NOW,
  limits: LIMITS,
  tokenPrices: { "gpt-5.1": { input: 175_000_000_000, output: 1_400_000_000_000 } },
};
const NINETEEN_WORDS = Array.from({ length: 19 }, (_, index) => `w${index}`).join(" ");
const HUNDRED_AND_FIVE_WORDS = Array.from({ length: 105 }, () => "ok").join(" ");

let fake: FakeCopilot;
let headers: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeCopilot(OPTIONS);
  headers = await headersFor(fake);
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function headersFor(target: FakeCopilot): Promise<Record<string, string>> {
  return {
    ...fakeCopilotHeaders(await fetchFakeCopilotToken(target)),
    "content-type": "application/json",
    "anthropic-version": "2023-06-01",
  };
}

async function post(path: string, body: unknown, target = fake, with_ = headers) {
  const response = await request(`${target.copilotUrl}${path}`, {
    method: "POST",
    headers: with_,
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text };
}

/** The JSON `data:` payloads of an SSE body, without `[DONE]`. */
function payloads(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
}

function details(prices: readonly number[], counts: readonly number[]) {
  return ["input", "cache_read", "cache_write", "output"].map((tokenType, index) => ({
    batch_size: 1_000_000,
    cost_per_batch: prices[index],
    token_count: counts[index],
    token_type: tokenType,
  }));
}

const SONNET = [300e9, 30e9, 375e9, 1500e9];
const GPT_5_1 = [175e9, 30e9, 375e9, 1400e9];

describe("copilot_usage and the billing record", () => {
  it("bills Σ tokens × cost_per_batch / batch_size beside a non-streamed Responses answer", async () => {
    fake.scriptNext("/responses", { text: HUNDRED_AND_FIVE_WORDS });
    const response = await post("/responses", { model: "gpt-5.1", input: NINETEEN_WORDS });
    const answer = JSON.parse(response.text) as Record<string, unknown>;
    // 19 × 175000 + 105 × 1400000
    expect(answer["copilot_usage"]).toEqual({
      token_details: details(GPT_5_1, [19, 0, 0, 105]),
      total_nano_aiu: 150_325_000,
    });
    expect(answer["usage"]).toMatchObject({ input_tokens: 19, output_tokens: 105 });
    expect(fake.billing).toEqual([
      {
        model: "gpt-5.1",
        endpoint: "/responses",
        stream: false,
        complete: true,
        account: FAKE_GITHUB_TOKEN,
        inputTokens: 19,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 105,
        nanoAiu: 150_325_000,
      },
    ]);
  });

  it("reports cache reads and writes in usage (prompt counts include them) and in copilot_usage", async () => {
    const cache = { readTokens: 1000, writeTokens: 200 };
    fake.scriptNext("/chat/completions", { text: "one two three", cache });
    fake.scriptNext("/v1/messages", { text: "one two three", cache });
    fake.scriptNext("/responses", { text: "x y", cache: { readTokens: 500 } });
    const messages = [{ role: "user", content: "hello there" }];
    const chat = payloads(
      (await post("/chat/completions", { model: "gpt-4o", stream: true, messages })).text,
    );
    const anthropic = payloads(
      (await post("/v1/messages", { model: "claude-sonnet-4", stream: true, messages })).text,
    );
    const responses = payloads(
      (await post("/responses", { model: "gpt-5.1", stream: true, input: "a b c" })).text,
    );

    const usageChunk = chat.find((payload) => "usage" in payload);
    expect(usageChunk?.["usage"]).toMatchObject({
      prompt_tokens: 1202,
      prompt_tokens_details: { cached_tokens: 1000 },
      completion_tokens: 3,
    });
    // 2 × 30000 + 1000 × 3000 + 200 × 37500 + 3 × 150000
    expect(usageChunk?.["copilot_usage"]).toEqual({
      token_details: details([30e9, 3e9, 37.5e9, 150e9], [2, 1000, 200, 3]),
      total_nano_aiu: 11_010_000,
    });

    const start = anthropic.find((payload) => payload["type"] === "message_start");
    const delta = anthropic.find((payload) => payload["type"] === "message_delta");
    const anthropicUsage = {
      input_tokens: 1202,
      output_tokens: 3,
      cache_read_input_tokens: 1000,
      cache_creation_input_tokens: 200,
    };
    expect((start?.["message"] as Record<string, unknown>)["usage"]).toEqual({
      ...anthropicUsage,
      output_tokens: 1,
    });
    expect(delta?.["usage"]).toEqual(anthropicUsage);
    // 2 × 300000 + 1000 × 30000 + 200 × 375000 + 3 × 1500000
    expect(delta?.["copilot_usage"]).toEqual({
      token_details: details(SONNET, [2, 1000, 200, 3]),
      total_nano_aiu: 110_100_000,
    });

    const completed = responses.find((payload) => payload["type"] === "response.completed");
    expect((completed?.["response"] as Record<string, unknown>)["usage"]).toMatchObject({
      input_tokens: 503,
      input_tokens_details: { cached_tokens: 500 },
      output_tokens: 2,
    });
    // 3 × 175000 + 500 × 30000 + 2 × 1400000
    expect(completed?.["copilot_usage"]).toEqual({
      token_details: details(GPT_5_1, [3, 500, 0, 2]),
      total_nano_aiu: 18_325_000,
    });
    expect(fake.billing.map((record) => [record.endpoint, record.nanoAiu])).toEqual([
      ["/chat/completions", 11_010_000],
      ["/v1/messages", 110_100_000],
      ["/responses", 18_325_000],
    ]);
  });

  it("bills a stream cut after four events for the prompt and the two words it carried", async () => {
    fake.injectFault({ path: "/chat/completions", dropAfterChunks: 4 });
    const messages = [{ role: "user", content: "hi" }];
    await expect(
      post("/chat/completions", { model: "gpt-4o", stream: true, messages }),
    ).rejects.toThrow();
    // Events: prompt filter results, role, "Hello", " from".
    expect(fake.billing).toEqual([
      {
        model: "gpt-4o",
        endpoint: "/chat/completions",
        stream: true,
        complete: false,
        account: FAKE_GITHUB_TOKEN,
        inputTokens: 1,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 2,
        nanoAiu: 330_000,
      },
    ]);
  });

  it("bills a stream the client gives up on for what was written before it left", async () => {
    const slow = await startFakeCopilot({ ...OPTIONS, chunkDelayMs: 40 });
    try {
      const controller = new AbortController();
      const response = await request(`${slow.copilotUrl}/v1/messages`, {
        method: "POST",
        headers: await headersFor(slow),
        body: JSON.stringify({
          model: "claude-sonnet-4",
          stream: true,
          messages: [{ role: "user", content: "tell me" }],
        }),
        signal: controller.signal,
      });
      let received = "";
      for await (const chunk of response.body) {
        received += String(chunk);
        if (received.includes('"text":" from"')) break;
      }
      controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 150));
      const [record] = slow.billing;
      // "Hello from" reached the client; the fake may have written one more word.
      expect(record).toMatchObject({ endpoint: "/v1/messages", stream: true, complete: false });
      expect([2, 3]).toContain(record?.outputTokens);
      expect(record?.nanoAiu).toBe(2 * 300_000 + (record?.outputTokens ?? 0) * 1_500_000);
    } finally {
      await slow.close();
    }
  });

  it("leaves copilot_usage out for listed models and still bills them", async () => {
    const quiet = await startFakeCopilot({ ...OPTIONS, omitCopilotUsage: ["gpt-4o"] });
    try {
      const quietHeaders = await headersFor(quiet);
      const messages = [{ role: "user", content: "hi" }];
      const omitted = await post(
        "/chat/completions",
        { model: "gpt-4o", messages },
        quiet,
        quietHeaders,
      );
      const kept = await post(
        "/chat/completions",
        { model: "claude-sonnet-4", messages },
        quiet,
        quietHeaders,
      );
      expect(JSON.parse(omitted.text)).not.toHaveProperty("copilot_usage");
      expect(JSON.parse(kept.text)).toHaveProperty("copilot_usage.total_nano_aiu", 9_300_000);
      expect(quiet.billing.map((record) => [record.model, record.nanoAiu])).toEqual([
        ["gpt-4o", 930_000],
        ["claude-sonnet-4", 9_300_000],
      ]);
    } finally {
      await quiet.close();
    }
  });
});

describe("quota headers and limits", () => {
  const hi = { model: "gpt-5.1", input: NINETEEN_WORDS };

  it("sends the four windows on every answer, and rem falls as the fake bills", async () => {
    fake.scriptNext("/responses", { text: HUNDRED_AND_FIVE_WORDS });
    const first = await post("/responses", hi);
    const second = await post("/responses", hi);
    const windows = (response: { headers: Record<string, unknown> }) => [
      response.headers["x-quota-snapshot-premium_interactions"],
      response.headers["x-quota-snapshot-chat"],
      response.headers["x-usage-ratelimit-session"],
      response.headers["x-usage-ratelimit-weekly"],
    ];
    expect(windows(first)).toEqual([
      "ent=1500&ov=0.0&ovPerm=false&rem=100.0&rst=2026-02-01T00%3A00%3A00Z",
      "ent=-1&ov=0.0&ovPerm=false&rem=100.0&rst=2026-02-01T00%3A00%3A00Z",
      "ent=1000000000&ov=0.0&ovPerm=false&rem=100.0&rst=2026-01-01T05%3A00%3A00Z",
      "ent=10000000000&ov=0.0&ovPerm=false&rem=100.0&rst=2026-01-08T00%3A00%3A00Z",
    ]);
    // 150325000 nano-AIU billed: 99.98 % of the month, 84.96 % of the session, 98.49 % of the week.
    expect(windows(second)).toEqual([
      "ent=1500&ov=0.0&ovPerm=false&rem=99.9&rst=2026-02-01T00%3A00%3A00Z",
      "ent=-1&ov=0.0&ovPerm=false&rem=100.0&rst=2026-02-01T00%3A00%3A00Z",
      "ent=1000000000&ov=0.0&ovPerm=false&rem=84.9&rst=2026-01-01T05%3A00%3A00Z",
      "ent=10000000000&ov=0.0&ovPerm=false&rem=98.4&rst=2026-01-08T00%3A00%3A00Z",
    ]);
    expect(fake.limitState().session).toEqual({
      entitlement: 1_000_000_000,
      usedNanoAiu: 150_325_000 + fake.billing[1]!.nanoAiu,
      resetAt: "2026-01-01T05:00:00Z",
    });
  });

  it("refuses once the session window is used up: 429 session_quota_exceeded, nothing billed", async () => {
    fake.setLimits({ sessionUsedNanoAiu: 1_000_000_000 });
    const refused = await post("/chat/completions", {
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
    expect([refused.status, refused.headers["content-type"], refused.text]).toEqual([
      429,
      "text/plain; charset=utf-8",
      '{"error":{"message":"You\'ve reached your session rate limit. Please wait for your limit to reset in 300 minutes.","code":"session_quota_exceeded"}}\n',
    ]);
    expect(refused.headers["x-usage-ratelimit-session"]).toBe(
      "ent=1000000000&ov=0.0&ovPerm=false&rem=0.0&rst=2026-01-01T05%3A00%3A00Z",
    );
    expect(refused.headers["retry-after"]).toBeUndefined();
    expect(fake.billing).toEqual([]);
  });

  it("refuses for the week (429) and the month (402, the recorded body) before the session", async () => {
    fake.setLimits({ weeklyUsedNanoAiu: 10_000_000_000, sessionUsedNanoAiu: 1_000_000_000 });
    const weekly = await post("/responses", hi);
    fake.setLimits({ monthlyUsedNanoAiu: 1_500_000_000_000 });
    const monthly = await post("/responses", hi);
    expect([weekly.status, weekly.text]).toEqual([
      429,
      '{"error":{"message":"You\'ve reached your weekly rate limit. Please wait for your limit to reset on January 8, 2026 at 12:00 AM UTC or switch to auto model to continue.","code":"user_weekly_rate_limited"}}\n',
    ]);
    expect([monthly.status, monthly.text]).toEqual([
      402,
      '{"error":{"message":"You have no quota","code":"quota_exceeded"}}\n',
    ]);
    expect(monthly.headers["x-quota-snapshot-premium_interactions"]).toBe(
      "ent=1500&ov=0.0&ovPerm=false&rem=0.0&rst=2026-02-01T00%3A00%3A00Z",
    );
  });

  it("bills into overage when it is permitted, and copilot_internal/user agrees", async () => {
    fake.setLimits({ monthlyUsedNanoAiu: 1_500_000_000_000, overagePermitted: true });
    fake.scriptNext("/responses", { text: HUNDRED_AND_FIVE_WORDS });
    expect((await post("/responses", hi)).status).toBe(200);
    const next = await post("/responses", hi);
    expect(next.headers["x-quota-snapshot-premium_interactions"]).toBe(
      "ent=1500&ov=0.2&ovPerm=true&rem=0.0&rst=2026-02-01T00%3A00%3A00Z",
    );
    const user = await request(`${fake.githubUrl}/copilot_internal/user`, {
      headers: { authorization: `token ${FAKE_GITHUB_TOKEN}`, "user-agent": "test" },
    });
    const body = (await user.body.json()) as Record<string, Record<string, unknown>>;
    expect(body["quota_reset_date"]).toBe("2026-02-01");
    expect(body["token_based_billing"]).toBe(true);
    expect(body["quota_snapshots"]?.["premium_interactions"]).toMatchObject({
      entitlement: 1500,
      remaining: 0,
      percent_remaining: 0,
      overage_permitted: true,
      has_quota: true,
    });
  });

  it("refuses on command with each limit error, `times` requests in a row", async () => {
    const codes: [FakeLimitErrorCode, number][] = [
      ["quota_exceeded", 402],
      ["billing_not_configured", 402],
      ["session_quota_exceeded", 429],
      ["user_weekly_rate_limited", 429],
      ["user_global_rate_limited", 429],
      ["user_model_rate_limited", 429],
      ["integration_rate_limited", 429],
    ];
    fake.scriptNext("/responses", {
      refuse: "user_model_rate_limited",
      times: 2,
      retryAfterSeconds: 30,
    });
    const twice = [await post("/responses", hi), await post("/responses", hi)];
    expect(twice.map((response) => [response.status, response.headers["retry-after"]])).toEqual([
      [429, "30"],
      [429, "30"],
    ]);
    expect((await post("/responses", hi)).status).toBe(200);
    for (const [code] of codes) fake.scriptNext("/responses", { refuse: code });
    const answers = [];
    for (const _ of codes) answers.push(await post("/responses", hi));
    expect(
      answers.map((response) => {
        const error = (JSON.parse(response.text) as { error: { code: string } }).error;
        return [error.code, response.status];
      }),
    ).toEqual(codes);
    expect(fake.billing).toHaveLength(1);
  });

  it("sends retry-after at the window's reset when limitRetryAfter is on", async () => {
    const strict = await startFakeCopilot({ ...OPTIONS, limitRetryAfter: true });
    try {
      strict.setLimits({ sessionUsedNanoAiu: 1_000_000_000 });
      const refused = await post("/responses", hi, strict, await headersFor(strict));
      expect([refused.status, refused.headers["retry-after"]]).toEqual([429, "18000"]);
    } finally {
      await strict.close();
    }
  });
});
