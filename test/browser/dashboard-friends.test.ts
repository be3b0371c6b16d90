import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDeviceFlowScript } from "../fake-copilot/device-flow-routes.js";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness } from "../e2e/harness.js";
import {
  launchChromium,
  newContext,
  screenshotBothSizes,
  seriousAxeViolations,
  watchPage,
} from "./browser.js";

/**
 * The dashboard without ADMIN_KEY (the owner signs in with the one-time link) and with
 * INVITE_CODE (a friend joins with their own Copilot seat through GitHub's device flow, here the
 * fake's). A friend sees only their own key's usage. One browser; a context per person.
 */

const INVITE_CODE = "invite-code-for-browser-tests";
// A second Copilot seat at the fake GitHub: the friend's.
const FRIEND_TOKEN = "ghu_FriendSeatTokenForBrowserTests000001";

let h: Harness;
let browser: Browser;
let owner: Page;
let ownerContext: BrowserContext;
let friend: Page;
let friendContext: BrowserContext;
let friendKey = "";
let friendSecret = "";
const problems: string[] = [];

beforeAll(async () => {
  h = await startHarness({
    fake: {
      accounts: { [FAKE_GITHUB_TOKEN]: {}, [FRIEND_TOKEN]: { login: "friend-user" } },
    },
    env: { GITHUB_TOKEN: FAKE_GITHUB_TOKEN, INVITE_CODE, LOG_LEVEL: "info" },
  });
  setDeviceFlowScript(h.fake.githubUrl, {
    polls: ["pending", "approve"],
    interval: 1,
    userCode: "FAKE-4321",
    token: FRIEND_TOKEN,
  });
  browser = await launchChromium();
  ownerContext = await newContext(browser);
  owner = await ownerContext.newPage();
  owner.setDefaultTimeout(5000);
  problems.push(...watchPage(owner));
  friendContext = await newContext(browser, "zh-CN");
  friend = await friendContext.newPage();
  friend.setDefaultTimeout(5000);
  const friendProblems = watchPage(friend);
  friend.on("close", () => problems.push(...friendProblems));
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

function heading(page: Page): Promise<string | null> {
  return page.getByRole("heading", { level: 1 }).textContent();
}

describe("the one-time sign-in link", () => {
  it("signs the owner in once; a second use is refused", async () => {
    const link = h.gateway.signInUrl;
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ui\/login\?token=[\w-]+$/);
    await owner.goto(link!);
    await expect.poll(() => heading(owner)).toBe("Overview");
    expect(new URL(owner.url()).pathname).toBe("/ui/");
    expect(await owner.getByRole("link", { name: "Health" }).count()).toBe(1);
    const again = await fetch(link!, { redirect: "manual" });
    expect(again.status).not.toBe(302);
    expect(again.headers.get("set-cookie")).toBeNull();
  });
});

describe("joining with one's own seat", () => {
  it("takes the invite code, shows the device code with a QR code and a countdown, then the key once", async () => {
    await friend.goto(`${h.gateway.url}/ui/join`);
    // The friend's browser asks for Chinese: the page follows navigator.language.
    await expect.poll(() => heading(friend)).toBe("用你自己的 Copilot 席位加入");
    await friend.getByRole("textbox", { name: "邀请码" }).fill("wrong-code-123");
    await friend.getByRole("button", { name: "继续" }).click();
    await expect.poll(() => friend.getByRole("alert").textContent()).toBe("该邀请码未被接受。");
    await friend.getByRole("textbox", { name: "邀请码" }).fill(INVITE_CODE);
    await friend.getByRole("button", { name: "继续" }).click();
    await expect.poll(() => friend.getByTestId("user-code").textContent()).toBe("FAKE-4321");
    expect(await friend.locator("svg.qr path").getAttribute("d")).toMatch(/^M\d+ \d+h1v1h-1z/);
    expect(await friend.getByTestId("countdown").textContent()).toMatch(/^代码将在 \d+ 分钟/);
    expect(await seriousAxeViolations(friend)).toEqual([]);
    await screenshotBothSizes(friend, "join");
    const secret = friend.getByTestId("secret");
    await secret.waitFor({ timeout: 10_000 });
    friendSecret = (await secret.textContent()) ?? "";
    expect(friendSecret).toMatch(/^cogpt-/);
    const title = (await friend.locator("#secret-title").textContent()) ?? "";
    friendKey = /你的密钥是 (.+)。$/.exec(title)?.[1] ?? "";
    expect(friendKey).not.toBe("");
    await friend.getByRole("button", { name: "查看我的用量" }).click();
    await expect.poll(() => heading(friend)).toBe("概览");
    // A friend has no Health page.
    expect(await friend.getByRole("link", { name: "运行状况" }).count()).toBe(0);
  });

  it("spends the friend's own seat, and the friend sees only their own key", async () => {
    // The owner makes a key for someone else, who uses it.
    const csrf = (
      (await (await owner.request.get(`${h.gateway.url}/ui/api/session`)).json()) as {
        csrfToken: string;
      }
    ).csrfToken;
    const created = await owner.request.post(`${h.gateway.url}/ui/api/keys`, {
      headers: { "x-cogpt-csrf": csrf },
      data: { name: "alice" },
    });
    expect(created.status()).toBe(200);
    const alice = ((await created.json()) as { secret: string }).secret;
    await h
      .openai(alice)
      .chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
    await h
      .openai(friendSecret)
      .chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
    // The friend's request was billed to the friend's seat, alice's to the owner's.
    expect(h.fake.limitState(FRIEND_TOKEN).session.usedNanoAiu).toBeGreaterThan(0);

    const api = (path: string) => friend.request.get(`${h.gateway.url}/ui/api/${path}`);
    const keys = (await (await api("keys")).json()) as { keys: { name: string }[] };
    expect(keys.keys.map((key) => key.name)).toEqual([friendKey]);
    // Asking for another key's requests is refused, or answers none of them.
    const other = await api("requests?key=alice");
    if (other.status() === 200) {
      const body = (await other.json()) as { requests: { key: string }[] };
      expect(body.requests.filter((request) => request.key === "alice")).toEqual([]);
    } else {
      expect(other.status()).toBe(403);
    }
    const all = (await (await api("requests")).json()) as { requests: { key: string }[] };
    expect(new Set(all.requests.map((request) => request.key))).toEqual(new Set([friendKey]));
    const spend = (await (await api("spend?days=30&by=key")).json()) as {
      totals: { name: string }[];
    };
    expect(spend.totals.map((row) => row.name)).toEqual([friendKey]);
    // A friend changes nothing.
    const session = (await (await api("session")).json()) as { role: string; csrfToken: string };
    expect(session.role).toBe("friend");
    const revoke = await friend.request.post(`${h.gateway.url}/ui/api/keys/revoke`, {
      headers: { "x-cogpt-csrf": session.csrfToken },
      data: { name: "alice" },
    });
    expect(revoke.status()).toBe(403);

    await friend.goto(`${h.gateway.url}/ui/requests`);
    await friend.locator("tbody tr").first().waitFor();
    const keyCells = await friend.locator("tbody tr td:nth-child(2)").allTextContents();
    expect(new Set(keyCells)).toEqual(new Set([friendKey]));
    expect(await seriousAxeViolations(friend)).toEqual([]);
  });

  it("signs a friend in with their key, and remembers a language switch", async () => {
    await friend.getByRole("button", { name: "退出登录" }).click();
    await expect.poll(() => heading(friend)).toBe("登录");
    await friend.getByLabel("语言").selectOption("en");
    await expect.poll(() => heading(friend)).toBe("Sign in");
    await friend.getByRole("radio", { name: "a friend (my own key)" }).check();
    await friend.getByRole("textbox", { name: "Your key" }).fill(friendSecret);
    await friend.getByRole("button", { name: "Sign in" }).click();
    // Signing in keeps the page that asked for it.
    await expect.poll(() => heading(friend)).toBe("Requests");
    await friend.goto(`${h.gateway.url}/ui/keys`);
    await expect.poll(() => heading(friend)).toBe("Keys");
    await friend.locator("[data-key]").first().waitFor();
    expect(await friend.locator("[data-key]").count()).toBe(1);
    expect(await friend.getByText("Create a key").count()).toBe(0);
    expect(await friend.evaluate<string>("document.documentElement.lang")).toBe("en");
    await friend.close();
    expect(problems).toEqual([]);
  });
});
