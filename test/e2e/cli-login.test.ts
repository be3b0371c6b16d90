import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { setDeviceFlowScript, type DeviceFlowScript } from "../fake-copilot/device-flow-routes.js";
import {
  FAKE_GITHUB_TOKEN,
  startFakeCopilot,
  type FakeCopilot,
  type FakeCopilotOptions,
} from "../fake-copilot/fake-copilot.js";
import { BIN, MAIN, makeRunDir, runCli, type CliRunOptions } from "./cli-run.js";

// Each test has its own fake GitHub, so the tests (each a child process) run side by side.
const fakes: FakeCopilot[] = [];
afterAll(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
});

async function startFake(
  script: DeviceFlowScript,
  options: FakeCopilotOptions = {},
): Promise<FakeCopilot> {
  const fake = await startFakeCopilot(options);
  fakes.push(fake);
  // Fractions of a second keep the runs short; the fake still enforces them.
  setDeviceFlowScript(fake.githubUrl, { interval: 0.1, ...script });
  return fake;
}

function login(fake: FakeCopilot, extra: string[] = [], options: CliRunOptions = {}) {
  const { cwd, configDir } = makeRunDir();
  const args = ["login", "--github-url", fake.githubUrl, "--github-api-url", fake.githubUrl];
  const run = runCli(MAIN, [...args, ...extra], {
    cwd,
    env: { COGPT_CONFIG_DIR: configDir },
    ...options,
  });
  return { run, configDir };
}

function instructions(fake: FakeCopilot): string {
  return (
    `To sign in, open ${fake.githubUrl}/login/device\nand enter the code WDJB-MJHT\n\n` +
    "Waiting for you to sign in; the code expires in 15:00.\n"
  );
}

function polls(fake: FakeCopilot): number {
  return fake.requests.filter((request) => request.path === "/login/oauth/access_token").length;
}

describe.concurrent("cogpt login (device flow against the fake GitHub)", () => {
  it("prints the URL and code, waits, checks Copilot and prints the token", async ({ expect }) => {
    const fake = await startFake({ polls: ["pending", "approve"] });
    expect(await login(fake).run).toEqual({
      code: 0,
      stdout:
        instructions(fake) +
        "Signed in as fake-user.\n" +
        "Copilot: yes, plan individual (copilot_individual).\n\n" +
        `Your GitHub token: ${FAKE_GITHUB_TOKEN}\n\n` +
        "Keep it secret: it gives access to your Copilot account. `cogpt login --save` stores it for the server.\n",
      stderr: "",
    });
    expect(polls(fake)).toBe(2);
    // Checked the way the server will use it: a token exchange.
    expect(fake.tokenExchangeCount(FAKE_GITHUB_TOKEN)).toBe(1);
  });

  it("retries after a network error, says so, and signs in", async ({ expect }) => {
    const fake = await startFake({ polls: ["pending", "approve"] });
    fake.injectFault({ path: "/login/oauth/access_token", reset: true });
    const result = await login(fake).run;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      "cogpt login: no answer from GitHub (the connection was closed); trying again (1 of 3)\n",
    );
    expect(result.stdout).toContain(`Your GitHub token: ${FAKE_GITHUB_TOKEN}\n`);
  });

  it("stops with exit 1 when the person declines", async ({ expect }) => {
    const fake = await startFake({ polls: ["pending", "deny"] });
    const { run, configDir } = login(fake, ["--save"]);
    const result = await run;
    expect([result.code, result.stderr]).toEqual([
      1,
      "cogpt: The sign-in was declined on GitHub.\n",
    ]);
    expect(result.stdout).toBe(instructions(fake));
    expect(() => statSync(join(configDir, "github-token"))).toThrow();
  });

  it("says when the account has no Copilot, with GitHub's reason", async ({ expect }) => {
    const token = "ghu_NoSeatAccountForCliLoginTests00000001";
    const fake = await startFake(
      { polls: ["approve"], token },
      { accounts: { [token]: { kind: "no_seat", login: "no-seat-user" } } },
    );
    const result = await login(fake).run;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "Signed in as no-seat-user.\nCopilot: no. GitHub says: No access to GitHub Copilot found. You are currently logged in as no-seat-user.\n",
    );
  });

  it("Ctrl-C stops the wait cleanly with exit 130", async ({ expect }) => {
    const fake = await startFake({ polls: ["pending"] });
    const { run } = login(fake, [], {
      onStart: (child, output) => {
        const poll = setInterval(() => {
          if (!output().includes("Waiting for you to sign in")) return;
          clearInterval(poll);
          child.kill("SIGINT");
        }, 20);
      },
    });
    const result = await run;
    expect([result.code, result.stderr]).toEqual([130, "cogpt: sign-in cancelled\n"]);
  });

  it("--save --name work: a named account beside the default token, 0600", async ({ expect }) => {
    const fake = await startFake({ polls: ["approve"] });
    const { run, configDir } = login(fake, ["--save", "--name", "work"]);
    const result = await run;
    const path = join(configDir, "accounts", "work");
    expect([result.code, result.stderr]).toEqual([0, ""]);
    expect(result.stdout).toContain(
      `Your GitHub token: ${FAKE_GITHUB_TOKEN}\n\n` +
        `Saved as account "work" to ${path} (readable only by you); ` +
        "keys made with `cogpt keys create --account work` spend it.\n",
    );
    expect(readFileSync(path, "utf8")).toBe(`${FAKE_GITHUB_TOKEN}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(configDir, "accounts")).mode & 0o777).toBe(0o700);
    // The default token is left alone.
    expect(() => statSync(join(configDir, "github-token"))).toThrow();
  });

  it("--name without --save, or an unusable name, is refused before any sign-in", async ({
    expect,
  }) => {
    const fake = await startFake({ polls: ["approve"] });
    expect(await login(fake, ["--name", "work"]).run).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "cogpt: --name names the saved account: use it with --save (cogpt login --save --name <name>)\n",
    });
    expect(await login(fake, ["--save", "--name", "../github-token"]).run).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "cogpt: --name \"../github-token\": expected 1-64 characters: letters, digits, '.', '_' or '-' (not '.' or '..')\n",
    });
    expect(polls(fake)).toBe(0);
  });

  it("as cogpt-get-apptoken --json --save: one object on stdout, a 0600 file", async ({
    expect,
  }) => {
    const fake = await startFake({ polls: ["approve"] });
    const { cwd, configDir } = makeRunDir();
    const result = await runCli(
      BIN("cogpt-get-apptoken"),
      ["--json", "--save", "--github-url", fake.githubUrl, "--github-api-url", fake.githubUrl],
      { cwd, env: { COGPT_CONFIG_DIR: configDir } },
    );
    const path = join(configDir, "github-token");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      token: FAKE_GITHUB_TOKEN,
      login: "fake-user",
      copilot: { ok: true, sku: "copilot_individual", plan: "individual" },
      saved_to: path,
    });
    // The instructions still reach the person, on stderr.
    expect(result.stderr).toBe(instructions(fake));
    expect(readFileSync(path, "utf8")).toBe(`${FAKE_GITHUB_TOKEN}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
