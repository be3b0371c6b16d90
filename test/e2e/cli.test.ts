import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FAKE_GITHUB_TOKEN,
  startFakeCopilot,
  type FakeCopilot,
} from "../fake-copilot/fake-copilot.js";
import { loadSqliteDriver } from "../../src/store/sqlite-driver.js";

// The built CLI (`npm test` builds first, through `pretest`).
const MAIN = fileURLToPath(new URL("../../dist/src/main.js", import.meta.url));
const API_BIN = fileURLToPath(new URL("../../dist/src/bin/cogpt-api.js", import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? "", ...env },
      cwd,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let fake: FakeCopilot;
let cwd: string;
beforeAll(async () => {
  fake = await startFakeCopilot();
  cwd = mkdtempSync(join(tmpdir(), "cogpt-cli-"));
});
afterAll(async () => {
  await fake.close();
});

describe("cogpt serve", () => {
  it("stops start-up with one clear line for an invalid value", async () => {
    const result = await run([MAIN, "serve"], { PORT: "abc" }, cwd);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: 'cogpt: configuration error: PORT: "abc" is not a port number (0-65535)\n',
    });
    const flag = await run([MAIN, "--account-type", "team"], {}, cwd);
    expect(flag.stderr).toBe(
      'cogpt: configuration error: ACCOUNT_TYPE: "team" is not one of individual, business, enterprise\n',
    );
  });

  it("refuses to expose a server-held account without API_KEYS", async () => {
    const result = await run(
      [MAIN, "serve", "--host", "0.0.0.0"],
      { GITHUB_TOKEN: FAKE_GITHUB_TOKEN, COGPT_CONFIG_DIR: cwd },
      cwd,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "cogpt: configuration error: API_KEYS: HOST 0.0.0.0 would expose the server-held GitHub account to the network: set API_KEYS (for example API_KEYS=$(cogpt share-token)) so clients must present a key, or listen on HOST=localhost\n",
    );
    expect(result.stderr).not.toContain(FAKE_GITHUB_TOKEN);
  });

  it("prints its version", async () => {
    expect(await run([MAIN, "--version"], {}, cwd)).toEqual({
      code: 0,
      stdout: `cogpt 0.1.0 (node ${process.version}, sqlite: ${loadSqliteDriver().description})\n`,
      stderr: "",
    });
  });

  it("starts with the memory cache, and says why, when CACHE_PATH cannot be used", async () => {
    const { mkdirSync } = await import("node:fs");
    const directory = join(mkdtempSync(join(tmpdir(), "cogpt-cli-cache-")), "cache.sqlite3");
    mkdirSync(directory);
    const child = spawn(process.execPath, [MAIN, "serve", "--port", "0", "--host", "127.0.0.1"], {
      cwd,
      env: { PATH: process.env.PATH ?? "", CACHE_PATH: directory, GITHUB_API_URL: fake.githubUrl },
    });
    let stderr = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(stderr);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.on("exit", () => reject(new Error(stderr)));
    });
    const health = (await (await fetch(`${url}/healthz`)).json()) as Record<string, unknown>;
    const reason = `cannot write to "${directory}": is a directory, not a file`;
    expect([health.cache, health.cache_error]).toEqual(["memory", reason]);
    expect(stderr).toContain(`token cache: cannot use SQLite at ${directory} (${reason})`);
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", resolve);
      child.kill("SIGTERM");
    });
    expect(code).toBe(0);
  });

  it("serves, answers, and stops cleanly on SIGTERM (as cogpt-api, configured from .env and flags)", async () => {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(cwd, ".env"), `GITHUB_API_URL=${fake.githubUrl}\nLOG_LEVEL=debug\nPORT=1\n`);
    const child = spawn(process.execPath, [API_BIN, "--port", "0", "--host", "127.0.0.1"], {
      cwd,
      env: {
        PATH: process.env.PATH ?? "",
        SHARE_TOKEN: `share-cli-test:${FAKE_GITHUB_TOKEN},bogus:x`,
      },
    });
    let stderr = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(stderr);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.on("exit", () => reject(new Error(stderr)));
    });
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer share-cli-test", "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "cli" }] }),
    });
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe("Hello from gpt-4o! You said: cli");
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", resolve);
      child.kill("SIGTERM");
    });
    expect(code).toBe(0);
    expect(stderr).toContain('SHARE_TOKEN: entry 2 ignored: share tokens must start with "share-"');
    expect(stderr).toContain("CoGPT stopped");
    expect(stderr).not.toContain(FAKE_GITHUB_TOKEN);
    expect(stderr).not.toContain("share-cli-test");
  });
});
