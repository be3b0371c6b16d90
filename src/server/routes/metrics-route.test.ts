import { describe, expect, it } from "vitest";
import { createMetrics } from "../../metrics/create-metrics.js";
import { createTestApp, request } from "../../../test/in-process/test-app.js";

const ADMIN_KEY = "admin-0123456789abcdef";
const PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

function appWithMetrics(env: Record<string, string> = {}) {
  const metrics = createMetrics({ processMetrics: false });
  metrics.countTokenExchange("ok");
  return { metrics, ...createTestApp({ env, metrics }) };
}

async function scrape(
  env: Record<string, string>,
  headers: Record<string, string>,
  remoteAddress?: string,
) {
  const { app } = appWithMetrics(env);
  return request(app, {
    method: "GET",
    url: "/metrics",
    headers,
    ...(remoteAddress === undefined ? {} : { remoteAddress }),
  });
}

describe("GET /metrics", () => {
  it("serves the registry's text to a client on this machine, without a key", async () => {
    const { app, metrics } = appWithMetrics();
    const response = await request(app, { method: "GET", url: "/metrics" });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(PROMETHEUS_TYPE);
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.body).toBe((await metrics.render()).body);
    expect(response.body.split("\n")).toContain('cogpt_token_exchanges_total{outcome="ok"} 1');
  });

  it("serves anyone presenting ADMIN_KEY, from anywhere, browsers included", async () => {
    const response = await scrape(
      { ADMIN_KEY },
      { authorization: `Bearer ${ADMIN_KEY}`, origin: "https://grafana.example" },
      "192.0.2.7",
    );
    expect(response.status).toBe(200);
    expect(response.body.split("\n")).toContain('cogpt_token_exchanges_total{outcome="ok"} 1');
  });

  it("answers 401 in OpenAI's shape off the loopback without the right key", async () => {
    const missing = await scrape({ ADMIN_KEY }, {}, "192.0.2.7");
    expect([missing.status, missing.json()]).toEqual([
      401,
      {
        error: {
          message: "/metrics needs the gateway's admin key: send Authorization: Bearer <ADMIN_KEY>",
          type: "authentication_error",
          code: "missing_api_key",
          param: null,
        },
      },
    ]);
    const wrong = await scrape({ ADMIN_KEY }, { authorization: "Bearer ghu_x" }, "192.0.2.7");
    expect([wrong.status, (wrong.json() as { error: { code: string } }).error.code]).toEqual([
      401,
      "invalid_api_key",
    ]);
    const unset = await scrape({}, { authorization: `Bearer ${ADMIN_KEY}` }, "::ffff:10.1.2.3");
    expect([unset.status, (unset.json() as { error: { code: string } }).error.code]).toEqual([
      401,
      "admin_key_not_set",
    ]);
    expect(unset.body).not.toContain("cogpt_");
  });

  it("answers 403 to a browser page on the loopback, and to a rebound Host", async () => {
    const browser = await scrape({}, { origin: "http://localhost:5173" });
    expect([browser.status, browser.json()]).toEqual([
      403,
      {
        error: {
          message:
            "A browser request (with an Origin header) cannot read /metrics without the admin key; send Authorization: Bearer <ADMIN_KEY>",
          type: "permission_error",
          code: "origin_not_allowed",
          param: null,
        },
      },
    ]);
    const rebound = await scrape({}, { host: "attacker.example:8080" });
    expect([rebound.status, (rebound.json() as { error: { code: string } }).error.code]).toEqual([
      403,
      "host_not_allowed",
    ]);
  });

  it("is absent (404) when the app has no metrics, and GET only (405)", async () => {
    const { app } = createTestApp();
    expect((await request(app, { method: "GET", url: "/metrics" })).status).toBe(404);
    const withMetrics = appWithMetrics();
    const post = await request(withMetrics.app, { method: "POST", url: "/metrics" });
    expect([post.status, post.headers["allow"]]).toEqual([405, "GET"]);
  });
});
