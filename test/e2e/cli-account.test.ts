import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runModels } from "../../src/cli/models.js";
import { runUsage } from "../../src/cli/usage.js";
import { saveToken, savedTokenPath } from "../../src/github/saved-token.js";
import {
  FAKE_GITHUB_TOKEN,
  startFakeCopilot,
  type FakeCopilot,
} from "../fake-copilot/fake-copilot.js";
import { captureEnvironment } from "./cli-capture.js";

const MODELS = {
  object: "list",
  data: [
    {
      id: "claude-sonnet-4.5",
      name: "Claude Sonnet 4.5",
      vendor: "Anthropic",
      object: "model",
      capabilities: { type: "chat", limits: { max_context_window_tokens: 200000 } },
      billing: { is_premium: true, multiplier: 1 },
      policy: { state: "enabled", terms: "…" },
      supported_endpoints: ["/chat/completions", "/v1/messages"],
    },
    {
      id: "gpt-5.3-codex",
      vendor: "OpenAI",
      object: "model",
      capabilities: { type: "chat", limits: { max_context_window_tokens: 400000 } },
      billing: { is_premium: true, multiplier: 1 },
      policy: { state: "disabled", terms: "…" },
      supported_endpoints: ["/responses", "ws:/responses"],
    },
    {
      id: "gpt-4o",
      vendor: "Azure OpenAI",
      object: "model",
      capabilities: { type: "chat", limits: { max_context_window_tokens: 128000 } },
      billing: { is_premium: false, multiplier: 0 },
    },
  ],
};

let fake: FakeCopilot;
beforeAll(async () => {
  fake = await startFakeCopilot({ models: MODELS });
});
afterAll(async () => {
  await fake.close();
});

const flags = () => ({ githubApiUrl: fake.githubUrl });

describe("cogpt usage (against the fake GitHub)", () => {
  it("shows plan, reset date and premium-request usage as a table", async () => {
    const environment = captureEnvironment({ GITHUB_TOKEN: FAKE_GITHUB_TOKEN });
    await runUsage(flags(), environment);
    expect(environment.out().split("\n")).toEqual([
      "Account:       fake-user",
      "Plan:          individual (copilot_individual)",
      "Quota resets:  2026-07-01",
      "",
      "Quota             Usage                                 Used         Left",
      "Premium requests  ███████████████████████████░░░ 91.6%  2748 / 3000  252 (overage permitted)",
      "Chat              unlimited",
      "Completions       unlimited",
      "",
    ]);
    expect(environment.err()).toBe("");
  });

  it("--json, with the token `cogpt login --save` stored", async () => {
    const environment = captureEnvironment();
    saveToken(savedTokenPath(environment.env), FAKE_GITHUB_TOKEN);
    await runUsage({ ...flags(), json: true }, environment);
    const usage = JSON.parse(environment.out()) as Record<string, unknown>;
    expect(usage).toMatchObject({
      login: "fake-user",
      plan: "individual",
      sku: "copilot_individual",
      quota_reset_date: "2026-07-01",
    });
    expect(usage["quotas"]).toMatchObject({
      premium_interactions: { entitlement: 3000, remaining: 252, used: 2748, percent_used: 91.6 },
    });
  });

  it("without a token says how to get one (a usage error)", async () => {
    await expect(runUsage(flags(), captureEnvironment())).rejects.toMatchObject({
      exitCode: 2,
      message:
        "no GitHub token: sign in with `cogpt login --save`, or pass --github-token / set GITHUB_TOKEN",
    });
  });

  it("passes on GitHub's refusal of a bad token", async () => {
    const environment = captureEnvironment();
    await expect(runUsage({ ...flags(), githubToken: "ghu_Revoked" }, environment)).rejects.toThrow(
      "GitHub rejected the GitHub token (Bad credentials): it is wrong, expired or revoked.",
    );
    expect(environment.out()).toBe("");
  });
});

describe("cogpt models (against the fake Copilot)", () => {
  it("lists the account's models and where to enable a disabled one", async () => {
    const environment = captureEnvironment({ GITHUB_TOKEN: FAKE_GITHUB_TOKEN });
    await runModels(flags(), environment);
    expect(environment.out().split("\n")).toEqual([
      "Model              Vendor        Endpoints                       Context  Premium  Policy",
      "claude-sonnet-4.5  Anthropic     /chat/completions /v1/messages  200k     1x       enabled",
      "gpt-5.3-codex      OpenAI        /responses                      400k     1x       disabled",
      "gpt-4o             Azure OpenAI  /chat/completions               128k     free     -",
      "",
      "3 models.",
      "Disabled by policy: gpt-5.3-codex. Enable them at https://github.com/settings/copilot " +
        "(on a business or enterprise seat, your organization's admin decides).",
      "",
    ]);
  });

  it("--json gives one array", async () => {
    const environment = captureEnvironment({ GITHUB_TOKEN: FAKE_GITHUB_TOKEN });
    await runModels({ ...flags(), json: true }, environment);
    expect(JSON.parse(environment.out())).toEqual([
      {
        id: "claude-sonnet-4.5",
        vendor: "Anthropic",
        endpoints: ["/chat/completions", "/v1/messages"],
        context_window: 200000,
        premium_multiplier: 1,
        policy: "enabled",
      },
      {
        id: "gpt-5.3-codex",
        vendor: "OpenAI",
        endpoints: ["/responses"],
        context_window: 400000,
        premium_multiplier: 1,
        policy: "disabled",
      },
      {
        id: "gpt-4o",
        vendor: "Azure OpenAI",
        endpoints: ["/chat/completions"],
        context_window: 128000,
        premium_multiplier: 0,
        policy: null,
      },
    ]);
  });

  it("says when Copilot refuses the client version (466)", async () => {
    const environment = captureEnvironment({ GITHUB_TOKEN: FAKE_GITHUB_TOKEN });
    await expect(
      runModels({ ...flags(), githubApiVersion: "2024-01-01" }, environment),
    ).rejects.toThrow(
      "Copilot no longer accepts the client version this gateway sends (HTTP 466). Sent: " +
        "EDITOR_VERSION=1.104.3, EDITOR_PLUGIN_VERSION=0.31.5, GITHUB_API_VERSION=2024-01-01, " +
        "USER_AGENT=GitHubCopilotChat/0.31.5, COPILOT_INTEGRATION_ID=vscode-chat. Update " +
        "EDITOR_VERSION, EDITOR_PLUGIN_VERSION, GITHUB_API_VERSION, USER_AGENT or " +
        "COPILOT_INTEGRATION_ID to the values of a current VS Code and Copilot Chat, then restart.",
    );
  });
});
