import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runUsage } from "../../src/cli/usage.js";
import { createAccountStates } from "../../src/copilot/account-states.js";
import { saveToken, savedTokenPath } from "../../src/github/saved-token.js";
import type { LedgerEntry } from "../../src/ledger/ledger-entry.js";
import { createSqliteLedger } from "../../src/ledger/sqlite-ledger.js";
import { fingerprintOf } from "../../src/server/middleware/auth.js";
import { openDatabase } from "../../src/store/database.js";
import {
  FAKE_GITHUB_TOKEN,
  startFakeCopilot,
  type FakeCopilot,
} from "../fake-copilot/fake-copilot.js";
import { captureEnvironment, type CapturedEnvironment } from "./cli-capture.js";
import { MAIN, runCli } from "./cli-run.js";

/** The clock of the in-process runs and of the fake: mid-July 2026. */
const NOW = Date.UTC(2026, 6, 14, 10, 30, 0);
const DAY_MS = 86_400_000;

let fake: FakeCopilot;
beforeAll(async () => {
  fake = await startFakeCopilot({
    now: () => NOW,
    // 2748 of 3000 credits used, as in the recorded business answer.
    limits: {
      monthlyCredits: 3000,
      monthlyUsedNanoAiu: 2_748_000_000_000,
      overagePermitted: true,
    },
  });
});
afterAll(async () => {
  await fake.close();
});

const flags = () => ({ githubApiUrl: fake.githubUrl });
const at = (ms: number) => ({ now: () => ms });

function entry(fields: Partial<LedgerEntry> & Pick<LedgerEntry, "time" | "keyName">): LedgerEntry {
  return {
    requestId: `req-${fields.time}-${fields.keyName}`,
    account: fingerprintOf(FAKE_GITHUB_TOKEN),
    dialect: "chat",
    endpoint: "/chat/completions",
    modelAsked: "claude-sonnet-4.5",
    modelUsed: "claude-sonnet-4.5",
    initiator: "user",
    status: 200,
    latencyMs: 120,
    firstByteMs: undefined,
    stream: false,
    complete: true,
    inputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    nanoCredits: 0,
    creditsSource: "copilot",
    premiumRequests: 0,
    fallbackFrom: undefined,
    supportId: undefined,
    ...fields,
  };
}

const JULY = (day: number, hour = 12) => Date.UTC(2026, 6, day, hour);

/** Six requests from 2026-07-01 on (one of them refused), and one in June that --since leaves out. */
const ENTRIES: LedgerEntry[] = [
  entry({
    time: JULY(2),
    keyName: "alice",
    inputTokens: 1200,
    cacheReadTokens: 3000,
    cacheWriteTokens: 100,
    outputTokens: 250,
    nanoCredits: 150_325_000,
    premiumRequests: 1,
  }),
  entry({
    time: JULY(3),
    keyName: "alice",
    dialect: "responses",
    endpoint: "/responses",
    modelAsked: "gpt-5.3-codex",
    modelUsed: "gpt-5.3-codex",
    stream: true,
    inputTokens: 800,
    outputTokens: 400,
    reasoningTokens: 128,
    nanoCredits: 2_000_000_001,
    premiumRequests: 0.33,
  }),
  entry({
    time: JULY(10),
    keyName: "alice",
    status: 429,
    nanoCredits: 0,
    creditsSource: "none",
  }),
  entry({
    time: JULY(5),
    keyName: "API_KEYS#1",
    dialect: "messages",
    endpoint: "/v1/messages",
    inputTokens: 10,
    cacheReadTokens: 20,
    outputTokens: 5,
    nanoCredits: 999_999_999,
    premiumRequests: 1,
  }),
  entry({
    time: JULY(14, 9),
    keyName: "API_KEYS#1",
    modelAsked: "gpt-5.3-codex",
    modelUsed: "gpt-5.3-codex",
    inputTokens: 40,
    outputTokens: 60,
    nanoCredits: 7,
    creditsSource: "estimate",
    premiumRequests: 0.33,
  }),
  entry({
    time: JULY(14, 10),
    keyName: "local",
    initiator: "agent",
    inputTokens: 1,
    outputTokens: 1,
    nanoCredits: 1,
  }),
  entry({
    time: Date.UTC(2026, 5, 30, 23, 59),
    keyName: "alice",
    inputTokens: 99_999,
    nanoCredits: 50_000_000_000,
  }),
];

