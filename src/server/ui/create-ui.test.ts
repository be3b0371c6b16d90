/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return --
   the answers are read as loose JSON and compared to exact literals */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, NOW_MS, request, type TestApp } from "../../../test/in-process/test-app.js";
import type { CopilotUser } from "../../github/copilot-user.js";
import type { LedgerEntry } from "../../ledger/ledger-entry.js";
import { fingerprintOf } from "../middleware/auth.js";
import type { UiGitHub } from "./ui-github.js";

/** Noon of the test apps' day (2026-01-01T12:00:00Z): recent entries fall on the same UTC day. */
const NOON = NOW_MS + 12 * 60 * 60 * 1000;
const SERVER_TOKEN = "ghu_ServerHeldTokenForTheDashboard";
const FRIEND_TOKEN = "ghu_FriendsOwnSeatToken";
const ADMIN_KEY = "admin-key-0123456789abcdef";
const JSON_TYPE = "application/json; charset=utf-8";
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function entry(fields: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    time: NOON - 60_000,
    requestId: "req-1",
    keyName: "alice",
    account: "ghu:1a2b3c4d",
    dialect: "chat",
    endpoint: "/chat/completions",
    modelAsked: "gpt-4o",
    modelUsed: "gpt-4o-2024-11-20",
    initiator: "user",
    status: 200,
    latencyMs: 812.4,
    firstByteMs: undefined,
    stream: false,
    complete: true,
    inputTokens: 19,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 105,
    reasoningTokens: 44,
    nanoCredits: 150325000,
    creditsSource: "copilot",
    premiumRequests: 1,
    fallbackFrom: undefined,
    supportId: "ABCD:1234",
    ...fields,
  };
}

const USER: CopilotUser = {
  login: "owner",
  plan: "individual_pro",
  sku: "copilot_standalone_seat_quota",
  quotaResetDate: "2026-02-01",
  apiUrl: undefined,
  tokenBasedBilling: true,
  quotas: new Map([
    [
      "premium_interactions",
      {
        unlimited: false,
        entitlement: 1500,
        remaining: 900,
        percentRemaining: 60,
        overageCount: 0,
        overagePermitted: false,
      },
    ],
  ]),
};

interface FakeGitHub extends UiGitHub {
  readonly calls: string[];
  polls: ("pending" | "token")[];
}

function fakeGitHub(): FakeGitHub {
  const github: FakeGitHub = {
    calls: [],
    polls: ["pending", "token"],
    async copilotUser(token) {
      github.calls.push(`user ${token}`);
      return USER;
    },
    async login(token) {
      github.calls.push(`login ${token}`);
      return "friend-login";
    },
    async checkCopilot(token) {
      github.calls.push(`check ${token}`);
    },
    async requestDeviceCode() {
      github.calls.push("device code");
      return {
        deviceCode: "device-code-secret",
        userCode: "WDJB-MJHT",
        verificationUri: "https://github.com/login/device",
        expiresInSeconds: 900,
        intervalSeconds: 5,
      };
    },
    async pollDeviceCode(deviceCode) {
      github.calls.push(`poll ${deviceCode}`);
      const next = github.polls.shift() ?? "pending";
      return next === "token" ? { kind: "token", token: FRIEND_TOKEN } : { kind: "pending" };
    },
  };
  return github;
}

interface Setup extends TestApp {
  clock: { now: number };
  github: FakeGitHub;
  saved: Map<string, string>;
  bodies: string[];
  call(options: {
    method?: string;
    url: string;
    headers?: Record<string, string>;
    payload?: object | string;
    remoteAddress?: string;
  }): Promise<{ status: number; headers: Record<string, unknown>; body: string; json(): any }>;
}

function setup(env: Record<string, string> = {}, directory?: string): Setup {
  const clock = { now: NOON };
  const github = fakeGitHub();
  const saved = new Map<string, string>([["work", "ghu_WorkAccountToken"]]);
  const test = createTestApp({
    env,
    serverGithubToken: SERVER_TOKEN,
    now: () => clock.now,
    ui: {
      github,
      savedAccount: (name) => saved.get(name),
      saveAccount: (name, token) => saved.set(name, token),
      ...(directory === undefined ? {} : { directory }),
    },
  });
  const bodies: string[] = [];
  return {
    ...test,
    clock,
    github,
    saved,
    bodies,
    async call(options) {
      const response = await request(test.app, {
        method: options.method ?? "GET",
        url: options.url,
        headers: {
          ...(options.payload === undefined ? {} : { "content-type": "application/json" }),
          ...options.headers,
        },
        ...(options.payload === undefined ? {} : { payload: options.payload }),
        ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
      });
      bodies.push(`${JSON.stringify(response.headers)}\n${response.body}`);
      return response;
    },
  };
}

