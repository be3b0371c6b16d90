import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDoctor } from "../../src/cli/doctor.js";
import {
  FAKE_GITHUB_TOKEN,
  startFakeCopilot,
  type FakeCopilot,
} from "../fake-copilot/fake-copilot.js";
import { captureEnvironment, type CapturedEnvironment } from "./cli-capture.js";

const NO_SEAT_TOKEN = "ghu_NoSeatAccountForCliDoctorTests0000001";

let fake: FakeCopilot;
beforeAll(async () => {
  fake = await startFakeCopilot({
    accounts: { [FAKE_GITHUB_TOKEN]: {}, [NO_SEAT_TOKEN]: { kind: "no_seat", login: "nobody" } },
  });
});
afterAll(async () => {
  await fake.close();
});

/** Runs the doctor in-process; returns its lines and whether it failed (exit code 1). */
async function doctor(
  values: Record<string, unknown>,
  env: Record<string, string> = { GITHUB_TOKEN: FAKE_GITHUB_TOKEN },
): Promise<{ lines: string[]; exitCode: number; environment: CapturedEnvironment }> {
  const environment = captureEnvironment(env);
  const flags = {
    githubApiUrl: fake.githubUrl,
    cachePath: join(environment.cwd, "db", "cache.sqlite3"),
    ...values,
  };
  const exitCode = await runDoctor(flags, environment).then(
    () => 0,
    (error: unknown) => (error as { exitCode?: number }).exitCode ?? -1,
  );
  return { lines: environment.out().split("\n").slice(0, -1), exitCode, environment };
}