/**
 * A database at the default CACHE_PATH of `environment` as the gateway leaves it: the entries
 * written through the ledger, and the server-held account's windows from the quota headers.
 */
function writeGatewayDatabase(environment: CapturedEnvironment, withState = true): string {
  const path = join(environment.cwd, "db", "cache.sqlite3");
  const db = openDatabase(path);
  const ledger = createSqliteLedger(db, {
    now: () => NOW,
    retentionMs: 90 * DAY_MS,
    warn: (message) => {
      throw new Error(message);
    },
  });
  for (const item of ENTRIES) ledger.record(item);
  ledger.close();
  if (withState) {
    const states = createAccountStates({ db, now: () => Date.UTC(2026, 6, 14, 10, 2, 30) });
    states.observe(
      fingerprintOf(FAKE_GITHUB_TOKEN),
      {
        "x-usage-ratelimit-session": "ent=100&ov=0&ovPerm=false&rem=62.5&rst=2026-07-14T15:00:00Z",
        "x-usage-ratelimit-weekly": "ent=100&ov=0&ovPerm=false&rem=80&rst=2026-07-20T00:00:00Z",
      },
      true,
    );
    states.close();
  }
  db.close();
  return path;
}

const KEY_TABLE = [
  "Key         Requests  Errors  Input  Cache read  Cache write  Output  Reasoning      Credits  Premium requests",
  "alice              3       1  2,000       3,000          100     650        128  2.150325001              1.33",
  "API_KEYS#1         2       0     50          20            0      65          0  1.000000006              1.33",
  "local              1       0      1           0            0       1          0  0.000000001                 0",
  "Total              6       1  2,051       3,020          100     716        128  3.150325008              2.66",
];
const MODEL_TABLE = [
  "Model              Requests  Errors  Input  Cache read  Cache write  Output  Reasoning      Credits  Premium requests",
  "gpt-5.3-codex             2       0    840           0            0     460        128  2.000000008              0.66",
  "claude-sonnet-4.5         4       1  1,211       3,020          100     256          0     1.150325                 2",
  "Total                     6       1  2,051       3,020          100     716        128  3.150325008              2.66",
];

const ACCOUNT_PART = [
  "Account:       fake-user",
  "Plan:          individual (copilot_individual)",
  "Billing:       AI credits (by tokens)",
  "Quota resets:  2026-08-01",
  "",
  "Quota        Usage                                 Used         Left",
  "AI credits   ███████████████████████████░░░ 91.6%  2748 / 3000  252 (overage permitted)",
  "Chat         unlimited",
  "Completions  unlimited",
];

const WINDOWS_PART = [
  "Limits, from Copilot's answer of 2026-07-14 10:02 UTC:",
  "Window   Left   Resets                In",
  "Session  62.5%  2026-07-14 15:00 UTC  4h 30m",
  "Weekly   80%    2026-07-20 00:00 UTC  5d 13h",
];

