import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  rmSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_GITHUB_TOKEN, startFakeCopilot, type FakeCopilot } from "../fake-copilot/index.js";
import { chatThrough, serveFrom } from "./installed-process.js";

// `npm pack` (prepack compiles) → `npm install -g --prefix <temp> <tarball>` → the commands from
// that prefix, with PATH holding only that prefix and Node: no dev dependency, no compiler of
// TypeScript, nothing of the checkout.

const root = fileURLToPath(new URL("../../", import.meta.url));
const { version } = (await import("../../package.json", { with: { type: "json" } })).default;
const work = mkdtempSync(join(tmpdir(), "cogpt-npm-package-"));
const prefix = join(work, "prefix");
const bin = join(prefix, "bin");
const runDir = join(work, "run");
const env = () => ({
  PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`,
  COGPT_CONFIG_DIR: join(runDir, "config"),
  CACHE_PATH: join(runDir, "cache.sqlite3"),
});
let tarball = "";
let fake: FakeCopilot;

function run(command: string, args: readonly string[], cwd: string, extraEnv = {}) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...extraEnv },
    timeout: 600_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")}: ${result.status}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

beforeAll(async () => {
  // A copy of what `npm pack` reads, so that prepack's clean build never touches the checkout's
  // dist/ (other tests run the built CLI from there).
  const source = join(work, "source");
  const files = run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], root);
  for (const path of files.split("\0").filter(Boolean)) {
    if (existsSync(join(root, path))) cpSync(join(root, path), join(source, path));
  }
  symlinkSync(join(root, "node_modules"), join(source, "node_modules"));
  run("npm", ["pack", "--silent", "--pack-destination", work], source);
  tarball = join(
    work,
    readdirSync(work).find((name) => name.endsWith(".tgz"))!,
  );
  run("npm", ["install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", tarball], work);
  mkdirSync(runDir);
  fake = await startFakeCopilot({ recordRequests: false });
});

afterAll(async () => {
  await fake?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the npm package", () => {
  it("holds the compiled code, README, LICENSE, .env.example and examples, nothing else", () => {
    const listing = run("tar", ["tzf", tarball], work).split("\n").filter(Boolean);
    const outside = listing.filter((path) => !/^package\/dist\/(src\/.*\.js|ui\/.*)$/.test(path));
    expect(outside.sort()).toEqual([
      "package/.env.example",
      "package/LICENSE",
      "package/README.md",
      "package/README.zh-CN.md",
      "package/examples/cogpt-api-service.ps1",
      "package/examples/cogpt-api.service",
      "package/examples/com.cogpt-api.plist",
      "package/package.json",
    ]);
    expect(listing).toContain("package/dist/src/main.js");
    expect(listing).toContain("package/dist/ui/index.html");
    expect(listing.some((path) => path.includes(".test."))).toBe(false);
  });

  it("installs no dev dependency", () => {
    const installed = readdirSync(join(prefix, "lib", "node_modules", "cogpt", "node_modules"));
    for (const dev of ["typescript", "vitest", "esbuild", "openai", "fast-check", "eslint"]) {
      expect(installed).not.toContain(dev);
    }
    expect(installed).toContain("commander");
  });

  it("cogpt serve from the global install answers a chat completion through the fake", async () => {
    const gateway = await serveFrom(join(bin, "cogpt"), ["serve"], {
      cwd: runDir,
      env: { ...env(), GITHUB_URL: fake.githubUrl, GITHUB_API_URL: fake.githubUrl },
    });
    try {
      expect(await chatThrough(gateway.url, FAKE_GITHUB_TOKEN)).toBe(
        "Hello from gpt-4o! You said: hi",
      );
      const firstAnswerMs = performance.now() - gateway.startedAt;
      console.log(
        `installed package: listening after ${gateway.listeningAfterMs.toFixed(0)} ms, ` +
          `first chat completion answered after ${firstAnswerMs.toFixed(0)} ms`,
      );
    } finally {
      await gateway.close();
    }
  });

  it("cogpt-api serves; cogpt-get-apptoken, gen-share-token and cogpt --version answer", async () => {
    const gateway = await serveFrom(join(bin, "cogpt-api"), [], {
      cwd: runDir,
      env: { ...env(), GITHUB_URL: fake.githubUrl, GITHUB_API_URL: fake.githubUrl },
    });
    try {
      expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    } finally {
      await gateway.close();
    }
    const plain = { ...env() };
    expect(run(join(bin, "cogpt-get-apptoken"), ["--help"], runDir, plain)).toContain(
      "Usage: cogpt login",
    );
    expect(run(join(bin, "gen-share-token"), [], runDir, plain)).toMatch(/^share-[\w-]{43}\n$/);
    expect(run(join(bin, "cogpt"), ["--version"], runDir, plain)).toContain(version);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      run(join(bin, "cogpt"), ["share-token"], runDir, plain);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(
      `cogpt share-token: median ${times[2]!.toFixed(0)} ms of 5 (${times.map((t) => t.toFixed(0)).join(", ")})`,
    );
  });

  it("npx --package <tarball> cogpt serve answers a chat completion", async () => {
    const gateway = await serveFrom("npx", ["--yes", `--package=${tarball}`, "cogpt", "serve"], {
      cwd: runDir,
      env: {
        ...env(),
        PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
        npm_config_update_notifier: "false",
        GITHUB_URL: fake.githubUrl,
        GITHUB_API_URL: fake.githubUrl,
      },
      // npx installs the package and its dependencies first (on Node 20 it builds better-sqlite3).
      timeoutMs: 280_000,
    });
    try {
      expect(await chatThrough(gateway.url, FAKE_GITHUB_TOKEN)).toBe(
        "Hello from gpt-4o! You said: hi",
      );
    } finally {
      await gateway.close();
    }
  });
});
