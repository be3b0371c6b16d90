import { readFileSync } from "node:fs";
import { join } from "node:path";
import { request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeCopilot } from "./fake-copilot.js";
import {
  FAKE_CLIENT_HEADERS,
  FAKE_GITHUB_TOKEN,
  fakeCopilotHeaders,
  fetchFakeCopilotToken,
  startFakeCopilot,
} from "./fake-copilot.js";
import { locateFixturesDir } from "./fixtures.js";

const FIXTURES = locateFixturesDir();
const fixture = (path: string): string => readFileSync(join(FIXTURES, path), "utf8");
const START = Date.UTC(2026, 0, 1); // 1767225600 s
const DOCS = "https://docs.github.com/rest";
let clock = START;
let fake: FakeCopilot;

beforeAll(async () => {
  fake = await startFakeCopilot({
    now: () => clock,
    accounts: {
      [FAKE_GITHUB_TOKEN]: {},
      ghu_business: { kind: "business", login: "biz" },
      ghu_noseat: { kind: "no_seat", login: "nobody" },
      ghu_banned: { kind: "banned", login: "spammer" },
      gho_oauth: { login: "oauth-user" },
    },
  });
});
afterAll(() => fake.close());
beforeEach(() => {
  clock = START;
  fake.reset();
});

async function call(url: string, headers: Record<string, string>, body?: string) {
  const response = await request(url, {
    method: body === undefined ? "GET" : "POST",
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text };
}

const github = (path: string, token: string) =>
  call(`${fake.githubUrl}${path}`, { "user-agent": "test", authorization: `token ${token}` });

describe("fake GitHub", () => {
  it("exchanges a ghu_ token for a Copilot token shaped like the recording", async () => {
    const response = await github("/copilot_internal/v2/token", FAKE_GITHUB_TOKEN);
    const body = JSON.parse(response.text);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(body).toEqual({
      ...JSON.parse(fixture("auth/token-exchange.copilot_for_business_seat_quota.2026-03.json")),
      endpoints: {
        api: fake.copilotUrl,
        "origin-tracker": `${fake.copilotUrl}/origin-tracker`,
        proxy: fake.copilotUrl,
        telemetry: `${fake.copilotUrl}/telemetry`,
      },
      expires_at: 1767227400,
      individual: true,
      chat_enabled: true,
      organization_list: [],
      refresh_in: 1500,
      sku: "copilot_individual",
      token: body.token,
      tracking_id: body.tracking_id,
    });
    expect(body.token).toMatch(
      /^tid=[0-9a-f]{32};ol=fake;exp=1767227400;sku=copilot_individual;proxy-ep=127\.0\.0\.1;st=dotcom;chat=1;8kp=1:[0-9a-f]{64}$/,
    );
    expect(await fetchFakeCopilotToken(fake)).not.toBe(body.token);
    expect(fake.tokenExchangeCount(FAKE_GITHUB_TOKEN)).toBe(2);
    expect(fake.tokenExchangeCount()).toBe(2);
  });

  it("accepts Bearer too and gives business seats their sku", async () => {
    const response = await call(`${fake.githubUrl}/copilot_internal/v2/token`, {
      "user-agent": "test",
      authorization: "Bearer ghu_business",
    });
    const body = JSON.parse(response.text);
    expect([response.status, body.sku, body.individual, body.organization_list]).toEqual([
      200,
      "copilot_for_business_seat_quota",
      false,
      ["fake-org"],
    ]);
  });

  it("refuses like GitHub: no User-Agent, bad token, non-ghu token, no seat, banned", async () => {
    const noAgent = await call(`${fake.githubUrl}/copilot_internal/v2/token`, {
      authorization: `token ${FAKE_GITHUB_TOKEN}`,
    });
    expect([noAgent.status, JSON.parse(noAgent.text).message]).toEqual([
      403,
      "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.",
    ]);
    const unknown = await github("/copilot_internal/v2/token", "ghu_nope");
    expect([unknown.status, JSON.parse(unknown.text)]).toEqual([
      401,
      { message: "Bad credentials", documentation_url: DOCS },
    ]);
    const oauth = await github("/copilot_internal/v2/token", "gho_oauth");
    expect([oauth.status, JSON.parse(oauth.text)]).toEqual([
      404,
      { message: "Not Found", documentation_url: DOCS },
    ]);
    const noSeat = await github("/copilot_internal/v2/token", "ghu_noseat");
    expect([noSeat.status, JSON.parse(noSeat.text)]).toEqual([
      403,
      {
        error_details: {
          url: "https://github.com/github-copilot/signup",
          message: "No access to GitHub Copilot found. You are currently logged in as nobody.",
          title: "Signup for GitHub Copilot",
          notification_id: "no_copilot_access",
        },
        message: "Resource not accessible by integration",
      },
    ]);
    const banned = await github("/copilot_internal/v2/token", "ghu_banned");
    expect([banned.status, JSON.parse(banned.text).error_details.notification_id]).toEqual([
      403,
      "spammy_user",
    ]);
    expect(fake.tokenExchangeCount("ghu_nope")).toBe(1);
  });

  it("answers copilot_internal/user and /user for the account", async () => {
    const user = await github("/copilot_internal/user", "ghu_business");
    expect(JSON.parse(user.text)).toEqual({
      ...JSON.parse(fixture("auth/copilot_internal-user.business.2026-06-02.json")),
      login: "biz",
      access_type_sku: "copilot_for_business_seat_quota",
      copilot_plan: "business",
      endpoints: {
        api: fake.copilotUrl,
        "origin-tracker": `${fake.copilotUrl}/origin-tracker`,
        proxy: fake.copilotUrl,
        telemetry: `${fake.copilotUrl}/telemetry`,
      },
      // The fake's default allowance: 300 credits, 34.5 used, reset on the 1st of next month.
      quota_reset_date: "2026-02-01",
      quota_reset_date_utc: "2026-02-01T00:00:00.000Z",
      token_based_billing: true,
      quota_snapshots: {
        chat: { ...unlimitedSnapshot("chat"), timestamp_utc: "2026-01-01T00:00:00.000Z" },
        completions: {
          ...unlimitedSnapshot("completions"),
          timestamp_utc: "2026-01-01T00:00:00.000Z",
        },
        premium_interactions: {
          quota_id: "premium_interactions",
          unlimited: false,
          has_quota: true,
          entitlement: 300,
          remaining: 265,
          quota_remaining: 265.5,
          percent_remaining: 88.5,
          overage_count: 0,
          overage_permitted: false,
          quota_reset_at: 0,
          timestamp_utc: "2026-01-01T00:00:00.000Z",
          token_based_billing: true,
        },
      },
    });
    const login = await github("/user", FAKE_GITHUB_TOKEN);
    expect(JSON.parse(login.text)).toEqual({ login: "fake-user", id: 100001 });
    fake.addAccount("ghu_added");
    expect(JSON.parse((await github("/user", "ghu_added")).text)).toEqual({
      login: "fake-user-6",
      id: 100006,
    });
  });
});

describe("fake Copilot strictness", () => {
  const models = (headers: Record<string, string>) => call(`${fake.copilotUrl}/models`, headers);

  it("serves the recorded /models with each model's token prices, and request ids", async () => {
    const response = await models(fakeCopilotHeaders(await fetchFakeCopilotToken(fake)));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual(
      withTokenPrices(fixture("models/models.2026-03-28.json")),
    );
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers["x-github-request-id"]).toMatch(/^FAKE:[0-9A-F]{6}:0:0:6955B900$/);
  });

  it("checks token, Editor-Version, Copilot-Integration-Id and API version in that order", async () => {
    const headers = fakeCopilotHeaders(await fetchFakeCopilotToken(fake));
    const without = (name: string) =>
      Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));
    const answers = [
      await models({ ...FAKE_CLIENT_HEADERS }),
      await models({ ...headers, authorization: "Bearer tid=forged:00" }),
      await models(without("editor-version")),
      await models(without("copilot-integration-id")),
      await models(without("x-github-api-version")),
      await models({ ...headers, "x-github-api-version": "2025-03-31" }),
      await call(`${fake.copilotUrl}/nope`, headers),
    ];
    expect(answers.map((answer) => [answer.status, answer.text])).toEqual([
      [401, "unauthorized: invalid token\n"],
      [401, "unauthorized: invalid token\n"],
      [400, "bad request: missing Editor-Version header for IDE auth\n"],
      [400, fixture("errors/400.model_not_supported.body.txt")],
      [466, fixture("errors/466.api_version_no_longer_supported.body.txt")],
      [466, fixture("errors/466.api_version_no_longer_supported.body.txt")],
      [404, "404 page not found\n"],
    ]);
    expect(answers[0]?.headers["content-type"]).toBe("text/plain; charset=utf-8");
  });

  it("expires tokens by time and by expireAllTokens()", async () => {
    const first = await fetchFakeCopilotToken(fake);
    clock = START + 1800 * 1000;
    expect((await models(fakeCopilotHeaders(first))).text).toBe("unauthorized: token expired\n");
    const second = await fetchFakeCopilotToken(fake);
    expect((await models(fakeCopilotHeaders(second))).status).toBe(200);
    fake.expireAllTokens();
    const expired = await models(fakeCopilotHeaders(second));
    expect([expired.status, expired.text]).toEqual([
      401,
      fixture("errors/401.token_expired.body.txt"),
    ]);
    const third = await fetchFakeCopilotToken(fake);
    expect((await models(fakeCopilotHeaders(third))).status).toBe(200);
  });
});

