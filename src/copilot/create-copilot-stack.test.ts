import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  FAKE_GITHUB_TOKEN,
  startFakeCopilot,
  type FakeCopilot,
} from "../../test/fake-copilot/fake-copilot.js";
import { hashGitHubToken } from "../cache/hash-github-token.js";
import type { Config } from "../config/config.js";
import { loadConfig } from "../config/load-config.js";
import { createCopilotStack } from "./create-copilot-stack.js";

const MODELS = {
  object: "list",
  data: [
    { id: "gpt-4.1", vendor: "Azure OpenAI", supported_endpoints: ["/chat/completions"] },
    { id: "claude-sonnet-4", vendor: "Anthropic", supported_endpoints: ["/v1/messages"] },
  ],
};

let fake: FakeCopilot;
let directory: string;
let config: Config;

beforeAll(async () => {
  fake = await startFakeCopilot({ models: MODELS });
  directory = mkdtempSync(join(tmpdir(), "cogpt-stack-"));
  config = loadConfig({
    env: {
      GITHUB_URL: fake.githubUrl,
      GITHUB_API_URL: fake.githubUrl,
      CACHE_PATH: join(directory, "cache.sqlite3"),
      RETRIES: "0",
      RATE_LIMIT_WAIT: "5s",
    },
  }).config;
});

beforeEach(() => fake.reset());

afterAll(async () => {
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

function createLog() {
  const lines: string[] = [];
  return {
    lines,
    info: (message: string) => lines.push(`info ${message}`),
    warn: (message: string) => lines.push(`warn ${message}`),
  };
}

describe("createCopilotStack", () => {
  it("exchanges the GitHub token, lists the models, logs the exchange, then closes", async () => {
    const log = createLog();
    const stack = createCopilotStack(config, { cache: "configured", log });
    const exchangesBefore = fake.tokenExchangeCount(FAKE_GITHUB_TOKEN);

    const models = await stack.models.getModels(FAKE_GITHUB_TOKEN, "request-1");

    expect(models.map((model) => [model.id, model.vendor])).toEqual([
      ["gpt-4.1", "Azure OpenAI"],
      ["claude-sonnet-4", "Anthropic"],
    ]);
    expect(fake.tokenExchangeCount(FAKE_GITHUB_TOKEN) - exchangesBefore).toBe(1);
    expect(fake.requests.map((request) => `${request.server} ${request.path}`)).toEqual([
      "github /copilot_internal/v2/token",
      "copilot /models",
    ]);
    expect(stack.cache.kind).toBe("sqlite");
    expect(existsSync(config.cachePath)).toBe(true);
    const accountKey = hashGitHubToken(FAKE_GITHUB_TOKEN).slice(0, 8);
    expect(log.lines).toEqual([
      `info Copilot token obtained for account ${accountKey} (copilot_individual, valid 30 min)`,
    ]);

    await stack.close();
    await stack.close();
    // The HTTP clients are closed: nothing more leaves, not even on a fresh connection.
    const requestsBefore = fake.requests.length;
    await expect(
      stack.client.call({
        githubToken: FAKE_GITHUB_TOKEN,
        method: "GET",
        path: "/models",
        initiator: "user",
        vision: false,
        requestId: "request-2",
      }),
    ).rejects.toThrow(`Cannot reach Copilot at ${new URL(fake.copilotUrl).host}: network error`);
    expect(fake.requests.length).toBe(requestsBefore);
  });

  it("tells onTokenExchange the outcome of each exchange with GitHub, once", async () => {
    const outcomes: string[] = [];
    const stack = createCopilotStack(config, {
      cache: "memory",
      onTokenExchange: (outcome) => outcomes.push(outcome),
    });
    try {
      await stack.tokenSource.getToken(FAKE_GITHUB_TOKEN);
      await stack.tokenSource.getToken(FAKE_GITHUB_TOKEN);
      await expect(stack.tokenSource.getToken("ghu_UnknownToGitHub")).rejects.toMatchObject({
        status: 401,
      });
      expect(outcomes).toEqual(["ok", "failed"]);
    } finally {
      await stack.close();
    }
  });

  it("with the configured cache, a second stack reuses the token the first one stored", async () => {
    const first = createCopilotStack(config, { cache: "configured" });
    await first.tokenSource.getToken(FAKE_GITHUB_TOKEN);
    await first.close();
    const exchangesBefore = fake.tokenExchangeCount(FAKE_GITHUB_TOKEN);

    const second = createCopilotStack(config, { cache: "configured" });
    await second.tokenSource.getToken(FAKE_GITHUB_TOKEN);
    await second.close();
    expect(fake.tokenExchangeCount(FAKE_GITHUB_TOKEN)).toBe(exchangesBefore);

    const memory = createCopilotStack(config, { cache: "memory" });
    await memory.tokenSource.getToken(FAKE_GITHUB_TOKEN);
    await memory.close();
    expect(memory.cache.kind).toBe("memory");
    expect(fake.tokenExchangeCount(FAKE_GITHUB_TOKEN)).toBe(exchangesBefore + 1);
  });

  it("rateLimitWaitMs: 0 passes a 429 on at once, whatever RATE_LIMIT_WAIT says", async () => {
    const stack = createCopilotStack(config, { cache: "memory", rateLimitWaitMs: 0 });
    fake.injectFault({
      path: "/models",
      status: 429,
      headers: { "retry-after": "1" },
      body: JSON.stringify({ error: { message: "rate limited", code: "rate_limited" } }),
    });
    try {
      await expect(stack.models.getModels(FAKE_GITHUB_TOKEN, "request-3")).rejects.toMatchObject({
        status: 429,
      });
      expect(fake.requests.filter((request) => request.path === "/models").length).toBe(1);
    } finally {
      await stack.close();
    }
  });
});