/** Signs in with the one-time link: the cookie header to send, and the CSRF token. */
async function signInAsOwner(test: Setup): Promise<{ cookie: string; csrf: string }> {
  const token = test.ui!.issueSignInToken();
  const login = await test.call({ url: `/ui/login?token=${token}` });
  expect(login.status).toBe(303);
  const cookie = String(login.headers["set-cookie"]).split(";")[0]!;
  const session = await test.call({ url: "/ui/api/session", headers: { cookie } });
  return { cookie, csrf: session.json().csrfToken as string };
}

async function signInWithKey(test: Setup, secret: string) {
  const answer = await test.call({
    method: "POST",
    url: "/ui/api/session",
    payload: { key: secret },
  });
  expect(answer.status).toBe(200);
  const cookie = String(answer.headers["set-cookie"]).split(";")[0]!;
  return { cookie, csrf: answer.json().csrfToken as string };
}

describe("the dashboard's sign-in and access", () => {
  it("signs the owner in once with the link: an HttpOnly, SameSite=Strict cookie on /ui for 12 h", async () => {
    const test = setup();
    const token = test.ui!.issueSignInToken();
    const login = await test.call({ url: `/ui/login?token=${token}` });
    expect([login.status, login.headers["location"]]).toEqual([303, "/ui/"]);
    expect(String(login.headers["set-cookie"])).toMatch(
      /^cogpt_session=[A-Za-z0-9_-]{43}; Path=\/ui; HttpOnly; SameSite=Strict; Max-Age=43200$/,
    );
    const again = await test.call({ url: `/ui/login?token=${token}` });
    expect(again.status).toBe(401);
    const cookie = String(login.headers["set-cookie"]).split(";")[0]!;
    const session = await test.call({ url: "/ui/api/session", headers: { cookie } });
    expect(session.json()).toEqual({
      role: "admin",
      keyName: null,
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: "2026-01-02T00:00:00.000Z",
    });
    test.clock.now += 12 * 60 * 60 * 1000;
    expect((await test.call({ url: "/ui/api/session", headers: { cookie } })).status).toBe(401);
  });

  it("refuses a sign-in link after 10 minutes, and one it never issued", async () => {
    const test = setup();
    const token = test.ui!.issueSignInToken();
    test.clock.now += 10 * 60 * 1000;
    expect((await test.call({ url: `/ui/login?token=${token}` })).status).toBe(401);
    expect((await test.call({ url: "/ui/login?token=made-up" })).status).toBe(401);
    expect((await test.call({ url: "/ui/login" })).status).toBe(401);
  });

  it("answers 401 without a session, with the security headers and an OpenAI-shaped error", async () => {
    const test = setup();
    const answer = await test.call({ url: "/ui/api/overview" });
    expect(answer.status).toBe(401);
    expect(answer.json()).toEqual({
      error: {
        message: "Not signed in to the dashboard",
        type: "authentication_error",
        code: "not_signed_in",
        param: null,
      },
    });
    expect(answer.headers["content-security-policy"]).toBe(CSP);
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(answer.headers["referrer-policy"]).toBe("no-referrer");
    expect(answer.headers["cache-control"]).toBe("no-store");
    expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("refuses the whole of /ui off the loopback without ADMIN_KEY, and to a non-loopback Host", async () => {
    const test = setup();
    for (const url of ["/ui/", "/ui/api/session", "/ui/api/join"]) {
      const answer = await test.call({ url, remoteAddress: "192.168.1.20" });
      expect([answer.status, answer.json().error.code]).toEqual([403, "loopback_only"]);
    }
    const rebound = await test.call({
      url: "/ui/api/join",
      headers: { host: "evil.example:8080" },
    });
    expect([rebound.status, rebound.json().error.code]).toEqual([403, "host_not_allowed"]);
  });

  it("lets ADMIN_KEY in as a bearer from anywhere, and as a sign-in; a wrong key is 401", async () => {
    const test = setup({ ADMIN_KEY });
    const bearer = { authorization: `Bearer ${ADMIN_KEY}` };
    const health = await test.call({
      url: "/ui/api/health",
      headers: bearer,
      remoteAddress: "10.0.0.7",
    });
    expect(health.status).toBe(200);
    const wrong = await test.call({
      url: "/ui/api/health",
      headers: { authorization: "Bearer not-the-admin-key-at-all" },
      remoteAddress: "10.0.0.7",
    });
    expect([wrong.status, wrong.json().error.code]).toEqual([401, "invalid_api_key"]);
    const signIn = await test.call({
      method: "POST",
      url: "/ui/api/session",
      payload: { adminKey: ADMIN_KEY },
      remoteAddress: "10.0.0.7",
    });
    expect([signIn.status, signIn.json().role]).toEqual([200, "admin"]);
    const refused = await test.call({
      method: "POST",
      url: "/ui/api/session",
      payload: { adminKey: "nearly-the-admin-key-0000" },
    });
    expect([refused.status, refused.json().error.code]).toEqual([401, "invalid_api_key"]);
  });

  it("refuses a change without the CSRF token, from another origin, or cross-site; the page's own passes", async () => {
    const test = setup();
    const { cookie, csrf } = await signInAsOwner(test);
    const create = (headers: Record<string, string>) =>
      test.call({
        method: "POST",
        url: "/ui/api/keys",
        headers: { cookie, ...headers },
        payload: { name: "k1" },
      });
    const missing = await create({});
    expect([missing.status, missing.json().error.code]).toEqual([403, "csrf_rejected"]);
    const wrong = await create({ "x-cogpt-csrf": "forged" });
    expect([wrong.status, wrong.json().error.code]).toEqual([403, "csrf_rejected"]);
    const crossOrigin = await create({ "x-cogpt-csrf": csrf, origin: "https://evil.example" });
    expect([crossOrigin.status, crossOrigin.json().error.code]).toEqual([403, "csrf_rejected"]);
    const crossSite = await create({ "x-cogpt-csrf": csrf, "sec-fetch-site": "cross-site" });
    expect([crossSite.status, crossSite.json().error.code]).toEqual([403, "csrf_rejected"]);
    const formPost = await test.call({
      method: "POST",
      url: "/ui/api/session",
      headers: {
        origin: "https://evil.example",
        "content-type": "application/x-www-form-urlencoded",
      },
      payload: "key=x",
    });
    expect([formPost.status, formPost.json().error.code]).toEqual([403, "csrf_rejected"]);
    const own = await create({ "x-cogpt-csrf": csrf, origin: "http://localhost:80" });
    expect(own.status).toBe(200);
    expect(test.accounting.keys.list().map((key) => key.name)).toEqual(["k1"]);
  });

  it("ends a session on DELETE", async () => {
    const test = setup();
    const { cookie, csrf } = await signInAsOwner(test);
    const end = await test.call({
      method: "DELETE",
      url: "/ui/api/session",
      headers: { cookie, "x-cogpt-csrf": csrf },
    });
    expect([end.status, end.headers["set-cookie"]]).toEqual([
      204,
      "cogpt_session=; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=0",
    ]);
    expect((await test.call({ url: "/ui/api/session", headers: { cookie } })).status).toBe(401);
  });
});

describe("a friend's session", () => {
  it("sees only its own key's usage and may change nothing; revoking the key ends it", async () => {
    const test = setup();
    const alice = test.accounting.keys.create({ name: "alice", nanoCreditsPerDay: 5_000_000_000 });
    test.accounting.keys.create({ name: "bob" });
    test.accounting.ledger.record(entry({ keyName: "alice", requestId: "a1" }));
    test.accounting.ledger.record(entry({ keyName: "bob", requestId: "b1", nanoCredits: 7 }));
    const { cookie, csrf } = await signInWithKey(test, alice.secret);
    const session = await test.call({ url: "/ui/api/session", headers: { cookie } });
    expect([session.json().role, session.json().keyName]).toEqual(["friend", "alice"]);
    const keys = await test.call({ url: "/ui/api/keys", headers: { cookie } });
    expect(keys.json().keys.map((key: { name: string }) => key.name)).toEqual(["alice"]);
    const requests = await test.call({ url: "/ui/api/requests", headers: { cookie } });
    expect(requests.json().requests.map((row: { requestId: string }) => row.requestId)).toEqual([
      "a1",
    ]);
    const other = await test.call({ url: "/ui/api/requests?key=bob", headers: { cookie } });
    expect([other.status, other.json().error.code]).toEqual([403, "other_key"]);
    const spend = await test.call({
      url: "/ui/api/spend?days=1&by=key&key=bob",
      headers: { cookie },
    });
    expect(spend.status).toBe(403);
    const ownSpend = await test.call({ url: "/ui/api/spend?days=1", headers: { cookie } });
    expect(ownSpend.json().totals.map((row: { name: string }) => row.name)).toEqual(["alice"]);
    const overview = await test.call({ url: "/ui/api/overview", headers: { cookie } });
    expect(overview.json().last24h).toEqual({
      requests: 1,
      errors: 0,
      errorRate: 0,
      credits: "0.150325",
      nanoCredits: 150325000,
    });
    for (const url of ["/ui/api/health"]) {
      const answer = await test.call({ url, headers: { cookie } });
      expect([answer.status, answer.json().error.code]).toEqual([403, "admin_only"]);
    }
    const create = await test.call({
      method: "POST",
      url: "/ui/api/keys",
      headers: { cookie, "x-cogpt-csrf": csrf },
      payload: { name: "mine" },
    });
    expect([create.status, create.json().error.code]).toEqual([403, "admin_only"]);
    test.accounting.keys.revoke("alice");
    expect((await test.call({ url: "/ui/api/session", headers: { cookie } })).status).toBe(401);
  });

  it("is refused for a revoked key or a secret that is no key", async () => {
    const test = setup();
    const carol = test.accounting.keys.create({ name: "carol" });
    test.accounting.keys.revoke("carol");
    for (const key of [carol.secret, "cogpt-madeup", SERVER_TOKEN]) {
      const answer = await test.call({ method: "POST", url: "/ui/api/session", payload: { key } });
      expect([answer.status, answer.json().error.code]).toEqual([401, "invalid_api_key"]);
    }
  });
});

describe("the dashboard's data", () => {
  const admin = { authorization: `Bearer ${ADMIN_KEY}` };

  it("lists managed and configured keys with their limits and spend today and this month", async () => {
    const test = setup({ ADMIN_KEY, API_KEYS: "configured-key-0123456789" });
    test.accounting.keys.create({
      name: "alice",
      account: "work",
      nanoCreditsPerDay: 2_500_000_000,
      requestsPerMinute: 30,
      models: ["gpt-*"],
    });
    test.accounting.ledger.record(
      entry({ keyName: "alice", time: NOON - 25 * 60 * 60 * 1000, nanoCredits: 1 }),
    );
    test.accounting.ledger.record(entry({ keyName: "alice" }));
    test.accounting.ledger.record(entry({ keyName: "API_KEYS#1", nanoCredits: 2_000_000_000 }));
    const answer = await test.call({ url: "/ui/api/keys", headers: admin });
    expect(answer.headers["content-type"]).toBe(JSON_TYPE);
    expect(answer.json()).toEqual({
      keys: [
        {
          name: "alice",
          id: expect.stringMatching(/^key_[0-9a-f]{8}$/),
          source: "managed",
          fingerprint: null,
          account: "work",
          createdAt: "2026-01-01T12:00:00.000Z",
          expiresAt: null,
          revokedAt: null,
          status: "active",
          limits: {
            creditsPerDay: "2.5",
            creditsPerMonth: null,
            requestsPerMinute: 30,
            concurrency: null,
            models: ["gpt-*"],
            fallbackModel: null,
          },
          spend: {
            today: "0.150325",
            todayNano: 150325000,
            month: "0.150325",
            monthNano: 150325000,
          },
        },
        {
          name: "API_KEYS#1",
          id: null,
          source: "API_KEYS",
          fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{8}$/),
          account: null,
          createdAt: null,
          expiresAt: null,
          revokedAt: null,
          status: "active",
          limits: {
            creditsPerDay: null,
            creditsPerMonth: null,
            requestsPerMinute: null,
            concurrency: null,
            models: null,
            fallbackModel: null,
          },
          spend: { today: "2", todayNano: 2_000_000_000, month: "2", monthNano: 2_000_000_000 },
        },
      ],
    });
  });

  it("creates a key with its secret once and snippets for the OpenAI SDK, Claude Code and Codex; updates and revokes it", async () => {
    const test = setup({ ADMIN_KEY });
    const created = await test.call({
      method: "POST",
      url: "/ui/api/keys",
      headers: { ...admin, host: "gateway.lan:8080" },
      payload: { name: "dave", creditsPerMonth: "100", concurrency: 2 },
    });
    expect(created.status).toBe(200);
    const { key, secret, snippets } = created.json();
    expect(secret).toMatch(/^cogpt-[A-Za-z0-9_-]{43}$/);
    expect([key.name, key.limits.creditsPerMonth, key.limits.concurrency]).toEqual([
      "dave",
      "100",
      2,
    ]);
    expect(snippets).toEqual({
      openai: `from openai import OpenAI\n\nclient = OpenAI(base_url="http://gateway.lan:8080/v1", api_key="${secret}")\n`,
      claudeCode: `export ANTHROPIC_BASE_URL="http://gateway.lan:8080"\nexport ANTHROPIC_AUTH_TOKEN="${secret}"\nclaude\n`,
      codex:
        '# ~/.codex/config.toml\nmodel_provider = "cogpt"\n\n[model_providers.cogpt]\nname = "CoGPT"\n' +
        'base_url = "http://gateway.lan:8080/v1"\nenv_key = "COGPT_API_KEY"\nwire_api = "responses"\n\n' +
        `# then, in the shell that runs codex:\n# export COGPT_API_KEY="${secret}"\n`,
    });
    const listed = await test.call({ url: "/ui/api/keys", headers: admin });
    expect(listed.body).not.toContain(secret);
    const updated = await test.call({
      method: "POST",
      url: "/ui/api/keys/update",
      headers: admin,
      payload: {
        name: "dave",
        creditsPerMonth: null,
        creditsPerDay: "0.5",
        expiresAt: "2026-03-01T00:00:00Z",
      },
    });
    expect(updated.json().key.limits.creditsPerMonth).toBeNull();
    expect(updated.json().key.limits.creditsPerDay).toBe("0.5");
    expect(updated.json().key.expiresAt).toBe("2026-03-01T00:00:00.000Z");
    const duplicate = await test.call({
      method: "POST",
      url: "/ui/api/keys",
      headers: admin,
      payload: { name: "dave" },
    });
    expect([duplicate.status, duplicate.json().error.code]).toEqual([409, "key_duplicate"]);
    const badCredits = await test.call({
      method: "POST",
      url: "/ui/api/keys",
      headers: admin,
      payload: { name: "erin", creditsPerDay: "-1" },
    });
    expect([badCredits.status, badCredits.json().error.param]).toEqual([400, "creditsPerDay"]);
    const noAccount = await test.call({
      method: "POST",
      url: "/ui/api/keys",
      headers: admin,
      payload: { name: "erin", account: "nobody" },
    });
    expect([noAccount.status, noAccount.json().error.param]).toEqual([400, "account"]);
    const revoked = await test.call({
      method: "POST",
      url: "/ui/api/keys/revoke",
      headers: admin,
      payload: { name: "dave" },
    });
    expect([revoked.json().key.status, revoked.json().key.revokedAt]).toEqual([
      "revoked",
      "2026-01-01T12:00:00.000Z",
    ]);
    const unknown = await test.call({
      method: "POST",
      url: "/ui/api/keys/revoke",
      headers: admin,
      payload: { name: "zed" },
    });
    expect([unknown.status, unknown.json().error.code]).toEqual([404, "key_not_found"]);
  });

  it("gives the spend per UTC day stacked by key or model, its totals, and the CSV", async () => {
    const test = setup({ ADMIN_KEY });
    const DAY = 24 * 60 * 60 * 1000;
    test.accounting.ledger.record(
      entry({ keyName: "alice", time: NOON - DAY, nanoCredits: 1_000_000_000 }),
    );
    test.accounting.ledger.record(
      entry({ keyName: "alice", nanoCredits: 500_000_000, status: 500 }),
    );
    test.accounting.ledger.record(
      entry({ keyName: "bob", modelUsed: "claude-sonnet-4", nanoCredits: 2_000_000_000 }),
    );
    test.accounting.ledger.record(entry({ keyName: "old", time: NOON - 5 * DAY, nanoCredits: 9 }));
    const byKey = await test.call({ url: "/ui/api/spend?days=2&by=key", headers: admin });
    const totals = {
      inputTokens: 19,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 105,
      reasoningTokens: 44,
    };
    expect(byKey.json()).toEqual({
      by: "key",
      days: ["2025-12-31", "2026-01-01"],
      series: [
        { name: "bob", nanoCredits: [0, 2_000_000_000], credits: ["0", "2"] },
        { name: "alice", nanoCredits: [1_000_000_000, 500_000_000], credits: ["1", "0.5"] },
      ],
      totals: [
        {
          name: "bob",
          requests: 1,
          errors: 0,
          ...totals,
          nanoCredits: 2_000_000_000,
          credits: "2",
          premiumRequests: 1,
        },
        {
          name: "alice",
          requests: 2,
          errors: 1,
          inputTokens: 38,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          outputTokens: 210,
          reasoningTokens: 88,
          nanoCredits: 1_500_000_000,
          credits: "1.5",
          premiumRequests: 2,
        },
      ],
    });
    const byModel = await test.call({ url: "/ui/api/spend?days=2&by=model", headers: admin });
    expect(byModel.json().series.map((row: { name: string }) => row.name)).toEqual([
      "claude-sonnet-4",
      "gpt-4o-2024-11-20",
    ]);
    const csv = await test.call({ url: "/ui/api/spend.csv?days=2&by=key", headers: admin });
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.body).toBe(
      "day,name,requests,nano_credits,credits\n" +
        "2025-12-31,alice,1,1000000000,1\n" +
        "2026-01-01,alice,1,500000000,0.5\n" +
        "2026-01-01,bob,1,2000000000,2\n",
    );
    const bad = await test.call({ url: "/ui/api/spend?days=0", headers: admin });
    expect([bad.status, bad.json().error.param]).toEqual([400, "days"]);
  });

  it("shows each account's plan, allowance, windows and refusal, and the last 24 h", async () => {
    const test = setup({ ADMIN_KEY });
    const account = fingerprintOf(SERVER_TOKEN);
    test.accounting.accounts.observe(
      account,
      {
        "x-usage-ratelimit-session": "ent=-1&rem=42.5&rst=2026-01-01T15:00:00Z",
        "x-usage-ratelimit-weekly": "ent=-1&rem=80&rst=2026-01-05T00:00:00Z",
        "x-quota-snapshot-premium_interactions": "ent=1500&rem=60&rst=2026-02-01T00:00:00Z",
      },
      true,
    );
    test.accounting.ledger.record(entry({ keyName: "alice" }));
    test.accounting.ledger.record(entry({ keyName: "bob", status: 429, nanoCredits: 0 }));
    test.accounting.ledger.record(entry({ keyName: "bob", time: NOON - 25 * 60 * 60 * 1000 }));
    const answer = await test.call({ url: "/ui/api/overview", headers: admin });
    expect(answer.json()).toEqual({
      version: "0.0.0-test",
      uptimeSeconds: 0,
      accounts: [
        {
          account,
          login: "owner",
          plan: "individual_pro",
          billing: "credits",
          allowance: {
            entitlement: 1500,
            remaining: 900,
            percentRemaining: 60,
            overagePermitted: false,
            resetsAt: "2026-02-01T00:00:00.000Z",
          },
          windows: [
            {
              name: "session",
              percentRemaining: 42.5,
              entitlement: -1,
              resetsAt: "2026-01-01T15:00:00.000Z",
              secondsToReset: 10800,
            },
            {
              name: "weekly",
              percentRemaining: 80,
              entitlement: -1,
              resetsAt: "2026-01-05T00:00:00.000Z",
              secondsToReset: 302400,
            },
          ],
          exhausted: null,
        },
      ],
      last24h: {
        requests: 2,
        errors: 1,
        errorRate: 0.5,
        credits: "0.150325",
        nanoCredits: 150325000,
      },
      streamsOpen: 0,
    });
    await test.call({ url: "/ui/api/overview", headers: admin });
    expect(test.github.calls).toEqual([`user ${SERVER_TOKEN}`]);
  });

  it("lists the server-held account's models with endpoints, limits, prices and policy", async () => {
    const test = setup({ ADMIN_KEY });
    test.accounting.prices.learn("gpt-4o", {
      input: { costPerBatch: 250_000_000, batchSize: 1000 },
      output: { costPerBatch: 1_000_000_000, batchSize: 1000 },
    });
    const answer = await test.call({ url: "/ui/api/models", headers: admin });
    const models = answer.json().models as { id: string }[];
    expect(models.length).toBeGreaterThan(5);
    expect(models.find((model) => model.id === "gpt-4o")).toEqual({
      id: "gpt-4o",
      name: expect.any(String),
      vendor: expect.any(String),
      endpoints: expect.any(Array),
      contextWindow: expect.any(Number),
      maxOutputTokens: expect.any(Number),
      multiplier: expect.any(Number),
      prices: {
        input: 250_000_000_000,
        cacheRead: null,
        cacheWrite: null,
        output: 1_000_000_000_000,
        per: 1_000_000,
      },
      pricesSource: "copilot",
      policy: expect.toBeOneOf(["enabled", "disabled", "unconfigured", null]),
    });
    expect(test.modelLookups).toEqual([SERVER_TOKEN]);
    for (const model of models as unknown as { endpoints: string[] }[]) {
      expect(model.endpoints.filter((endpoint) => endpoint.startsWith("ws:"))).toEqual([]);
    }
  });

  it("reports health: versions, storage, counts and the client identity", async () => {
    const test = setup({ ADMIN_KEY });
    const answer = await test.call({ url: "/ui/api/health", headers: admin });
    expect(answer.json()).toEqual({
      version: "0.0.0-test",
      node: process.version,
      uptimeSeconds: 0,
      cache: "memory",
      cacheError: null,
      storageDriver: "test-driver",
      tokenExchanges: { ok: 0, failed: 0 },
      upstreamErrors: [],
      streamsOpen: 0,
      identity: {
        editorVersion: "1.104.3",
        editorPluginVersion: "0.31.5",
        githubApiVersion: "2026-08-01",
        userAgent: "GitHubCopilotChat/0.31.5",
        integrationId: "vscode-chat",
      },
    });
  });

  it("filters the requests table by key, model and status, newest first", async () => {
    const test = setup({ ADMIN_KEY });
    test.accounting.ledger.record(entry({ requestId: "r1", keyName: "alice" }));
    test.accounting.ledger.record(entry({ requestId: "r2", keyName: "bob", status: 429 }));
    test.accounting.ledger.record(
      entry({ requestId: "r3", keyName: "alice", modelUsed: "claude-sonnet-4" }),
    );
    const ids = async (query: string) =>
      (await test.call({ url: `/ui/api/requests${query}`, headers: admin }))
        .json()
        .requests.map((row: { requestId: string }) => row.requestId);
    expect(await ids("")).toEqual(["r3", "r2", "r1"]);
    expect(await ids("?key=alice")).toEqual(["r3", "r1"]);
    expect(await ids("?model=claude-sonnet-4")).toEqual(["r3"]);
    expect(await ids("?status=error")).toEqual(["r2"]);
    expect(await ids("?status=200&limit=1")).toEqual(["r3"]);
    const first = (await test.call({ url: "/ui/api/requests?limit=1", headers: admin })).json()
      .requests[0];
    expect(first).toEqual({
      time: "2026-01-01T11:59:00.000Z",
      requestId: "r3",
      key: "alice",
      modelAsked: "gpt-4o",
      modelUsed: "claude-sonnet-4",
      endpoint: "/chat/completions",
      dialect: "chat",
      status: 200,
      latencyMs: 812,
      stream: false,
      complete: true,
      inputTokens: 19,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 105,
      reasoningTokens: 44,
      nanoCredits: 150325000,
      credits: "0.150325",
      creditsSource: "copilot",
      supportId: "ABCD:1234",
      fallbackFrom: null,
    });
  });
});

