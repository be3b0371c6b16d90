import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";
import type { Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryTokenCache } from "../cache/memory-token-cache.js";
import { createUpstreamHttp } from "../http/create-upstream-http.js";
import { hashGitHubToken } from "../cache/hash-github-token.js";
import { createCopilotClient } from "./copilot-client.js";
import type { CopilotCall, CopilotClient } from "./copilot-client.js";
import { createCopilotHeaders, machineIdFor } from "./copilot-headers.js";
import { createTokenSource } from "./token-source.js";

interface Received {
  readonly method: string;
  readonly url: string;
  readonly rawHeaders: string[];
  readonly body: string;
}

const received: Received[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    received.push({
      method: req.method ?? "",
      url: req.url ?? "",
      rawHeaders: req.rawHeaders,
      body: Buffer.concat(chunks).toString("utf8"),
    });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(`{"url":${JSON.stringify(req.url)}}`);
  });
});
const agent = new Agent();
let origin = "";

beforeAll(async () => {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await agent.close();
  server.close();
});

function createClient(
  apiUrl: string,
  dispatched: string[] = [],
  dispatcherFor: (url: URL) => Dispatcher = () => agent,
): CopilotClient {
  return createCopilotClient({
    tokenSource: createTokenSource({
      cache: createMemoryTokenCache(),
      now: () => 1_000_000_000_000,
      exchange: async () => ({
        token: "tid=1;exp=2:sig",
        expiresAt: 1_000_001_800,
        refreshIn: 1500,
        apiUrl,
        sku: "x",
      }),
    }),
    retryPolicy: { retries: 0, budgetMs: 0 },
    rateLimitWaitMs: 0,
    headers: createCopilotHeaders({
      editorVersion: "1.104.3",
      editorPluginVersion: "0.31.5",
      githubApiVersion: "2026-08-01",
      userAgent: "GitHubCopilotChat/0.31.5",
      copilotIntegrationId: "vscode-chat",
    }),
    dispatcherFor: (url) => {
      dispatched.push(url.href);
      return dispatcherFor(url);
    },
    copilotApiUrl: undefined,
    accountType: "individual",
    sessionIdFor: () => "session-1",
  });
}

const chatCall: CopilotCall = {
  githubToken: "ghu_a",
  method: "POST",
  path: "/chat/completions",
  body: '{"model":"gpt-4o"}',
  initiator: "user",
  vision: false,
  requestId: "request-1",
};

async function callAndRead(client: CopilotClient, call: CopilotCall) {
  const response = await client.call(call);
  return { status: response.status, body: await response.body.text() };
}

describe("createCopilotClient", () => {
  it("sends the call to the seat's API with exactly the Copilot headers", async () => {
    received.length = 0;
    const client = createClient(origin);
    const response = await client.call({
      ...chatCall,
      protocolHeaders: { "anthropic-version": "2023-06-01" },
    });
    expect(response.status).toBe(200);
    expect(response.accountKey).toBe(hashGitHubToken("ghu_a"));
    expect(await response.body.json()).toEqual({ url: "/chat/completions" });
    const host = origin.slice("http://".length);
    expect(received).toEqual([
      {
        method: "POST",
        url: "/chat/completions",
        rawHeaders: [
          "host",
          host,
          "connection",
          "keep-alive",
          "content-type",
          "application/json",
          "copilot-integration-id",
          "vscode-chat",
          "editor-version",
          "vscode/1.104.3",
          "editor-plugin-version",
          "copilot-chat/0.31.5",
          "user-agent",
          "GitHubCopilotChat/0.31.5",
          "x-github-api-version",
          "2026-08-01",
          "authorization",
          "Bearer tid=1;exp=2:sig",
          "openai-intent",
          "conversation-panel",
          "x-initiator",
          "user",
          "x-request-id",
          "request-1",
          "vscode-machineid",
          machineIdFor(hashGitHubToken("ghu_a")),
          "vscode-sessionid",
          "session-1",
          "anthropic-version",
          "2023-06-01",
          "content-length",
          "18",
        ],
        body: '{"model":"gpt-4o"}',
      },
    ]);
  });

  it("joins base and path as one URL, the way a URL parser reads it", async () => {
    received.length = 0;
    const dispatched: string[] = [];
    const withPrefix = createClient(`${origin}/api`, dispatched);
    const withSlash = createClient(`${origin}/`, dispatched);
    expect(await callAndRead(withPrefix, { ...chatCall, path: "/models?limit=2#part" })).toEqual({
      status: 200,
      body: '{"url":"/api/models?limit=2"}',
    });
    expect(await callAndRead(withSlash, { ...chatCall, path: "/models" })).toEqual({
      status: 200,
      body: '{"url":"//models"}',
    });
    expect(await callAndRead(withPrefix, { ...chatCall, path: "/a/../b" })).toEqual({
      status: 200,
      body: '{"url":"/api/b"}',
    });
    expect(dispatched).toEqual([
      `${origin}/api/models?limit=2#part`,
      `${origin}//models`,
      `${origin}/api/b`,
    ]);
  });

  it("keeps routing right after many distinct paths", async () => {
    const client = createClient(origin);
    for (let n = 0; n < 300; n++) {
      expect(await callAndRead(client, { ...chatCall, path: `/route-${n}` })).toEqual({
        status: 200,
        body: `{"url":"/route-${n}"}`,
      });
    }
    expect(await callAndRead(client, { ...chatCall, path: "/route-0" })).toEqual({
      status: 200,
      body: '{"url":"/route-0"}',
    });
  });

  it("goes through the configured proxy, which gets the absolute target URL", async () => {
    const proxied: string[] = [];
    const proxy = createServer((req, res) => {
      proxied.push(`${req.method ?? ""} ${req.url ?? ""} ${String(req.headers["x-request-id"])}`);
      req.resume();
      res.end("proxied");
    });
    proxy.listen(0, "127.0.0.1");
    await once(proxy, "listening");
    const http = createUpstreamHttp({
      proxy: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
      noProxy: [],
      connectTimeoutMs: 5_000,
      headersTimeoutMs: 5_000,
      idleTimeoutMs: 5_000,
    });
    try {
      const client = createClient(origin, [], (url) => http.dispatcherFor(url));
      expect(await callAndRead(client, chatCall)).toEqual({ status: 200, body: "proxied" });
      expect(proxied).toEqual([`POST ${origin}/chat/completions request-1`]);
    } finally {
      await http.close();
      proxy.close();
    }
  });
});
