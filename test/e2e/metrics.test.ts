import { afterEach, describe, expect, it } from "vitest";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness } from "./harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ADMIN_KEY = "admin-0123456789abcdef";
const hello = { model: "gpt-4o", messages: [{ role: "user" as const, content: "hi" }] };

async function scrape(harness: Harness, headers: Record<string, string> = {}) {
  const response = await fetch(`${harness.gateway.url}/metrics`, { headers });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: await response.text(),
  };
}

function lines(body: string, name: string): string[] {
  return body
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe("/metrics over a socket", () => {
  it("counts the token exchanges with GitHub, ok and failed, once each, not per request", async () => {
    h = await startHarness();
    const before = await scrape(h);
    expect(before.status).toBe(200);
    expect(lines(before.body, "cogpt_token_exchanges_total")).toEqual([
      'cogpt_token_exchanges_total{outcome="ok"} 0',
      'cogpt_token_exchanges_total{outcome="failed"} 0',
    ]);

    for (let i = 0; i < 3; i++) await h.openai().chat.completions.create(hello);
    await expect(
      h.openai("ghu_UnknownToGitHub0123456789abcdef012345").chat.completions.create(hello),
    ).rejects.toMatchObject({ status: 401 });

    const after = await scrape(h);
    expect(after.type).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(lines(after.body, "cogpt_token_exchanges_total")).toEqual([
      'cogpt_token_exchanges_total{outcome="ok"} 1',
      'cogpt_token_exchanges_total{outcome="failed"} 1',
    ]);
    expect(h.fake.tokenExchangeCount(FAKE_GITHUB_TOKEN)).toBe(1);
    // The process metrics of this gateway's own registry.
    expect(after.body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(after.body).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it("refuses a browser page on the loopback (403) unless it presents ADMIN_KEY", async () => {
    h = await startHarness({ env: { ADMIN_KEY } });
    const page = await scrape(h, { origin: "http://localhost:5173" });
    expect([page.status, JSON.parse(page.body)]).toEqual([
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
    const keyed = await scrape(h, {
      origin: "http://localhost:5173",
      authorization: `Bearer ${ADMIN_KEY}`,
    });
    expect(keyed.status).toBe(200);
    expect(lines(keyed.body, "cogpt_streams_open")).toEqual(["cogpt_streams_open 0"]);
    expect(h.logs.join("")).not.toContain(ADMIN_KEY);
  });
});
