import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runModels } from "../../src/cli/models.js";
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
