import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  rmSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_GITHUB_TOKEN, startFakeCopilot, type FakeCopilot } from "../fake-copilot/index.js";
import { readBinaryFormat } from "../../scripts/release/binary-format.js";
import { buildRelease, releaseTime } from "../../scripts/release/build-release.js";
import { LAUNCHERS } from "../../scripts/release/launchers.js";
import { RELEASE_TARGETS } from "../../scripts/release/node-runtimes.js";
import { readTar, type TarFile } from "../../scripts/release/tar.js";
import { readZip } from "../../scripts/release/zip.js";
import { chatThrough, serveFrom } from "./installed-process.js";

// Two builds of this commit, from the bundle up, into two directories: every byte must match.
// Then the linux-x64 archive runs with no Node on PATH, and every other archive is checked for a
// runtime of the right format and CPU and the very same bundle.

const root = fileURLToPath(new URL("../../", import.meta.url));
const { version } = (await import("../../package.json", { with: { type: "json" } })).default;
const work = mkdtempSync(join(tmpdir(), "cogpt-archives-"));
const builds = [join(work, "first"), join(work, "second")];
const cacheDir =
  process.env.COGPT_RELEASE_CACHE ?? join(process.env.HOME ?? tmpdir(), ".cache", "cogpt-release");

function bundleInto(path: string): void {
  const result = spawnSync("npm", ["run", "bundle", "--silent"], { cwd: root, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`npm run bundle: ${result.stderr}`);
  copyFileSync(join(root, "dist", "bundle", "cogpt.mjs"), path);
}

beforeAll(() => {
  for (const outDir of builds) {
    mkdirSync(outDir);
    const bundle = join(work, `${outDir === builds[0] ? "first" : "second"}.mjs`);
    bundleInto(bundle);
    buildRelease({
      root,
      bundle,
      outDir,
      cacheDir,
      mtime: releaseTime(root, process.env),
      platforms: RELEASE_TARGETS.map((target) => target.platform),
    });
  }
});

// Two builds and an unpacked archive are some 500 MB.
afterAll(() => rmSync(work, { recursive: true, force: true }));

const archiveName = (platform: string) =>
  `cogpt-${version}-${platform}.${platform === "win-x64" ? "zip" : "tar.gz"}`;

describe("npm run release", () => {
  it("writes the five archives and SHA256SUMS, byte for byte the same twice", () => {
    const names = RELEASE_TARGETS.map((target) => archiveName(target.platform));
    expect(readdirSync(builds[0]!).sort()).toEqual([...names, "SHA256SUMS"].sort());
    for (const name of [...names, "SHA256SUMS"]) {
      expect(
        readFileSync(join(builds[1]!, name)).equals(readFileSync(join(builds[0]!, name))),
        name,
      ).toBe(true);
    }
    const check = spawnSync("sha256sum", ["-c", "SHA256SUMS"], {
      cwd: builds[0],
      encoding: "utf8",
    });
    expect(check.stdout.split("\n").filter(Boolean).sort()).toEqual(
      names.map((name) => `${name}: OK`).sort(),
    );
  });

  it("gives every archive a runtime of its platform, the same bundle and the launchers", () => {
    const bundles = new Set<string>();
    for (const target of RELEASE_TARGETS) {
      const data = readFileSync(join(builds[0]!, archiveName(target.platform)));
      const files = target.windows ? readZip(data) : readTar(data);
      const top = `cogpt-${version}-${target.platform}/`;
      const get = (path: string) => files.find((file) => file.path === top + path);
      const runtime = get(target.windows ? "runtime/node.exe" : "runtime/node");
      expect(readBinaryFormat(runtime!.data), target.platform).toEqual(target.expected);
      bundles.add(createHash("sha256").update(get("lib/cogpt.mjs")!.data).digest("hex"));
      for (const { name } of LAUNCHERS) {
        const launcher = get(target.windows ? `${name}.cmd` : name);
        expect(launcher?.mode, `${target.platform} ${name}`).toBe(target.windows ? 0o644 : 0o755);
      }
      for (const path of [
        "README.md",
        "README.zh-CN.md",
        "LICENSE",
        ".env.example",
        "examples/cogpt-api.service",
        "runtime/LICENSE",
        "package.json",
      ]) {
        expect(get(path), `${target.platform} ${path}`).toBeDefined();
      }
      if (!target.windows) {
        for (const file of files as TarFile[]) expect([file.uid, file.gid]).toEqual([0, 0]);
      }
    }
    expect([...bundles]).toEqual([
      createHash("sha256")
        .update(readFileSync(join(work, "first.mjs")))
        .digest("hex"),
    ]);
  });
});

describe("the linux-x64 archive, unpacked, with no Node on PATH", () => {
  const unpacked = join(work, "unpacked");
  const tools = join(work, "tools");
  let install = "";
  let fake: FakeCopilot;
  const env = () => ({ PATH: tools, COGPT_CONFIG_DIR: join(unpacked, "config") });

  beforeAll(async () => {
    mkdirSync(unpacked);
    const extract = spawnSync("tar", [
      "xzf",
      join(builds[0]!, archiveName("linux-x64")),
      "-C",
      unpacked,
    ]);
    expect(extract.status).toBe(0);
    install = join(unpacked, `cogpt-${version}-linux-x64`);
    // The launchers need dirname (and readlink for a symlink); PATH holds those two only.
    mkdirSync(tools);
    for (const tool of ["dirname", "readlink"]) {
      symlinkSync(
        spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim(),
        join(tools, tool),
      );
    }
    expect(spawnSync("sh", ["-c", "command -v node"], { env: env() }).status).not.toBe(0);
    fake = await startFakeCopilot({ recordRequests: false });
  });

  afterAll(async () => {
    await fake?.close();
  });

  it("cogpt-api serves a chat completion through the fake, on node:sqlite", async () => {
    const gateway = await serveFrom(join(install, "cogpt-api"), [], {
      cwd: unpacked,
      env: { ...env(), GITHUB_URL: fake.githubUrl, GITHUB_API_URL: fake.githubUrl },
    });
    try {
      expect(await chatThrough(gateway.url, FAKE_GITHUB_TOKEN)).toBe(
        "Hello from gpt-4o! You said: hi",
      );
      console.log(
        `linux-x64 archive: listening after ${gateway.listeningAfterMs.toFixed(0)} ms, first chat ` +
          `completion answered after ${(performance.now() - gateway.startedAt).toFixed(0)} ms`,
      );
      expect(gateway.output()).toContain("CACHE: true (SQLite)");
      expect(gateway.output()).not.toContain("ExperimentalWarning");
      // The dashboard's page from ui/ beside lib/, where the bundle looks for it.
      const page = await fetch(`${gateway.url}/ui/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toBe(readFileSync(join(install, "ui", "index.html"), "utf8"));
    } finally {
      await gateway.close();
    }
    expect(readdirSync(join(unpacked, "db"))).toContain("cache.sqlite3");
  });

  it("cogpt-get-apptoken --help, gen-share-token and cogpt --version answer", () => {
    const run = (name: string, args: string[]) =>
      spawnSync(join(install, name), args, { cwd: unpacked, env: env(), encoding: "utf8" });
    const help = run("cogpt-get-apptoken", ["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: cogpt login");
    const token = run("gen-share-token", []);
    expect(token.stdout).toMatch(/^share-[\w-]{43}\n$/);
    expect(token.stderr).toBe("");
    expect(run("cogpt", ["--version"]).stdout).toContain(version);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      expect(run("cogpt", ["share-token"]).status).toBe(0);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`archive cogpt share-token: median ${times[2]!.toFixed(0)} ms of 5`);
  });
});
