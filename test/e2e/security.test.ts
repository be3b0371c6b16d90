import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { MODEL_MAP: "evil:gpt-4o" } });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.reset();
});

describe("client headers never reach Copilot", () => {
  it("sends only the gateway's own protocol headers, whatever the client sends", async () => {
    const response = await fetch(`${h.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${FAKE_GITHUB_TOKEN}`,
        "content-type": "application/json",
        "x-github-api-version": "1999-01-01",
        "copilot-integration-id": "evil",
        "x-initiator": "agent",
        "copilot-vision-request": "true",
        "x-request-id": "client-chosen",
        "editor-version": "evil/1",
        "x-forwarded-for": "10.0.0.1",
        cookie: "session=abc",
      },
      body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(200);
    const sent = h.fake.requests.find((r) => r.path === "/chat/completions");
    expect(sent?.headers).toMatchObject({
      "x-github-api-version": "2026-08-01",
      "copilot-integration-id": "vscode-chat",
      "x-initiator": "user",
      "editor-version": "vscode/1.104.3",
    });
    expect(sent?.headers["x-request-id"]).not.toBe("client-chosen");
    expect(sent?.headers["copilot-vision-request"]).toBeUndefined();
    expect(sent?.headers["x-forwarded-for"]).toBeUndefined();
    expect(sent?.headers.cookie).toBeUndefined();
  });

  it("keeps a model name with line breaks inside the JSON body", async () => {
    const response = await fetch(`${h.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${FAKE_GITHUB_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4o\r\nX-Injected: yes",
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe("model_not_found");
    expect(h.fake.requests.some((r) => "x-injected" in r.headers)).toBe(false);
  });
});

describe("errors never echo credentials", () => {
  it("does not repeat a malformed Authorization header", async () => {
    const response = await fetch(`${h.gateway.url}/v1/models`, {
      headers: { authorization: "Bearer ghu_secret part2 part3" },
    });
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain("ghu_secret");
  });

  it("does not repeat the key GitHub refused", async () => {
    const response = await fetch(`${h.gateway.url}/v1/models`, {
      headers: { authorization: "Bearer ghu_RefusedTokenRefusedToken000000000000" },
    });
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain("ghu_RefusedToken");
  });
});
