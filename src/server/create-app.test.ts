import { describe, expect, it } from "vitest";
import { AUTHORIZED, createTestApp, request } from "../../test/in-process/test-app.js";

const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("createApp, called in-process", () => {
  it("answers / with a plain-text greeting that names the version", async () => {
    const { app } = createTestApp();
    const response = await request(app, { method: "GET", url: "/" });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/plain; charset=UTF-8");
    expect(response.headers["x-request-id"]).toMatch(REQUEST_ID);
    expect(response.body).toBe(
      "CoGPT 0.0.0-test is running: point your OpenAI client at this address + /v1 with your GitHub token as the API key.\n",
    );
  });

  it("answers /healthz without credentials, with the cache kind", async () => {
    const { app } = createTestApp();
    const response = await request(app, { method: "GET", url: "/healthz" });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.json()).toEqual({
      status: "ok",
      version: "0.0.0-test",
      uptime_seconds: 0,
      cache: "memory",
    });
  });

  it("gives every answer its own request id", async () => {
    const { app } = createTestApp();
    const first = await request(app, { method: "GET", url: "/healthz" });
    const second = await request(app, { method: "GET", url: "/healthz" });
    expect(first.headers["x-request-id"]).toMatch(REQUEST_ID);
    expect(second.headers["x-request-id"]).toMatch(REQUEST_ID);
    expect(second.headers["x-request-id"]).not.toBe(first.headers["x-request-id"]);
  });

  it("answers an unknown route with 404 in OpenAI's error shape", async () => {
    const { app } = createTestApp();
    const response = await request(app, { method: "GET", url: "/nope" });
    expect(response.status).toBe(404);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.json()).toEqual({
      error: {
        message: "Unknown route: GET /nope",
        type: "not_found_error",
        code: "unknown_route",
        param: null,
      },
    });
  });

  it("answers an unknown route under /v1/messages with 404 in Anthropic's error shape", async () => {
    const { app } = createTestApp();
    const response = await request(app, { method: "POST", url: "/v1/messages/batches" });
    expect(response.status).toBe(404);
    expect(response.json()).toEqual({
      type: "error",
      error: { type: "not_found_error", message: "Unknown route: POST /v1/messages/batches" },
    });
  });

  it("answers a wrong method with 405 and an allow header", async () => {
    const { app } = createTestApp();
    const response = await request(app, { method: "GET", url: "/v1/chat/completions" });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("POST");
    expect(response.json()).toEqual({
      error: {
        message: "Method GET is not allowed on /v1/chat/completions; use POST",
        type: "invalid_request_error",
        code: "method_not_allowed",
        param: null,
      },
    });
  });

  it("answers a wrong method on /v1/messages with 405 in Anthropic's error shape", async () => {
    const { app } = createTestApp();
    const response = await request(app, { method: "DELETE", url: "/v1/messages" });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("POST");
    expect(response.json()).toEqual({
      type: "error",
      error: {
        type: "invalid_request_error",
        message: "Method DELETE is not allowed on /v1/messages; use POST",
      },
    });
  });

  it("refuses an API route without a credential (and no server account) with 401", async () => {
    const { app, copilot } = createTestApp();
    const response = await request(app, { method: "GET", url: "/v1/models" });
    expect(response.status).toBe(401);
    expect(response.json()).toEqual({
      error: {
        message:
          "Missing API key: pass your GitHub token (ghu_…) or a share token (share-…) as the API key (Authorization: Bearer <key>, or x-api-key: <key>)",
        type: "authentication_error",
        code: "missing_api_key",
        param: null,
      },
    });
    expect(copilot.calls).toEqual([]);
  });

  it("refuses an unknown share token with 401 in the route's dialect", async () => {
    const { app } = createTestApp();
    const response = await request(app, {
      method: "POST",
      url: "/v1/messages",
      headers: { "x-api-key": "share-unknown" },
      payload: {},
    });
    expect(response.status).toBe(401);
    expect(response.json()).toEqual({
      type: "error",
      error: { type: "authentication_error", message: "Unknown share token" },
    });
  });

  it("serves the server-held account to a loopback client without a key", async () => {
    const { app, modelLookups } = createTestApp({ serverGithubToken: "ghu_ServerHeld" });
    const response = await request(app, {
      method: "GET",
      url: "/v1/models",
      headers: { host: "localhost:4141" },
    });
    expect(response.status).toBe(200);
    expect(modelLookups).toEqual(["ghu_ServerHeld"]);
  });

  it("refuses the server-held account to a request addressed to another host (403)", async () => {
    const { app } = createTestApp({ serverGithubToken: "ghu_ServerHeld" });
    const response = await request(app, {
      method: "GET",
      url: "/v1/models",
      headers: { host: "rebound.example" },
    });
    expect(response.status).toBe(403);
    expect(response.json()).toEqual({
      error: {
        message:
          "The server-held account serves only requests addressed to a loopback name (Host: localhost, 127.0.0.1 or [::1]); another Host is what a page reaching this machine through DNS rebinding sends. Pass a GitHub token or an API key",
        type: "permission_error",
        code: "host_not_allowed",
        param: null,
      },
    });
  });

  it("answers a CORS preflight from a configured origin with 204", async () => {
    const { app } = createTestApp({ env: { CORS_ORIGINS: "https://app.example" } });
    const response = await request(app, {
      method: "OPTIONS",
      url: "/v1/chat/completions",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(response.status).toBe(204);
    expect(response.body).toBe("");
    expect(response.headers["access-control-allow-origin"]).toBe("https://app.example");
    expect(response.headers["access-control-allow-methods"]).toBe("GET, POST, OPTIONS");
    expect(response.headers["access-control-allow-headers"]).toBe("authorization, content-type");
    expect(response.headers["access-control-max-age"]).toBe("600");
  });

  it("exposes the request id to a configured origin on an ordinary answer", async () => {
    const { app } = createTestApp({ env: { CORS_ORIGINS: "https://app.example" } });
    const response = await request(app, {
      method: "GET",
      url: "/v1/models",
      headers: { ...AUTHORIZED, origin: "https://app.example" },
    });
    expect(response.status).toBe(200);
    expect(response.headers["access-control-allow-origin"]).toBe("https://app.example");
    expect(response.headers["access-control-expose-headers"]).toBe(
      "x-request-id, retry-after, x-github-request-id",
    );
  });

  it("writes one request log line per answer, with the request id it sent", async () => {
    const { app, logs } = createTestApp();
    const response = await request(app, { method: "GET", url: "/nope" });
    expect(logs).toEqual([
      {
        level: "warn",
        reqId: response.headers["x-request-id"],
        method: "GET",
        path: "/nope",
        status: 404,
        ms: expect.any(Number),
        note: "Unknown route: GET /nope",
        msg: "Unknown route: GET /nope",
      },
    ]);
  });
});
