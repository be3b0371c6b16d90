import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/**
 * Chromium for the dashboard's browser tests: Debian's package (CI installs it), headless, with
 * nothing that reaches the network on its own. Playwright gives each launch a fresh profile.
 */
export const CHROMIUM_PATH = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 375, height: 812 } as const;

export function newContext(browser: Browser, locale = "en-US"): Promise<BrowserContext> {
  return browser.newContext({ viewport: DESKTOP, locale, colorScheme: "light" });
}

/**
 * Problems the page reports: uncaught errors and Content-Security-Policy refusals (the gateway's
 * CSP allows no inline script or style, so one would mean the build inlined something).
 */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content.Security.Policy/i.test(message.text())) {
      problems.push(`csp: ${message.text()}`);
    }
  });
  return problems;
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.x A and AA). */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  // A string, run in the page (the node tsconfig has no DOM types).
  const violations = await page.evaluate<AxeViolation[]>(`(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
      resultTypes: ["violations"],
    });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      targets: violation.nodes.map((node) => JSON.stringify(node.target)),
    }));
  })()`);
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Screenshots go to docs/screenshots/latest (git-ignored); the README's copies are committed. */
export const SCREENSHOT_DIR = fileURLToPath(
  new URL("../../docs/screenshots/latest", import.meta.url),
);

export async function screenshotBothSizes(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

/** A property of the focused element (evaluated in the page). */
export function focused(
  page: Page,
  property: "id" | "textContent" | "outlineStyle",
): Promise<string | null> {
  const read =
    property === "outlineStyle"
      ? "document.activeElement ? getComputedStyle(document.activeElement).outlineStyle : null"
      : `document.activeElement ? document.activeElement.${property} : null`;
  return page.evaluate<string | null>(read);
}