describe("cogpt usage: account, windows and the ledger's spend", () => {
  it("shows the account, its windows and the spend per key and model since the month began", async () => {
    const environment = captureEnvironment({ GITHUB_TOKEN: FAKE_GITHUB_TOKEN });
    writeGatewayDatabase(environment);
    await runUsage(flags(), environment, at(NOW));
    expect(environment.out().split("\n")).toEqual([
      ...ACCOUNT_PART,
      "",
      ...WINDOWS_PART,
      "",
      "Spend from 2026-07-01 00:00 UTC to 2026-07-14 10:30 UTC:",
      "",
      ...KEY_TABLE,
      "",
      ...MODEL_TABLE,
      "",
    ]);
    expect(environment.err()).toBe("");
  });

  it("--since 24h counts only the last day; the account not yet seen is said so", async () => {
    const environment = captureEnvironment({ GITHUB_TOKEN: FAKE_GITHUB_TOKEN });
    writeGatewayDatabase(environment, false);
    await runUsage({ ...flags(), since: "24h" }, environment, at(NOW));
    expect(environment.out().split("\n").slice(ACCOUNT_PART.length)).toEqual([
      "",
      "Limits: not seen yet: the gateway learns these windows from Copilot's answers.",
      "",
      "Spend from 2026-07-13 10:30 UTC to 2026-07-14 10:30 UTC:",
      "",
      "Key         Requests  Errors  Input  Cache read  Cache write  Output  Reasoning      Credits  Premium requests",
      "API_KEYS#1         1       0     40           0            0      60          0  0.000000007              0.33",
      "local              1       0      1           0            0       1          0  0.000000001                 0",
      "Total              2       0     41           0            0      61          0  0.000000008              0.33",
      "",
      "Model              Requests  Errors  Input  Cache read  Cache write  Output  Reasoning      Credits  Premium requests",
      "gpt-5.3-codex             1       0     40           0            0      60          0  0.000000007              0.33",
      "claude-sonnet-4.5         1       0      1           0            0       1          0  0.000000001                 0",
      "Total                     2       0     41           0            0      61          0  0.000000008              0.33",
      "",
    ]);
  });

  it("without GitHub prints one line for the account and still the ledger", async () => {
    const environment = captureEnvironment({ GITHUB_TOKEN: FAKE_GITHUB_TOKEN });
    writeGatewayDatabase(environment);
    await runUsage({ githubApiUrl: "http://127.0.0.1:1" }, environment, at(NOW));
    expect(environment.out().split("\n")).toEqual([
      "Account: Cannot reach GitHub at 127.0.0.1:1: ECONNREFUSED (the limits and spend below are from the database)",
      "",
      ...WINDOWS_PART,
      "",
      "Spend from 2026-07-01 00:00 UTC to 2026-07-14 10:30 UTC:",
      "",
      ...KEY_TABLE,
      "",
      ...MODEL_TABLE,
      "",
    ]);

    const json = captureEnvironment({ GITHUB_TOKEN: FAKE_GITHUB_TOKEN });
    writeGatewayDatabase(json);
    await runUsage({ githubApiUrl: "http://127.0.0.1:1", json: true }, json, at(NOW));
    expect(JSON.parse(json.out())).toMatchObject({
      account: null,
      account_error: "Cannot reach GitHub at 127.0.0.1:1: ECONNREFUSED",
      total: { requests: 6, nano_credits: 3_150_325_008, credits: "3.150325008" },
    });
  });

  it("with CACHE=false shows the account and says where the ledger lives", async () => {
    const environment = captureEnvironment({ GITHUB_TOKEN: FAKE_GITHUB_TOKEN, CACHE: "false" });
    await runUsage(flags(), environment, at(NOW));
    expect(environment.out().split("\n")).toEqual([
      ...ACCOUNT_PART,
      "",
      "Limits and spend: the gateway keeps them in its database at CACHE_PATH, and CACHE=false turns it off.",
      "",
    ]);
  });

  it("refuses a --since it cannot read, as a usage error", async () => {
    const environment = captureEnvironment({ GITHUB_TOKEN: FAKE_GITHUB_TOKEN });
    await expect(
      runUsage({ ...flags(), since: "yesterday" }, environment, at(NOW)),
    ).rejects.toMatchObject({
      exitCode: 2,
      message:
        '--since "yesterday": expected month, 24h, 7d, 30d or an ISO date or time (2026-07-01)',
    });
  });

  it("without a token and without a database says how to get a token (a usage error)", async () => {
    const environment = captureEnvironment();
    await expect(runUsage(flags(), environment, at(NOW))).rejects.toMatchObject({
      exitCode: 2,
      message:
        "no GitHub token: sign in with `cogpt login --save`, or pass --github-token / set GITHUB_TOKEN",
    });
    // Only read: the database is not created.
    expect(existsSync(join(environment.cwd, "db", "cache.sqlite3"))).toBe(false);
  });

  it("passes on GitHub's refusal of a bad token when there is no ledger to show", async () => {
    const environment = captureEnvironment();
    await expect(runUsage({ ...flags(), githubToken: "ghu_Revoked" }, environment)).rejects.toThrow(
      "GitHub rejected the GitHub token (Bad credentials): it is wrong, expired or revoked.",
    );
    expect(environment.out()).toBe("");
  });
});