describe("the join flow (bring your own seat)", () => {
  it("is off without INVITE_CODE", async () => {
    const test = setup();
    expect((await test.call({ url: "/ui/api/join" })).json()).toEqual({ enabled: false });
    const start = await test.call({
      method: "POST",
      url: "/ui/api/join/start",
      payload: { code: "x" },
    });
    expect([start.status, start.json().error.code]).toEqual([404, "join_disabled"]);
  });

  it("checks the code, runs the device flow one poll per interval, saves the login and gives a key and a friend session", async () => {
    const test = setup({ INVITE_CODE: "friends-2026" });
    expect((await test.call({ url: "/ui/api/join" })).json()).toEqual({ enabled: true });
    const wrong = await test.call({
      method: "POST",
      url: "/ui/api/join/start",
      payload: { code: "friends-2025" },
    });
    expect([wrong.status, wrong.json().error.code]).toEqual([403, "invalid_invite"]);
    const started = await test.call({
      method: "POST",
      url: "/ui/api/join/start",
      payload: { code: "friends-2026" },
    });
    const { joinId, ...shown } = started.json();
    expect(shown).toEqual({
      userCode: "WDJB-MJHT",
      verificationUri: "https://github.com/login/device",
      expiresAt: "2026-01-01T12:15:00.000Z",
      interval: 5,
    });
    const poll = () => test.call({ method: "POST", url: "/ui/api/join/poll", payload: { joinId } });
    expect((await poll()).json()).toEqual({ status: "pending" });
    expect(test.github.calls).toEqual(["device code"]);
    test.clock.now += 5_000;
    expect((await poll()).json()).toEqual({ status: "pending" });
    test.clock.now += 5_000;
    const done = await poll();
    expect(done.json()).toEqual({
      status: "done",
      key: expect.objectContaining({
        name: "friend-login",
        account: "join-friend-login",
        source: "managed",
      }),
      secret: expect.stringMatching(/^cogpt-/),
      snippets: expect.objectContaining({
        claudeCode: expect.stringContaining(`ANTHROPIC_AUTH_TOKEN="${done.json().secret}"`),
      }),
    });
    expect(Object.keys(done.json().snippets)).toEqual(["openai", "claudeCode", "codex"]);
    expect(test.github.calls).toEqual([
      "device code",
      "poll device-code-secret",
      "poll device-code-secret",
      `check ${FRIEND_TOKEN}`,
      `login ${FRIEND_TOKEN}`,
    ]);
    expect(test.saved.get("join-friend-login")).toBe(FRIEND_TOKEN);
    const cookie = String(done.headers["set-cookie"]).split(";")[0]!;
    const session = await test.call({ url: "/ui/api/session", headers: { cookie } });
    expect([session.json().role, session.json().keyName]).toEqual(["friend", "friend-login"]);
    const after = await poll();
    expect(after.json().status).toBe("expired");
    for (const body of test.bodies) expect(body).not.toContain("device-code-secret");
  });

  it("limits join attempts to 10 a minute per address", async () => {
    const test = setup({ INVITE_CODE: "friends-2026" });
    const attempt = () =>
      test.call({ method: "POST", url: "/ui/api/join/start", payload: { code: "guess-0000" } });
    for (let index = 0; index < 10; index++) expect((await attempt()).status).toBe(403);
    const limited = await attempt();
    expect([limited.status, limited.json().error.code, limited.headers["retry-after"]]).toEqual([
      429,
      "join_rate_limited",
      "60",
    ]);
    test.clock.now += 60_001;
    expect((await attempt()).status).toBe(403);
  });
});

