import { describe, expect, it } from "vitest";
import { createCopilotHeaders, createSessionIds, machineIdFor } from "./copilot-headers.js";

const headers = createCopilotHeaders({
  editorVersion: "1.104.3",
  editorPluginVersion: "0.31.5",
  githubApiVersion: "2026-08-01",
  userAgent: "GitHubCopilotChat/0.31.5",
  copilotIntegrationId: "vscode-chat",
});

describe("createCopilotHeaders", () => {
  it("sends USER_AGENT and COPILOT_INTEGRATION_ID as set, and names the identity sent", () => {
    const custom = createCopilotHeaders({
      editorVersion: "1.110.0",
      editorPluginVersion: "0.40.1",
      githubApiVersion: "2026-09-01",
      userAgent: "Custom/2",
      copilotIntegrationId: "copilot-developer-cli",
    });
    const sent = custom.forCopilot({
      copilotToken: "t",
      initiator: "user",
      vision: false,
      machineId: "m",
      sessionId: "s",
      requestId: "r",
    });
    expect([sent["user-agent"], sent["copilot-integration-id"]]).toEqual([
      "Custom/2",
      "copilot-developer-cli",
    ]);
    expect(custom.forGitHub("ghu_x")["user-agent"]).toBe("Custom/2");
    expect(custom.identity).toBe(
      "EDITOR_VERSION=1.110.0, EDITOR_PLUGIN_VERSION=0.40.1, GITHUB_API_VERSION=2026-09-01, " +
        "USER_AGENT=Custom/2, COPILOT_INTEGRATION_ID=copilot-developer-cli",
    );
  });

  it("builds the full Copilot header set for a user turn", () => {
    expect(
      headers.forCopilot({
        copilotToken: "tid=1;exp=2:sig",
        initiator: "user",
        vision: false,
        machineId: "m1",
        sessionId: "s1",
        requestId: "r1",
      }),
    ).toEqual({
      "content-type": "application/json",
      "copilot-integration-id": "vscode-chat",
      "editor-version": "vscode/1.104.3",
      "editor-plugin-version": "copilot-chat/0.31.5",
      "user-agent": "GitHubCopilotChat/0.31.5",
      "x-github-api-version": "2026-08-01",
      authorization: "Bearer tid=1;exp=2:sig",
      "openai-intent": "conversation-panel",
      "x-initiator": "user",
      "x-request-id": "r1",
      "vscode-machineid": "m1",
      "vscode-sessionid": "s1",
    });
  });

  it("marks agent turns and vision requests", () => {
    const built = headers.forCopilot({
      copilotToken: "t",
      initiator: "agent",
      vision: true,
      machineId: "m",
      sessionId: "s",
      requestId: "r",
    });
    // Entries, not toEqual: the order is the order the headers go out in.
    expect(Object.entries(built)).toEqual([
      ["content-type", "application/json"],
      ["copilot-integration-id", "vscode-chat"],
      ["editor-version", "vscode/1.104.3"],
      ["editor-plugin-version", "copilot-chat/0.31.5"],
      ["user-agent", "GitHubCopilotChat/0.31.5"],
      ["x-github-api-version", "2026-08-01"],
      ["authorization", "Bearer t"],
      ["openai-intent", "conversation-agent"],
      ["x-initiator", "agent"],
      ["x-request-id", "r"],
      ["vscode-machineid", "m"],
      ["vscode-sessionid", "s"],
      ["copilot-vision-request", "true"],
    ]);
  });

  it("makes a new request id when none is given", () => {
    const input = {
      copilotToken: "t",
      initiator: "user",
      vision: false,
      machineId: "m",
      sessionId: "s",
    } as const;
    expect(headers.forCopilot(input)["x-request-id"]).not.toBe(
      headers.forCopilot(input)["x-request-id"],
    );
  });

  it("builds GitHub API headers with the token scheme", () => {
    expect(headers.forGitHub("ghu_abc")).toEqual({
      accept: "application/json",
      "editor-version": "vscode/1.104.3",
      "editor-plugin-version": "copilot-chat/0.31.5",
      "user-agent": "GitHubCopilotChat/0.31.5",
      "x-github-api-version": "2026-08-01",
      authorization: "token ghu_abc",
    });
  });
});

describe("machineIdFor", () => {
  it("is stable and 64 hex characters", () => {
    expect(machineIdFor("abc")).toBe(machineIdFor("abc"));
    expect(machineIdFor("abc")).toMatch(/^[0-9a-f]{64}$/);
    expect(machineIdFor("abc")).not.toBe(machineIdFor("abd"));
  });
});

describe("createSessionIds", () => {
  it("keeps a session id for 15 minutes per key, then renews it", () => {
    let time = 1_000_000;
    let n = 0;
    const sessionFor = createSessionIds(
      () => time,
      () => `uuid-${++n}`,
    );
    expect(sessionFor("a")).toBe("uuid-11000000");
    expect(sessionFor("b")).toBe("uuid-21000000");
    time += 15 * 60 * 1000 - 1;
    expect(sessionFor("a")).toBe("uuid-11000000");
    time += 1;
    expect(sessionFor("a")).toBe(`uuid-3${time}`);
  });
});
