import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkCachePath } from "./check-cache-path.js";
import { messageOf } from "./config-error-message.test-helper.js";

// Root passes every permission check, so the read-only directory case only runs as a normal user.
const isRoot = process.getuid?.() === 0;

describe("checkCachePath", () => {
  let directory = "";
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "cogpt-cache-path-"));
  });
  afterEach(() => {
    chmodSync(directory, 0o700);
    rmSync(directory, { recursive: true, force: true });
  });

  it("creates missing directories, owner-only (0700)", () => {
    const nested = join(directory, "a", "b");
    checkCachePath(join(nested, "cache.sqlite3"));
    expect(statSync(nested).isDirectory()).toBe(true);
    expect(statSync(nested).mode & 0o777).toBe(0o700);
    expect(statSync(join(directory, "a")).mode & 0o777).toBe(0o700);
  });

  it("accepts an existing writable file", () => {
    const file = join(directory, "cache.sqlite3");
    writeFileSync(file, "");
    expect(checkCachePath(file)).toBeUndefined();
  });

  it("refuses a directory path that is a regular file", () => {
    const file = join(directory, "db");
    writeFileSync(file, "");
    expect(messageOf(() => checkCachePath(join(file, "cache.sqlite3")))).toBe(
      `CACHE_PATH: cannot write to "${file}": is a file, not a directory`,
    );
  });

  it("refuses a path below a regular file", () => {
    const file = join(directory, "db");
    writeFileSync(file, "");
    const below = join(file, "sub");
    expect(messageOf(() => checkCachePath(join(below, "cache.sqlite3")))).toBe(
      `CACHE_PATH: cannot write to "${below}": not a directory`,
    );
  });

  it("refuses a cache path that is a directory", () => {
    const inner = join(directory, "cache.sqlite3");
    mkdirSync(inner);
    expect(messageOf(() => checkCachePath(inner))).toBe(
      `CACHE_PATH: cannot write to "${inner}": is a directory, not a file`,
    );
  });

  it.skipIf(isRoot)("refuses a read-only directory", () => {
    const readOnly = join(directory, "ro");
    mkdirSync(readOnly, { mode: 0o500 });
    chmodSync(readOnly, 0o500);
    try {
      expect(messageOf(() => checkCachePath(join(readOnly, "cache.sqlite3")))).toBe(
        `CACHE_PATH: cannot write to "${readOnly}": permission denied`,
      );
    } finally {
      chmodSync(readOnly, 0o700);
    }
  });
});