describe("the page's files", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("serves index.html for client routes, hashed assets immutable, and 404 for missing files and escapes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cogpt-ui-"));
    dirs.push(dir);
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>CoGPT</title>");
    writeFileSync(join(dir, "assets", "index-AbCd1234.js"), "console.log(1)");
    writeFileSync(join(dir, "favicon.svg"), "<svg/>");
    const test = setup({}, dir);
    for (const url of ["/ui", "/ui/", "/ui/keys", "/ui/join"]) {
      const page = await test.call({ url });
      expect([
        page.status,
        page.headers["content-type"],
        page.headers["cache-control"],
        page.body,
      ]).toEqual([
        200,
        "text/html; charset=utf-8",
        "no-cache",
        "<!doctype html><title>CoGPT</title>",
      ]);
      expect(page.headers["content-security-policy"]).toBe(CSP);
    }
    const asset = await test.call({ url: "/ui/assets/index-AbCd1234.js" });
    expect([asset.status, asset.headers["content-type"], asset.headers["cache-control"]]).toEqual([
      200,
      "text/javascript; charset=utf-8",
      "public, max-age=31536000, immutable",
    ]);
    expect((await test.call({ url: "/ui/favicon.svg" })).headers["cache-control"]).toBe("no-cache");
    for (const url of [
      "/ui/assets/missing-AbCd1234.js",
      "/ui/..%2f..%2fetc%2fpasswd.txt",
      "/ui/%2e%2e/x.js",
    ]) {
      expect((await test.call({ url })).status).toBe(404);
    }
    const post = await test.call({ method: "POST", url: "/ui/keys", payload: {} });
    expect(post.status).toBe(405);
  });

  it("says to run npm run build when dist/ui is missing", async () => {
    const test = setup();
    const page = await test.call({ url: "/ui/" });
    expect(page.status).toBe(404);
    expect(page.body).toContain("<code>npm run build</code>");
  });
});

