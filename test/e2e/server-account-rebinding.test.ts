import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness } from "./harness.js";

/*
 * The server-held account without a key serves only requests meant for this machine: a page that
 * reaches the loopback through DNS rebinding sends its own Host, and a browser marks requests of
 * another site with Sec-Fetch-Site. Both are refused (403 in the route's dialect).
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { GITHUB_TOKEN: FAKE_GITHUB_TOKEN } });
});
afterAll(async () => {
  await h.close();
});

/** A raw request, so that Host can be anything (fetch sets its own). */
function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: unknown }> {
  const url = new URL(h.gateway.url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: url.hostname, port: url.port, method, path, headers },
      (incoming) => {
        let text = "";
        incoming.on("data", (chunk: Buffer) => (text += chunk.toString()));
        incoming.on("end", () =>
          resolve({ status: incoming.statusCode ?? 0, body: JSON.parse(text) as unknown }),
        );
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

const REBINDING_MESSAGE =
  "The server-held account serves only requests addressed to a loopback name (Host: localhost, 127.0.0.1 or [::1]); another Host is what a page reaching this machine through DNS rebinding sends. Pass a GitHub token or an API key";

describe("the server-held account without a key", () => {
  it("serves a loopback Host, with or without the port", async () => {
    const port = new URL(h.gateway.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, "localhost", "[::1]"]) {
      expect((await send("GET", "/v1/models", { host })).status).toBe(200);
    }
  });

  it("refuses a rebinding GET (Host: evil.example) in the OpenAI dialect", async () => {
    expect(await send("GET", "/v1/models", { host: "evil.example" })).toEqual({
      status: 403,
      body: {
        error: {
          message: REBINDING_MESSAGE,
          type: "permission_error",
          code: "host_not_allowed",
          param: null,
        },
      },
    });
  });

  it("refuses a rebinding POST to /v1/messages in the Anthropic dialect", async () => {
    const body = JSON.stringify({
      model: "claude-sonnet-4.5",
      max_tokens: 10,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(
      await send(
        "POST",
        "/v1/messages",
        { host: "evil.example:4141", "content-type": "application/json" },
        body,
      ),
    ).toEqual({
      status: 403,
      body: { type: "error", error: { type: "permission_error", message: REBINDING_MESSAGE } },
    });
  });

  it.each(["cross-site", "same-site"])("refuses Sec-Fetch-Site: %s", async (site) => {
    expect(await send("GET", "/v1/models", { host: "localhost", "sec-fetch-site": site })).toEqual({
      status: 403,
      body: {
        error: {
          message: `A browser request from another site (Sec-Fetch-Site: ${site}) cannot use the server-held account; pass a GitHub token or an API key, or list the origin in CORS_ORIGINS`,
          type: "permission_error",
          code: "cross_site_request",
          param: null,
        },
      },
    });
  });

  it("leaves requests with a real credential alone", async () => {
    const response = await send("GET", "/v1/models", {
      host: "evil.example",
      "sec-fetch-site": "cross-site",
      authorization: `Bearer ${FAKE_GITHUB_TOKEN}`,
    });
    expect(response.status).toBe(200);
  });
});
