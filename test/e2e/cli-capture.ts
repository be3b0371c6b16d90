import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { CliEnvironment } from "../../src/cli/cli-context.js";

export interface CapturedEnvironment extends CliEnvironment {
  readonly out: () => string;
  readonly err: () => string;
}

/**
 * An environment for running a command in-process: the given variables only, an empty working
 * directory (no `.env`), a config directory with no saved token, and captured output.
 */
export function captureEnvironment(env: Record<string, string> = {}): CapturedEnvironment {
  const cwd = mkdtempSync(join(tmpdir(), "cogpt-cli-"));
  let out = "";
  let err = "";
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        append(chunk.toString());
        callback();
      },
    });
  return {
    env: { COGPT_CONFIG_DIR: join(cwd, "config"), ...env },
    cwd,
    stdout: sink((text) => (out += text)),
    stderr: sink((text) => (err += text)),
    out: () => out,
    err: () => err,
  };
}