describe("the live requests stream", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) =>
      server === undefined ? resolve() : server.close(() => resolve()),
    );
    server = undefined;
  });

  it("sends each recorded entry as an event, and ends with the connection", async () => {
    const test = setup({ ADMIN_KEY });
    server = createServer((incoming, outgoing) => test.app.handle(incoming, outgoing));
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const controller = new AbortController();
    const response = await fetch(`http://127.0.0.1:${port}/ui/api/requests/stream`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      signal: controller.signal,
    });
    expect([response.status, response.headers.get("content-type")]).toEqual([
      200,
      "text/event-stream; charset=utf-8",
    ]);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(text).toBe(": live requests\n\n");
    test.accounting.ledger.record(entry({ requestId: "live-1" }));
    while (!text.includes("live-1")) text += decoder.decode((await reader.read()).value);
    expect(text.split("\n\n")[1]).toBe(
      `event: request\ndata: ${JSON.stringify({
        time: "2026-01-01T11:59:00.000Z",
        requestId: "live-1",
        key: "alice",
        modelAsked: "gpt-4o",
        modelUsed: "gpt-4o-2024-11-20",
        endpoint: "/chat/completions",
        dialect: "chat",
        status: 200,
        latencyMs: 812,
        stream: false,
        complete: true,
        inputTokens: 19,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 105,
        reasoningTokens: 44,
        nanoCredits: 150325000,
        credits: "0.150325",
        creditsSource: "copilot",
        supportId: "ABCD:1234",
        fallbackFrom: null,
      })}`,
    );
    controller.abort();
    await reader.cancel().catch(() => undefined);
    // The handler ends (and unsubscribes) when the connection closes: its request line is logged.
    const logged = () => test.logs.some((record) => record["path"] === "/ui/api/requests/stream");
    for (let tries = 0; tries < 100 && !logged(); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(logged()).toBe(true);
  });
});

