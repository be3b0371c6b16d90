import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The built CLI and its bins (`npm test` builds first, through `pretest`). */
export const MAIN = fileURLToPath(new URL("../../dist/src/main.js", import.meta.url));
export const BIN = (name: string): string =>
  fileURLToPath(new URL(`../../dist/src/bin/${name}.js`, import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** The whole environment of the child (PATH is added). */
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  /** Called with the child once started, e.g. to send it a signal. */
  readonly onStart?: (child: ChildProcessWithoutNullStreams, output: () => string) => void;
}

/** A fresh directory for a run: no `.env`, no saved token (COGPT_CONFIG_DIR points inside). */
export function makeRunDir(): { cwd: string; configDir: string } {
  const cwd = mkdtempSync(join(tmpdir(), "cogpt-cli-"));
  return { cwd, configDir: join(cwd, "config") };
}

/** Runs `node <script> …args` and collects its output and exit code. */
export function runCli(script: string, args: readonly string[], options: CliRunOptions = {}) {
  return new Promise<CliRun>((resolve) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { PATH: process.env.PATH ?? "", ...options.env },
      cwd: options.cwd ?? makeRunDir().cwd,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    options.onStart?.(child, () => stdout + stderr);
  });
}
