import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { ConfigError } from "./config-error.js";

/**
 * Makes sure the SQLite cache file can be created: its directory exists (created if needed) and
 * is writable, and the file, if present, is a writable regular file. Checked before the SQLite
 * cache is opened (and by `cogpt doctor`) so a bad path is told in one plain line; the gateway
 * then runs with the memory cache rather than refusing to start.
 *
 * As root every W_OK check passes, so the type checks (a file where a directory belongs, or the
 * other way round) are what catch a mistaken path there.
 */
export function checkCachePath(path: string): void {
  const directory = dirname(path);
  try {
    const existing = statSync(directory, { throwIfNoEntry: false });
    // Owner-only, like the file: the cache holds live Copilot tokens.
    if (existing === undefined) mkdirSync(directory, { recursive: true, mode: 0o700 });
    else if (!existing.isDirectory()) throw new Error("is a file, not a directory");
    accessSync(directory, constants.W_OK);
  } catch (error) {
    throw new ConfigError("CACHE_PATH", `cannot write to "${directory}": ${describeError(error)}`);
  }
  try {
    const file = statSync(path, { throwIfNoEntry: false });
    if (file === undefined) return;
    if (file.isDirectory()) throw new Error("is a directory, not a file");
    accessSync(path, constants.W_OK);
  } catch (error) {
    throw new ConfigError("CACHE_PATH", `cannot write to "${path}": ${describeError(error)}`);
  }
}

/** `EACCES: permission denied, access '/x'` → `permission denied` (the path is already quoted). */
function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^[A-Z]+: (.*?), \w+ '.*'$/s, "$1");
}