describe("secrets", () => {
  it("never appear in an answer: GitHub tokens, key secrets (but a new key's, once), the device code", async () => {
    const test = setup({
      ADMIN_KEY,
      INVITE_CODE: "friends-2026",
      SHARE_TOKEN: "share-abcdef0123456789:ghu_SharedSeatToken",
    });
    const admin = { authorization: `Bearer ${ADMIN_KEY}` };
    const existing = test.accounting.keys.create({ name: "alice", account: "work" });
    test.accounting.ledger.record(entry({ keyName: "alice" }));
    const created = await test.call({
      method: "POST",
      url: "/ui/api/keys",
      headers: admin,
      payload: { name: "new" },
    });
    const newSecret = created.json().secret as string;
    test.bodies.length = 0;
    for (const url of [
      "/ui/api/session",
      "/ui/api/overview",
      "/ui/api/spend",
      "/ui/api/spend.csv",
      "/ui/api/requests",
      "/ui/api/keys",
      "/ui/api/models",
      "/ui/api/health",
      "/ui/api/join",
    ]) {
      expect((await test.call({ url, headers: admin })).status).toBe(200);
    }
    const all = test.bodies.join("\n");
    for (const secret of [
      SERVER_TOKEN,
      "ghu_WorkAccountToken",
      "ghu_SharedSeatToken",
      "share-abcdef0123456789",
      existing.secret,
      newSecret,
      ADMIN_KEY,
      "friends-2026",
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(all).not.toMatch(/ghu_|cogpt-[A-Za-z0-9_-]{20}/);
  });
});
