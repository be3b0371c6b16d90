import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.js";
import { readSavedAccount } from "../../src/github/saved-token.js";
import { createLogger } from "../../src/logging/create-logger.js";
import { startGateway, type Gateway } from "../../src/server/start-gateway.js";
import { setDeviceFlowScript } from "../fake-copilot/device-flow-routes.js";
import {
  FAKE_GITHUB_TOKEN,
  startFakeCopilot,
  type FakeCopilot,
} from "../fake-copilot/fake-copilot.js";

const INVITE_CODE = "friends-2026";

let fake: FakeCopilot;
let gateway: Gateway;
let dir: string;
const logs: string[] = [];

beforeAll(async () => {
  fake = await startFakeCopilot();
  dir = mkdtempSync(join(tmpdir(), "cogpt-ui-join-"));
  const accountsDirectory = join(dir, "accounts");
  const { config } = loadConfig({
    env: {
      HOST: "127.0.0.1",
      PORT: "0",
      CACHE: "false",
      LOG_FILE: "",
      GITHUB_URL: fake.githubUrl,
      GITHUB_API_URL: fake.githubUrl,
      INVITE_CODE,
    },
  });
  const logger = createLogger({
    level: "info",
    file: "",
    console: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logs.push(chunk.toString("utf8"));
        callback();
      },
    }),
  });
  gateway = await startGateway(config, logger, {
    accountsDirectory,
    savedAccount: (name) => readSavedAccount(accountsDirectory, name),
    uiDirectory: join(dir, "no-ui"),
  });
});

afterAll(async () => {
  await gateway.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(path: string, body: object, cookie?: string) {
  const response = await fetch(`${gateway.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(cookie === undefined ? {} : { cookie }) },
    body: JSON.stringify(body),
  });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

describe("the one-time sign-in link of a gateway without ADMIN_KEY", () => {
  it("is a loopback URL that signs in once", async () => {
    expect(gateway.signInUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/ui\/login\?token=[A-Za-z0-9_-]{43}$/,
    );
    const first = await fetch(gateway.signInUrl!, { redirect: "manual" });
    expect([first.status, first.headers.get("location")]).toEqual([303, "/ui/"]);
    expect(first.headers.get("set-cookie")).toMatch(/^cogpt_session=/);
    const second = await fetch(gateway.signInUrl!, { redirect: "manual" });
    expect(second.status).toBe(401);
  });
});

describe("joining with your own seat, over a real socket against the fake GitHub", () => {
  it("runs the device flow, saves the login, and the key it gives works with the API", async () => {
    setDeviceFlowScript(fake.githubUrl, { polls: ["pending", "approve"], interval: 0.2 });
    const wrong = await post("/ui/api/join/start", { code: "not-the-code" });
    expect([wrong.response.status, (wrong.body["error"] as { code: string }).code]).toEqual([
      403,
      "invalid_invite",
    ]);
    const started = await post("/ui/api/join/start", { code: INVITE_CODE });
    expect(started.response.status).toBe(200);
    expect(started.body).toEqual({
      joinId: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      userCode: "WDJB-MJHT",
      verificationUri: `${fake.githubUrl}/login/device`,
      expiresAt: expect.any(String),
      interval: 0.2,
    });
    let done: Awaited<ReturnType<typeof post>> | undefined;
    const statuses: unknown[] = [];
    for (let tries = 0; tries < 50 && done === undefined; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const polled = await post("/ui/api/join/poll", { joinId: started.body["joinId"] });
      statuses.push(polled.body["status"]);
      if (polled.body["status"] !== "pending") done = polled;
    }
    expect(done?.body["status"]).toBe("done");
    expect(statuses.filter((status) => status === "pending").length).toBeGreaterThan(0);
    const key = done!.body["key"] as { name: string; account: string };
    const secret = done!.body["secret"] as string;
    const account = `join-${key.name}`;
    expect(key.account).toBe(account);
    expect(readFileSync(join(dir, "accounts", account), "utf8")).toBe(`${FAKE_GITHUB_TOKEN}\n`);
    // Polled by the gateway at most once per interval: the fake answers slow_down to sooner polls.
    const polls = fake.requests.filter((request) => request.path === "/login/oauth/access_token");
    expect(polls.length).toBe(2);

    const cookie = (done!.response.headers.get("set-cookie") ?? "").split(";")[0]!;
    const session = await fetch(`${gateway.url}/ui/api/session`, { headers: { cookie } });
    expect(await session.json()).toMatchObject({ role: "friend", keyName: key.name });

    const chat = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(chat.status).toBe(200);
    const requests = await fetch(`${gateway.url}/ui/api/requests`, { headers: { cookie } });
    const rows = ((await requests.json()) as { requests: { key: string }[] }).requests;
    expect(rows.map((row) => row.key)).toEqual([key.name]);
    for (const line of logs) expect(line).not.toContain(FAKE_GITHUB_TOKEN);
  });
});
