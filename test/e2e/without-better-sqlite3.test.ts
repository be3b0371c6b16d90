import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "../../src/version.js";
import { FAKE_GITHUB_TOKEN, startFakeCopilot } from "../fake-copilot/fake-copilot.js";
import { makeRunDir, runCli } from "./cli-run.js";
import { startGatewayProcess } from "./gateway-process.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const HAS_NODE_SQLITE = process.getBuiltinModule("node:sqlite") !== undefined;

/**
 * The built CLI as an install where better-sqlite3 failed to build (it is optional): every other
 * dependency is there, better-sqlite3 is not.
 */
describe("an install without better-sqlite3", () => {
  let install: string;
  let main: string;

  beforeAll(() => {
    install = mkdtempSync(join(tmpdir(), "cogpt-no-better-sqlite3-"));
    cpSync(join(ROOT, "dist", "src"), join(install, "dist", "src"), { recursive: true });
    cpSync(join(ROOT, "package.json"), join(install, "package.json"));
    mkdirSync(join(install, "node_modules"));
    for (const name of readdirSync(join(ROOT, "node_modules"))) {
      if (name === "better-sqlite3" || name.startsWith(".")) continue;
      symlinkSync(join(ROOT, "node_modules", name), join(install, "node_modules", name));
    }
    main = join(install, "dist", "src", "main.js");
  });

  afterAll(() => {
    rmSync(install, { recursive: true, force: true });
  });

  it("--version names node:sqlite where Node has it, else says there is no driver", async () => {
    const run = await runCli(main, ["--version"]);
    const sqlite = HAS_NODE_SQLITE
      ? `node:sqlite (SQLite ${process.versions["sqlite"]})`
      : "none (memory only; see `cogpt doctor`)";
    expect(run).toEqual({
      code: 0,
      stdout: `cogpt ${VERSION} (node ${process.version}, sqlite: ${sqlite})\n`,
      stderr: "",
    });
  });

  it.runIf(HAS_NODE_SQLITE)("keeps managed keys in the database with node:sqlite", async () => {
    const { cwd } = makeRunDir();
    const env = { CACHE_PATH: join(cwd, "cache.sqlite3") };
    const created = await runCli(main, ["keys", "create", "--name", "alice", "--json"], {
      cwd,
      env,
    });
    expect([created.code, created.stderr]).toEqual([0, ""]);
    const listed = await runCli(main, ["keys", "list", "--json"], { cwd, env });
    expect([listed.code, listed.stderr]).toEqual([0, ""]);
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((key) => key.name)).toEqual([
      "alice",
    ]);
  });

  it.skipIf(HAS_NODE_SQLITE)("refuses keys with one line that names the fix", async () => {
    const { cwd } = makeRunDir();
    const path = join(cwd, "cache.sqlite3");
    const run = await runCli(main, ["keys", "list"], { cwd, env: { CACHE_PATH: path } });
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr:
        `cogpt: cannot open the database ${path}: SQLite is unavailable: Node ${process.version} ` +
        "has no node:sqlite and better-sqlite3 could not be loaded (Cannot find module " +
        `'better-sqlite3'). Fix: use Node 22.13 or later (SQLite built in, no compiler needed), ` +
        "or install a C++ toolchain (python3, make, g++) and run `npm rebuild better-sqlite3`\n",
    });
  });

  it("serves a chat completion, on node:sqlite or else with the memory cache", async () => {
    const fake = await startFakeCopilot();
    const gateway = await startGatewayProcess(fake, {}, main);
    try {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${FAKE_GITHUB_TOKEN}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
      });
      const answer = (await response.json()) as { object?: unknown };
      expect([response.status, answer.object]).toEqual([200, "chat.completion"]);
      const health = (await (await fetch(`${gateway.url}/healthz`)).json()) as {
        cache?: unknown;
      };
      expect(health.cache).toBe(HAS_NODE_SQLITE ? "sqlite" : "memory");
      const warnings = gateway
        .output()
        .split("\n")
        .filter((line) => / WARN /.test(line))
        .map((line) => line.replace(/^\S+ WARN\s+/, ""));
      expect(warnings).toEqual(
        HAS_NODE_SQLITE
          ? []
          : [
              `token cache: SQLite is unavailable: Node ${process.version} has no node:sqlite and ` +
                "better-sqlite3 could not be loaded (Cannot find module 'better-sqlite3'). Fix: " +
                "use Node 22.13 or later (SQLite built in, no compiler needed), or install a C++ " +
                "toolchain (python3, make, g++) and run `npm rebuild better-sqlite3`; running " +
                "with the memory cache, so every restart exchanges each GitHub token again",
              "ledger and keys: the cache file is not in use (see the token cache's warning), so " +
                "they live in memory for this run: managed keys (cogpt keys) cannot sign in and " +
                "the ledger is lost at exit",
            ],
      );
    } finally {
      await gateway.close();
      await fake.close();
    }
  });
});