describe("cogpt doctor (against the fake upstream)", () => {
  it("passes every check, the chat request included with --live", async () => {
    const { lines, exitCode, environment } = await doctor({ live: true });
    expect(lines).toEqual([
      "[ok]   configuration: valid",
      "[skip] proxy: none set (direct connections)",
      `[ok]   GitHub: reachable at ${fake.githubUrl}`,
      "[ok]   token: accepted by GitHub (from GITHUB_TOKEN)",
      "[ok]   Copilot seat: fake-user: plan individual (copilot_individual)",
      `[ok]   Copilot API: ${fake.copilotUrl} (the seat's endpoint)`,
      "[ok]   models: 39 listed (35 chat, 0 disabled by policy)",
      "[ok]   header versions: accepted (gpt-5-mini answered a chat request)",
      `[ok]   cache: ${join(environment.cwd, "db", "cache.sqlite3")} is writable`,
      "[ok]   clock: agrees with GitHub's",
      "",
      "No problems found.",
    ]);
    expect(exitCode).toBe(0);
    const chat = fake.requests.filter((request) => request.path === "/chat/completions");
    expect(chat.map((request) => JSON.parse(request.body) as unknown)).toEqual([
      {
        model: "gpt-5-mini",
        messages: [{ role: "user", content: "Reply with OK." }],
        stream: false,
      },
    ]);
  });

  it("without --live sends no chat request", async () => {
    fake.reset();
    const { lines, exitCode } = await doctor({});
    expect(lines[7]).toBe(
      "[skip] header versions: not tried: `cogpt doctor --live` sends a one-line chat request",
    );
    expect(exitCode).toBe(0);
    expect(fake.requests.some((request) => request.path === "/chat/completions")).toBe(false);
  });

  it("--json prints one object per check and no summary", async () => {
    const { lines } = await doctor({ json: true });
    const checks = lines.map((line) => JSON.parse(line) as { name: string; verdict: string });
    expect(checks[0]).toEqual({ name: "configuration", verdict: "ok", detail: "valid" });
    expect(checks.map((check) => check.name)).toEqual([
      "configuration",
      "proxy",
      "GitHub",
      "token",
      "Copilot seat",
      "Copilot API",
      "models",
      "header versions",
      "cache",
      "clock",
    ]);
  });

  it("fails without a token, says how to get one, and skips what needs it", async () => {
    const { lines, exitCode } = await doctor({}, {});
    expect(lines.slice(3, 8)).toEqual([
      "[FAIL] token: no GITHUB_TOKEN, and none saved by `cogpt login --save` Fix: run `cogpt login --save`, or set GITHUB_TOKEN.",
      "[skip] Copilot seat: needs a GitHub token",
      "[skip] Copilot API: needs a GitHub token",
      "[skip] models: needs a GitHub token",
      "[skip] header versions: needs a GitHub token",
    ]);
    expect(lines.at(-1)).toBe("1 problem found.");
    expect(exitCode).toBe(1);
  });

  it("tells a rejected token from an account without a seat", async () => {
    const rejected = await doctor({ githubToken: "ghu_Revoked" });
    expect(rejected.lines[3]).toBe(
      "[FAIL] token: GitHub rejected the GitHub token (Bad credentials): it is wrong, expired or revoked. " +
        "Sign in again to get a new GitHub app token (ghu_…). " +
        "Fix: sign in again with `cogpt login --save`, or set GITHUB_TOKEN to a ghu_ token.",
    );
    const noSeat = await doctor({ githubToken: NO_SEAT_TOKEN });
    expect(noSeat.lines.slice(3, 6)).toEqual([
      "[ok]   token: accepted by GitHub (from GITHUB_TOKEN)",
      "[FAIL] Copilot seat: No access to GitHub Copilot found. You are currently logged in as nobody. " +
        "Fix: get a Copilot plan at https://github.com/settings/copilot, or ask your organization's admin for a seat.",
      "[skip] Copilot API: needs a Copilot seat",
    ]);
    expect(noSeat.exitCode).toBe(1);
  });

  it("names the version options when Copilot answers 466", async () => {
    const { lines, exitCode } = await doctor({ githubApiVersion: "2024-01-01" });
    const fix =
      "Fix: update EDITOR_VERSION, EDITOR_PLUGIN_VERSION, GITHUB_API_VERSION, USER_AGENT or " +
      "COPILOT_INTEGRATION_ID to the values of a current VS Code and Copilot Chat.";
    const sent =
      "EDITOR_VERSION=1.104.3, EDITOR_PLUGIN_VERSION=0.31.5, GITHUB_API_VERSION=2024-01-01, " +
      "USER_AGENT=GitHubCopilotChat/0.31.5, COPILOT_INTEGRATION_ID=vscode-chat";
    expect(lines[5]).toBe(`[ok]   Copilot API: ${fake.copilotUrl} (the seat's endpoint)`);
    expect(lines[6]).toMatch(/^\[FAIL\] models: Copilot no longer accepts the client version/);
    expect(lines[6]).toContain(`Sent: ${sent}.`);
    expect(lines[6]).toContain(fix);
    expect(lines[7]).toBe(
      `[FAIL] header versions: Copilot answered 466 (version no longer supported) to ${sent} ${fix}`,
    );
    expect(exitCode).toBe(1);
  });

  it("warns when COPILOT_API_URL is not the seat's endpoint", async () => {
    const { lines, exitCode } = await doctor({ copilotApiUrl: `${fake.copilotUrl}/v0` });
    expect(lines.slice(5, 7)).toEqual([
      `[warn] Copilot API: ${fake.copilotUrl}/v0 (COPILOT_API_URL), but this seat's endpoint is ${fake.copilotUrl} ` +
        "Fix: remove COPILOT_API_URL unless you need it: business and enterprise seats must use their own endpoint.",
      "[FAIL] models: 404 page not found",
    ]);
    expect(lines.at(-1)).toBe("1 problem found. 1 warning.");
    expect(exitCode).toBe(1);
  });

  it("reports an invalid configuration and stops there", async () => {
    const { lines, exitCode } = await doctor({ port: "abc" });
    expect(lines).toEqual([
      '[FAIL] configuration: PORT: "abc" is not a port number (0-65535) Fix: correct it on the command line, in the environment or in .env.',
      "",
      "1 problem found.",
    ]);
    expect(exitCode).toBe(1);
  });

  it("counts an exposed server-held account as a configuration problem", async () => {
    const { lines } = await doctor({ host: "0.0.0.0" });
    expect(lines[0]).toMatch(
      /^\[FAIL\] configuration: API_KEYS: HOST 0\.0\.0\.0 would expose the server-held GitHub account/,
    );
  });

  it("fails when GitHub cannot be reached", async () => {
    const { lines, exitCode } = await doctor({ githubApiUrl: "http://127.0.0.1:1" });
    expect(lines[2]).toBe(
      "[FAIL] GitHub: cannot reach 127.0.0.1:1: ECONNREFUSED Fix: check the network connection, PROXY / NO_PROXY, and GITHUB_API_URL.",
    );
    expect(lines[9]).toBe("[skip] clock: no date from GitHub to compare with");
    expect(exitCode).toBe(1);
  });
});