describe("cogpt usage --json (the built CLI)", () => {
  it("gives account, windows and exact per-key and per-model totals, reading the database only", async () => {
    const environment = captureEnvironment();
    saveToken(savedTokenPath(environment.env), FAKE_GITHUB_TOKEN);
    const path = writeGatewayDatabase(environment);
    const before = Date.now();
    const result = await runCli(
      MAIN,
      ["usage", "--json", "--since", "2026-07-01", "--github-api-url", fake.githubUrl],
      {
        cwd: environment.cwd,
        env: { COGPT_CONFIG_DIR: environment.env["COGPT_CONFIG_DIR"] ?? "" },
      },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const usage = JSON.parse(result.stdout) as Record<string, unknown>;
    const until = Date.parse(String(usage["until"]));
    expect(until).toBeGreaterThanOrEqual(before);
    expect(until).toBeLessThanOrEqual(Date.now());
    expect(usage).toEqual({
      account: {
        login: "fake-user",
        plan: "individual",
        sku: "copilot_individual",
        billing: "ai_credits",
        quota_reset_date: "2026-08-01",
        quotas: {
          premium_interactions: {
            unlimited: false,
            entitlement: 3000,
            remaining: 252,
            used: 2748,
            percent_used: 91.6,
            overage_count: 0,
            overage_permitted: true,
          },
          chat: expect.objectContaining({ unlimited: true }) as unknown,
          completions: expect.objectContaining({ unlimited: true }) as unknown,
        },
      },
      account_fingerprint: fingerprintOf(FAKE_GITHUB_TOKEN),
      // The windows' resets lie in the past of the real clock.
      windows: {
        updated_at: "2026-07-14T10:02:30.000Z",
        exhausted: null,
        windows: {
          session: {
            unlimited: false,
            entitlement: 100,
            percent_remaining: 62.5,
            overage: 0,
            overage_permitted: false,
            resets_at: "2026-07-14T15:00:00.000Z",
            seconds_to_reset: 0,
          },
          weekly: {
            unlimited: false,
            entitlement: 100,
            percent_remaining: 80,
            overage: 0,
            overage_permitted: false,
            resets_at: "2026-07-20T00:00:00.000Z",
            seconds_to_reset: 0,
          },
        },
      },
      since: "2026-07-01T00:00:00.000Z",
      until: usage["until"],
      // July 2026 lies beyond the 90 days of LEDGER_RETENTION: the daily totals answer.
      from_daily_totals: true,
      by_key: [
        spend("alice", [3, 1, 2000, 3000, 100, 650, 128], ["2.150325001", 2_150_325_001], 1.33),
        spend("API_KEYS#1", [2, 0, 50, 20, 0, 65, 0], ["1.000000006", 1_000_000_006], 1.33),
        spend("local", [1, 0, 1, 0, 0, 1, 0], ["0.000000001", 1], 0),
      ],
      by_model: [
        spend("gpt-5.3-codex", [2, 0, 840, 0, 0, 460, 128], ["2.000000008", 2_000_000_008], 0.66),
        spend("claude-sonnet-4.5", [4, 1, 1211, 3020, 100, 256, 0], ["1.150325", 1_150_325_000], 2),
      ],
      total: spend(
        "total",
        [6, 1, 2051, 3020, 100, 716, 128],
        ["3.150325008", 3_150_325_008],
        2.66,
      ),
    });

    // Nothing was pruned by the read: the rows older than the retention are still there.
    const db = openDatabase(path);
    try {
      expect(db.prepare<{ rows: number }>("SELECT COUNT(*) AS rows FROM ledger").get()).toEqual({
        rows: ENTRIES.length,
      });
    } finally {
      db.close();
    }
  });

  it("--ledger-retention long enough answers from the rows, with the same totals", async () => {
    const environment = captureEnvironment();
    saveToken(savedTokenPath(environment.env), FAKE_GITHUB_TOKEN);
    writeGatewayDatabase(environment);
    const result = await runCli(
      MAIN,
      [
        "usage",
        "--json",
        "--since",
        "2026-07-01T00:00Z",
        "--ledger-retention",
        "36500",
        "--github-api-url",
        fake.githubUrl,
      ],
      {
        cwd: environment.cwd,
        env: { COGPT_CONFIG_DIR: environment.env["COGPT_CONFIG_DIR"] ?? "" },
      },
    );
    expect(result.code).toBe(0);
    const usage = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(usage["from_daily_totals"]).toBe(false);
    expect(usage["total"]).toEqual(
      spend("total", [6, 1, 2051, 3020, 100, 716, 128], ["3.150325008", 3_150_325_008], 2.66),
    );
  });
});

function spend(
  name: string,
  [requests, errors, input, cacheRead, cacheWrite, output, reasoning]: number[],
  [credits, nanoCredits]: [string, number],
  premiumRequests: number,
): Record<string, unknown> {
  return {
    name,
    requests,
    errors,
    input_tokens: input,
    cache_read_tokens: cacheRead,
    cache_write_tokens: cacheWrite,
    output_tokens: output,
    reasoning_tokens: reasoning,
    credits,
    nano_credits: nanoCredits,
    premium_requests: premiumRequests,
  };
}
