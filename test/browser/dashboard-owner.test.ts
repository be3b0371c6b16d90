import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness } from "../e2e/harness.js";
import {
  focused,
  launchChromium,
  newContext,
  screenshotBothSizes,
  seriousAxeViolations,
  watchPage,
} from "./browser.js";

/**
 * The dashboard as the owner uses it: the real gateway (ADMIN_KEY set) against the fake upstream,
 * driven in Chromium; keys used with the official OpenAI SDK. The steps build on each other
 * (one browser, one page), so they run in order.
 */

const ADMIN_KEY = "owner-admin-key-for-browser-tests";

let h: Harness;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
let aliceSecret = "";

beforeAll(async () => {
  h = await startHarness({
    env: { GITHUB_TOKEN: FAKE_GITHUB_TOKEN, ADMIN_KEY, LOG_LEVEL: "info" },
  });
  browser = await launchChromium();
  context = await newContext(browser);
  page = await context.newPage();
  page.setDefaultTimeout(5000);
  problems = watchPage(page);
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

function ui(path = ""): string {
  return `${h.gateway.url}/ui/${path}`;
}

function client(secret: string): OpenAI {
  return new OpenAI({ apiKey: secret, baseURL: `${h.gateway.url}/v1`, maxRetries: 0 });
}

async function ask(secret: string): Promise<void> {
  await client(secret).chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "hello" }],
  });
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return Number(error.status);
    throw error;
  }
}

async function open(path: string, heading: string): Promise<void> {
  await page.goto(ui(path));
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(heading);
}

async function expectNoSeriousAxeViolations(): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
}