/** The recorded chat snapshot of an unlimited quota, without its timestamp. */
function unlimitedSnapshot(quotaId: string): Record<string, unknown> {
  return {
    quota_id: quotaId,
    unlimited: true,
    has_quota: false,
    entitlement: 0,
    remaining: 0,
    quota_remaining: 0,
    percent_remaining: 100,
    overage_count: 0,
    overage_permitted: false,
    quota_reset_at: 0,
    token_based_billing: true,
  };
}

/** The model list with `billing.tokenPrices`: Sonnet's prices (nano-AIU per 1M tokens) times
 *  the multiplier, a 0 multiplier counting as 0.1. */
function withTokenPrices(text: string): unknown {
  const list = JSON.parse(text) as { data: { billing: { multiplier: number } }[] };
  for (const model of list.data) {
    const factor = model.billing.multiplier === 0 ? 0.1 : model.billing.multiplier;
    const price = (base: number, tokenType: string) => ({
      batch_size: 1_000_000,
      cost_per_batch: Math.round(base * factor),
      token_type: tokenType,
    });
    Object.assign(model.billing, {
      tokenPrices: [
        price(300e9, "input"),
        price(30e9, "cache_read"),
        price(375e9, "cache_write"),
        price(1500e9, "output"),
      ],
    });
  }
  return list;
}
