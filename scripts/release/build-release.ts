import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { readBinaryFormat } from "./binary-format.js";
import { LAUNCHERS, renderCmdLauncher, renderShellLauncher } from "./launchers.js";
import { loadNodeRuntime, RELEASE_TARGETS, type ReleaseTarget } from "./node-runtimes.js";
import { createTarGz, type ArchiveEntry } from "./tar.js";
import { createZip } from "./zip.js";

/** What one release build needs; every path absolute. */
export interface ReleaseOptions {
  readonly root: string;
  /** The esbuild bundle (`npm run bundle` writes dist/bundle/cogpt.mjs). */
  readonly bundle: string;
  readonly outDir: string;
  readonly cacheDir: string;
  /** Every file's modification time, in seconds since 1970. */
  readonly mtime: number;
  readonly platforms: readonly ReleaseTarget["platform"][];
}

/** The archive names written, in `platforms` order, and SHA256SUMS beside them. */
export function buildRelease(options: ReleaseOptions): string[] {
  const { version } = JSON.parse(readFileSync(join(options.root, "package.json"), "utf8")) as {
    version: string;
  };
  const shared = sharedEntries(options.root, options.bundle, version);
  // Node's license, from the one package of this version that is sure to carry it.
  const nodeLicense = loadNodeRuntime(RELEASE_TARGETS[0]!, options.cacheDir).license;
  if (nodeLicense === undefined) throw new Error("no LICENSE in the Node package");
  mkdirSync(options.outDir, { recursive: true });
  const written: string[] = [];
  for (const platform of options.platforms) {
    const target = RELEASE_TARGETS.find((each) => each.platform === platform);
    if (target === undefined) throw new Error(`unknown platform ${platform}`);
    const runtime = loadNodeRuntime(target, options.cacheDir);
    const format = readBinaryFormat(runtime.binary);
    if (
      format?.format !== target.expected.format ||
      format.architecture !== target.expected.architecture
    ) {
      throw new Error(
        `${target.runtimePackage}: the binary is ${JSON.stringify(format)}, not ${JSON.stringify(target.expected)}`,
      );
    }
    const top = `cogpt-${version}-${platform}`;
    const entries: ArchiveEntry[] = [
      ...shared,
      ...LAUNCHERS.map(({ name, command }) =>
        target.windows
          ? file(`${name}.cmd`, renderCmdLauncher(name, command), 0o644)
          : file(name, renderShellLauncher(name, command), 0o755),
      ),
      {
        path: target.windows ? "runtime/node.exe" : "runtime/node",
        data: runtime.binary,
        mode: 0o755,
      },
      { path: "runtime/LICENSE", data: nodeLicense, mode: 0o644 },
    ].map((entry) => ({ ...entry, path: `${top}/${entry.path}` }));
    const name = target.windows ? `${top}.zip` : `${top}.tar.gz`;
    const archive = target.windows
      ? createZip(entries, options.mtime)
      : createTarGz(entries, options.mtime);
    writeFileSync(join(options.outDir, name), archive);
    written.push(name);
  }
  writeChecksums(options.outDir);
  return written;
}

/** The files every archive holds, whatever the platform. */
function sharedEntries(root: string, bundle: string, version: string): ArchiveEntry[] {
  // The bundle reads its version from ../package.json (src/version.ts), as dist/src does.
  const manifest = { name: "cogpt", version, private: true, type: "module", license: "MIT" };
  const entries: ArchiveEntry[] = [
    { path: "lib/cogpt.mjs", data: readFileSync(bundle), mode: 0o644 },
    file("package.json", `${JSON.stringify(manifest, null, 2)}\n`, 0o644),
  ];
  for (const name of ["README.md", "README.zh-CN.md", "LICENSE", ".env.example"]) {
    entries.push({ path: name, data: readFileSync(join(root, name)), mode: 0o644 });
  }
  // The dashboard, where the bundle looks for it: ../ui from lib/cogpt.mjs.
  const ui = join(root, "dist", "ui");
  if (!existsSync(join(ui, "index.html"))) {
    throw new Error(`${ui} has no index.html: run npm run build first`);
  }
  for (const path of listFiles(ui)) {
    entries.push({ path: `ui/${path}`, data: readFileSync(join(ui, path)), mode: 0o644 });
  }
  for (const name of readdirSync(join(root, "examples")).sort()) {
    entries.push({
      path: `examples/${name}`,
      data: readFileSync(join(root, "examples", name)),
      mode: 0o644,
    });
  }
  return entries;
}

/** Every file below `dir`, as "/"-separated paths relative to it. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"));
}

function file(path: string, text: string, mode: number): ArchiveEntry {
  return { path, data: Buffer.from(text, "utf8"), mode };
}

/** SHA256SUMS in `sha256sum -c` form, for every archive in the directory. */
function writeChecksums(outDir: string): void {
  const lines = readdirSync(outDir)
    .filter((name) => name.endsWith(".tar.gz") || name.endsWith(".zip"))
    .sort()
    .map(
      (name) =>
        `${createHash("sha256")
          .update(readFileSync(join(outDir, name)))
          .digest("hex")}  ${name}\n`,
    );
  writeFileSync(join(outDir, "SHA256SUMS"), lines.join(""));
}

/**
 * The time stamped on every file: SOURCE_DATE_EPOCH when set (the reproducible-builds
 * convention), else the commit's time, else 1980-01-01 (the earliest a zip can say).
 */
export function releaseTime(root: string, env: NodeJS.ProcessEnv): number {
  const fromEnv = env.SOURCE_DATE_EPOCH;
  if (fromEnv !== undefined && /^\d+$/.test(fromEnv)) return Number(fromEnv);
  const git = spawnSync("git", ["log", "-1", "--format=%ct"], { cwd: root, encoding: "utf8" });
  const fromGit = git.status === 0 ? git.stdout.trim() : "";
  return /^\d+$/.test(fromGit) ? Number(fromGit) : 315532800;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: "string", default: "release" },
      cache: { type: "string" },
      bundle: { type: "string", default: "dist/bundle/cogpt.mjs" },
      platform: { type: "string", multiple: true },
    },
  });
  const root = process.cwd();
  const platforms = (values.platform ??
    RELEASE_TARGETS.map((each) => each.platform)) as ReleaseTarget["platform"][];
  const outDir = resolve(values.out);
  rmSync(outDir, { recursive: true, force: true });
  const started = Date.now();
  const written = buildRelease({
    root,
    bundle: resolve(values.bundle),
    outDir,
    cacheDir: resolve(
      values.cache ?? process.env.COGPT_RELEASE_CACHE ?? join(homedir(), ".cache", "cogpt-release"),
    ),
    mtime: releaseTime(root, process.env),
    platforms,
  });
  for (const name of written) process.stdout.write(`${join(outDir, name)}\n`);
  process.stdout.write(
    `${join(outDir, "SHA256SUMS")} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
  );
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(resolve(process.argv[1])).href
) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`release: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