describe("the owner's dashboard", () => {
  it("refuses a wrong admin key and signs in with ADMIN_KEY", async () => {
    await page.goto(ui());
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Sign in");
    await expectNoSeriousAxeViolations();
    await screenshotBothSizes(page, "sign-in");
    const secret = page.getByRole("textbox", { name: "Admin key" });
    await secret.fill("not-the-key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toBe("That key was not accepted.");
    await secret.fill(ADMIN_KEY);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Overview");
    const cookie = (await context.cookies()).find((c) => c.name === "cogpt_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/ui" });
    expect(await page.getByRole("link", { name: "Health" }).count()).toBe(1);
  });

  it("creates a key and shows its secret once, with snippets for the OpenAI SDK, Claude Code and Codex", async () => {
    await open("keys", "Keys");
    await page.getByText("Create a key").click();
    await page.getByRole("textbox", { name: "Name" }).fill("alice");
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = page.getByTestId("secret");
    await expect.poll(() => secret.textContent()).toMatch(/^cogpt-/);
    aliceSecret = (await secret.textContent()) ?? "";
    for (const name of ["OpenAI SDK", "Claude Code", "Codex"]) {
      expect(await page.getByRole("heading", { name, level: 4 }).count()).toBe(1);
    }
    expect(await page.locator(".snippet pre").first().textContent()).toContain(aliceSecret);
    await expectNoSeriousAxeViolations();
    await page.getByRole("button", { name: "I have saved it" }).click();
    expect(await page.getByTestId("secret").count()).toBe(0);
    expect(await page.locator('[data-key="alice"] .badge').textContent()).toBe("active");
  });

  it("shows a request made with the key in the live table within 2 s", async () => {
    await open("requests", "Requests");
    await expect.poll(() => page.getByTestId("live").textContent()).toBe("Live");
    const started = Date.now();
    await ask(aliceSecret);
    const row = page.locator("tbody tr", { hasText: "alice" }).first();
    await row.waitFor({ timeout: 2000 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(2000);
    const cells = await row.locator("td").allTextContents();
    expect(cells[1]).toBe("alice");
    expect(cells[2]).toContain("gpt-4o");
    expect(cells[4]).toBe("200");
    await expectNoSeriousAxeViolations();
    await screenshotBothSizes(page, "requests");
  });

  it("shows the session and weekly windows the fake reported", async () => {
    h.fake.setLimits({ sessionUsedNanoAiu: 20_000_000_000, weeklyUsedNanoAiu: 125_000_000_000 });
    // The quota headers of an answer carry the windows as they were before it was billed.
    const state = h.fake.limitState();
    await ask(aliceSecret);
    const percentLeft = (window: { entitlement: number; usedNanoAiu: number }) =>
      Math.floor(((window.entitlement - window.usedNanoAiu) * 1000) / window.entitlement) / 10;
    await open("", "Overview");
    for (const [name, window] of [
      ["session", state.session],
      ["weekly", state.weekly],
    ] as const) {
      const meter = page.locator(`[data-window="${name}"] [role="progressbar"]`);
      await meter.waitFor();
      expect(await meter.getAttribute("aria-valuenow")).toBe(
        String(Math.round(percentLeft(window))),
      );
      expect(await page.locator(`[data-window="${name}"] .quota-text`).textContent()).toContain(
        `${percentLeft(window)}% left`,
      );
    }
    expect(await page.getByText("Session window").count()).toBe(1);
    expect(await page.getByText("Weekly window").count()).toBe(1);
    await expectNoSeriousAxeViolations();
    await screenshotBothSizes(page, "overview");
  });

  it("shows the key's spend in the chart and the table, by key and by model", async () => {
    await open("spend", "Spend");
    const row = page.locator('tbody tr[data-name="alice"]');
    await row.waitFor();
    expect(await row.locator("td").first().textContent()).toBe("2");
    expect(await page.locator(".chart canvas").count()).toBe(1);
    expect(await page.locator(".chart .u-legend").textContent()).toContain("alice");
    expect(await page.getByRole("link", { name: "Download CSV" }).getAttribute("href")).toBe(
      "/ui/api/spend.csv?days=30&by=key",
    );
    await expectNoSeriousAxeViolations();
    await screenshotBothSizes(page, "spend");
    await page.getByRole("button", { name: "Model" }).click();
    await page.locator('tbody tr[data-name="gpt-4o"]').waitFor();
    expect(await page.locator(".chart .u-legend").textContent()).toContain("gpt-4o");
  });

  it("sets a budget the key has already spent: the next request gets 429 and the bar shows 100%", async () => {
    await open("keys", "Keys");
    await page.getByRole("button", { name: "Edit limits: alice" }).click();
    await page.getByRole("textbox", { name: "Credits per day" }).fill("0.000000001");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByTestId("budget-day").waitFor();
    expect(await statusOf(ask(aliceSecret))).toBe(429);
    await page.reload();
    const bar = page.locator('[data-key="alice"] [data-testid="budget-day"] [role="progressbar"]');
    await bar.waitFor();
    expect(await bar.getAttribute("aria-valuenow")).toBe("100");
    await expectNoSeriousAxeViolations();
    await screenshotBothSizes(page, "keys");
  });

  it("revokes the key after a confirmation: its next request gets 401", async () => {
    await page.getByRole("button", { name: "Revoke: alice" }).click();
    await page.getByRole("button", { name: "Yes, revoke alice" }).click();
    await expect
      .poll(() => page.locator('[data-key="alice"] .badge').textContent())
      .toBe("revoked");
    expect(await statusOf(ask(aliceSecret))).toBe(401);
  });

  it("lists the models and the gateway's health", async () => {
    await open("models", "Models");
    await page.locator("tbody tr[data-model]").first().waitFor();
    expect(await page.locator('tbody tr[data-model="gpt-4o"]').count()).toBe(1);
    await expectNoSeriousAxeViolations();
    await screenshotBothSizes(page, "models");
    await open("health", "Health");
    await page.getByText("Client identity sent to Copilot").waitFor();
    await expectNoSeriousAxeViolations();
    await screenshotBothSizes(page, "health");
  });

  it("refuses a form posted from another site", async () => {
    await ask(await createKeyByApi("bob"));
    const attacker = await startAttackerPage(`${h.gateway.url}/ui/api/keys/revoke`);
    try {
      const answer = page.waitForResponse((response) =>
        response.url().endsWith("/ui/api/keys/revoke"),
      );
      await page.goto(attacker.url);
      await page.getByRole("button", { name: "Win a prize" }).click();
      expect([401, 403]).toContain((await answer).status());
      const keys = await adminGet<{ keys: { name: string; status: string }[] }>("keys");
      expect(keys.keys.find((key) => key.name === "bob")?.status).toBe("active");
    } finally {
      await new Promise((resolve) => attacker.server.close(resolve));
    }
  });

  it("works with the keyboard alone: skip link, navigation, a form", async () => {
    await page.goto(ui());
    await page.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
    await page.keyboard.press("Tab");
    expect(await focused(page, "textContent")).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await focused(page, "id")).toBe("main");
    await page.keyboard.press("Shift+Tab");
    // Back into the header: tab forward to the Keys link.
    for (let i = 0; i < 20; i += 1) {
      if ((await focused(page, "textContent")) === "Keys") break;
      await page.keyboard.press("Tab");
    }
    const outline = await focused(page, "outlineStyle");
    expect(outline).toBe("solid");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: "Keys" }).waitFor();
    expect(await focused(page, "id")).toBe("page-title");
    // Tab to the "Create a key" summary, open it, fill the name, submit with Enter.
    for (let i = 0; i < 20; i += 1) {
      if ((await focused(page, "textContent")) === "Create a key") break;
      await page.keyboard.press("Tab");
    }
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    expect(await focused(page, "id")).toBe("new-key-name");
    await page.keyboard.type("carol");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByTestId("secret").textContent()).toMatch(/^cogpt-/);
    expect(problems).toEqual([]);
  });
});

async function adminGet<T>(path: string): Promise<T> {
  const response = await fetch(`${h.gateway.url}/ui/api/${path}`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

async function createKeyByApi(name: string): Promise<string> {
  const response = await fetch(`${h.gateway.url}/ui/api/keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ name }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { secret: string }).secret;
}

/** A page on another origin (localhost, not 127.0.0.1) with a form aimed at the gateway. */
async function startAttackerPage(target: string): Promise<{ server: Server; url: string }> {
  const html =
    `<!doctype html><title>Prize</title><form method="post" action="${target}" ` +
    `enctype="text/plain"><input type="hidden" name='{"name":"bob","x":"' value='"}'>` +
    `<button>Win a prize</button></form>`;
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://localhost:${port}/` };
}
