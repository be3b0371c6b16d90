import { readFileSync, statSync } from "node:fs";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness, type HarnessOptions } from "./harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness(options);
  return h;
}

const hello = { model: "gpt-4o", messages: [{ role: "user" as const, content: "hi" }] };

describe("Copilot token lifecycle", () => {
  it("exchanges once and reuses the token across requests", async () => {
    const { fake, openai } = await start();
    for (let i = 0; i < 5; i++) await openai().chat.completions.create(hello);
    expect(fake.tokenExchangeCount(FAKE_GITHUB_TOKEN)).toBe(1);
  });

  it("reuses the token across restarts with the SQLite cache, in a 0600 file without the GitHub token", async () => {
    const harness = await start();
    await harness.openai().chat.completions.create(hello);
    await harness.restart();
    await harness.openai().chat.completions.create(hello);
    expect(harness.fake.tokenExchangeCount(FAKE_GITHUB_TOKEN)).toBe(1);
    expect(statSync(harness.cachePath).mode & 0o777).toBe(0o600);
    expect(readFileSync(harness.cachePath).includes(FAKE_GITHUB_TOKEN)).toBe(false);
  });

  it("exchanges again after a restart with the memory cache", async () => {
    const harness = await start({ env: { CACHE: "false" } });
    await harness.openai().chat.completions.create(hello);
    await harness.restart();
    await harness.openai().chat.completions.create(hello);
    expect(harness.fake.tokenExchangeCount(FAKE_GITHUB_TOKEN)).toBe(2);
    const health = (await (await fetch(`${harness.gateway.url}/healthz`)).json()) as {
      cache: string;
    };
    expect(health.cache).toBe("memory");
  });

  it("refreshes the token and retries once when Copilot answers 401", async () => {
    const { fake, openai } = await start();
    await openai().chat.completions.create(hello);
    fake.expireAllTokens();
    const completion = await openai().chat.completions.create(hello);
    expect(completion.choices[0]?.message.content).toBe("Hello from gpt-4o! You said: hi");
    expect(fake.tokenExchangeCount(FAKE_GITHUB_TOKEN)).toBe(2);
    const statuses = fake.requests
      .filter((r) => r.server === "copilot" && r.path === "/chat/completions")
      .map((r) => r.headers.authorization);
    expect(statuses.length).toBe(3);
    expect(statuses[1]).toBe(statuses[0]);
    expect(statuses[2]).not.toBe(statuses[1]);
  });

  it("gives the client the 401 when the fresh token is refused too", async () => {
    const { fake, openai } = await start();
    fake.injectFault({
      path: "/chat/completions",
      status: 401,
      body: "unauthorized: token expired\n",
      times: 2,
    });
    const error = await openai()
      .chat.completions.create(hello)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toEqual({
      message: "Copilot rejected the Copilot token: unauthorized: token expired",
      type: "authentication_error",
      code: "copilot_token_rejected",
      param: null,
    });
    expect(fake.tokenExchangeCount(FAKE_GITHUB_TOKEN)).toBe(2);
  });

  it("makes one exchange for 50 concurrent first requests", async () => {
    const { fake, openai } = await start({ fake: { tokenExchangeDelayMs: 150 } });
    const client = openai();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        client.chat.completions.create({
          model: "gpt-4o",
          messages: [{ role: "user", content: `n${i}` }],
        }),
      ),
    );
    expect(answers.map((a) => a.choices[0]?.message.content)).toEqual(
      Array.from({ length: 50 }, (_, i) => `Hello from gpt-4o! You said: n${i}`),
    );
    expect(fake.tokenExchangeCount(FAKE_GITHUB_TOKEN)).toBe(1);
  });

  it("sends requests to the seat's endpoints.api", async () => {
    const { fake, openai } = await start();
    await openai().chat.completions.create(hello);
    // No COPILOT_API_URL is set: the only way to reach the fake Copilot is endpoints.api.
    expect(fake.requests.filter((r) => r.server === "copilot").length).toBeGreaterThan(0);
  });
});

describe("secrets", () => {
  it("never shows a GitHub, Copilot or share token in logs or responses, even with DEBUG", async () => {
    const share = "share-VerySecretShareToken123";
    const harness = await start({
      env: { DEBUG: "true", LOG_LEVEL: "trace", SHARE_TOKEN: `${share}:${FAKE_GITHUB_TOKEN}` },
    });
    const bodies: string[] = [];
    const record = async (response: Response) => {
      bodies.push(JSON.stringify([...response.headers]), await response.text());
    };
    const call = (path: string, key: string, init: RequestInit = {}) =>
      fetch(`${harness.gateway.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      }).then(record);
    const chat = JSON.stringify({ ...hello, stream: true });
    await call("/v1/models", FAKE_GITHUB_TOKEN);
    await call("/v1/chat/completions", share, { method: "POST", body: chat });
    harness.fake.expireAllTokens();
    await call("/v1/chat/completions", FAKE_GITHUB_TOKEN, {
      method: "POST",
      body: JSON.stringify(hello),
    });
    await call("/v1/embeddings", share, { method: "POST", body: '{"input":"x"}' });
    await call("/v1/chat/completions", "share-wrong", { method: "POST", body: chat });
    await call("/v1/chat/completions", FAKE_GITHUB_TOKEN, { method: "POST", body: "{bad" });
    await call("/v1/nothing", FAKE_GITHUB_TOKEN);
    harness.fake.injectFault({ path: "/chat/completions", status: 500, body: "boom" });
    await call("/v1/chat/completions", FAKE_GITHUB_TOKEN, {
      method: "POST",
      body: JSON.stringify(hello),
    });

    const copilotTokens = new Set(
      harness.fake.requests
        .map((r) => r.headers.authorization)
        .filter((a): a is string => a?.startsWith("Bearer ") === true)
        .map((a) => a.slice("Bearer ".length)),
    );
    expect(copilotTokens.size).toBe(2);
    const everything = harness.logs.join("") + bodies.join("");
    expect(harness.logs.length).toBeGreaterThan(10);
    for (const secret of [FAKE_GITHUB_TOKEN, share, "share-wrong", ...copilotTokens]) {
      expect(everything.includes(secret), `leaked ${secret.slice(0, 8)}…`).toBe(false);
    }
    // The signature part alone is a secret too.
    for (const token of copilotTokens) {
      const signature = token.split(":").at(-1) ?? "";
      expect(everything.includes(signature)).toBe(false);
    }
    expect(everything).toContain("[redacted]");
  });
});
