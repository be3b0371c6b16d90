import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixturesDir } from "../../test/fixtures-dir.js";
import { parseCopilotError } from "./copilot-errors.js";

function body(name: string): string {
  return readFileSync(`${fixturesDir}/errors/${name}`, "utf8");
}

describe("parseCopilotError", () => {
  it("reads an OpenAI-shaped JSON error served as text/plain with a newline", () => {
    const error = parseCopilotError(400, body("400.model_not_supported.body.txt"), {
      "content-type": "text/plain; charset=utf-8",
      "x-github-request-id": "ABCD:1234",
    });
    expect({
      status: error.status,
      kind: error.kind,
      message: error.message,
      code: error.code,
      param: error.param,
      upstreamRequestId: error.upstreamRequestId,
    }).toEqual({
      status: 400,
      kind: "invalid_request",
      message: "The requested model is not supported.",
      code: "model_not_supported",
      param: "model",
      upstreamRequestId: "ABCD:1234",
    });
  });

  it("reads unsupported_api_for_model", () => {
    const error = parseCopilotError(400, body("400.unsupported_api_for_model.2026.body.txt"), {});
    expect([error.message, error.code]).toEqual([
      'model "gpt-5.4-mini" is not accessible via the /chat/completions endpoint',
      "unsupported_api_for_model",
    ]);
  });

  it("reads a plain-text 401", () => {
    const error = parseCopilotError(401, body("401.token_expired.body.txt"), {});
    expect([error.status, error.message, error.code]).toEqual([
      401,
      "Copilot rejected the Copilot token: unauthorized: token expired",
      "copilot_token_rejected",
    ]);
  });

  it("explains a 466, with the settings to change and the values sent", () => {
    const error = parseCopilotError(
      466,
      body("466.api_version_no_longer_supported.body.txt"),
      {},
      "EDITOR_VERSION=1.104.3, EDITOR_PLUGIN_VERSION=0.20.0, GITHUB_API_VERSION=2026-08-01, " +
        "USER_AGENT=GitHubCopilotChat/0.20.0, COPILOT_INTEGRATION_ID=vscode-chat",
    );
    expect(error.message).toBe(
      "Copilot no longer accepts the client version this gateway sends (HTTP 466). Sent: " +
        "EDITOR_VERSION=1.104.3, EDITOR_PLUGIN_VERSION=0.20.0, GITHUB_API_VERSION=2026-08-01, " +
        "USER_AGENT=GitHubCopilotChat/0.20.0, COPILOT_INTEGRATION_ID=vscode-chat. Update " +
        "EDITOR_VERSION, EDITOR_PLUGIN_VERSION, GITHUB_API_VERSION, USER_AGENT or " +
        "COPILOT_INTEGRATION_ID to the values of a current VS Code and Copilot Chat, then restart. " +
        "Copilot said: bad request: the specified API version is no longer supported. You may " +
        "need to update your client to a newer version.",
    );
    expect([error.status, error.code]).toEqual([466, "client_version_rejected"]);
  });

  it("keeps retry-after and the code of a 429", () => {
    const inner = readFileSync(`${fixturesDir}/errors/429.rate_limited.inner.json`, "utf8");
    const error = parseCopilotError(429, `{"error":${inner}}`, { "retry-after": "17" });
    expect([error.kind, error.code, error.retryAfter]).toEqual([
      "rate_limit",
      "rate_limited",
      "17",
    ]);
    expect(error.message).toMatch(/^Sorry, you have exceeded your Copilot token usage\./);
  });

  it("turns a 402 quota error into a 429 that names the allowance and its reset", () => {
    const resetsAt = new Date(Date.now() + 3 * 3600_000 + 30_000);
    resetsAt.setUTCMilliseconds(0);
    const error = parseCopilotError(402, body("402.quota_exceeded.body.txt"), {
      "x-quota-snapshot-premium_interactions": `ent=1500&ov=0.0&ovPerm=false&rem=0.0&rst=${encodeURIComponent(resetsAt.toISOString())}`,
    });
    expect([error.status, error.kind, error.message, error.code]).toEqual([
      429,
      "quota",
      "Copilot refused the request: the monthly AI-credit allowance of this account is used up; " +
        `it resets at ${resetsAt.toISOString()} (in 3 h 1 min). Copilot said (HTTP 402): You have no quota`,
      "quota_exceeded",
    ]);
    expect(Number(error.retryAfter)).toBeGreaterThan(3 * 3600);
    expect(Number(error.retryAfter)).toBeLessThanOrEqual(3 * 3600 + 30);
  });

  it("turns a session limit into a 429 with Copilot's retry-after kept", () => {
    const error = parseCopilotError(
      429,
      '{"error":{"message":"You have reached your session limit.","code":"session_quota_exceeded"}}\n',
      { "retry-after": "120" },
    );
    expect([error.status, error.kind, error.message, error.code, error.retryAfter]).toEqual([
      429,
      "rate_limit",
      "Copilot refused the request: the session limit (a rolling window of about five hours) of " +
        "this account is used up; it resets at " +
        `${new Date(Date.parse(error.message.match(/at (\S+) \(/)?.[1] ?? "")).toISOString()} (in 2 min). ` +
        "Copilot said (HTTP 429): You have reached your session limit.",
      "session_quota_exceeded",
      "120",
    ]);
  });

  it("never passes an HTML error page through", () => {
    const error = parseCopilotError(502, body("error.5xx.github-unicorn-page.2026-03.html"), {});
    expect([error.message, error.code]).toEqual(["Copilot answered HTTP 502", "upstream_error"]);
  });

  it("clips a very long plain-text body", () => {
    const error = parseCopilotError(500, "x".repeat(2000), {});
    expect(error.message).toBe(`${"x".repeat(500)}…`);
  });

  it("keeps both support ids of an error answer", () => {
    const error = parseCopilotError(500, "", {
      "x-github-request-id": "C0DE:1:2:3:4",
      "x-copilot-service-request-id": "9b2f6f5e-0000-4000-8000-000000000001",
    });
    expect([error.upstreamRequestId, error.copilotServiceRequestId]).toEqual([
      "C0DE:1:2:3:4",
      "9b2f6f5e-0000-4000-8000-000000000001",
    ]);
  });
});
