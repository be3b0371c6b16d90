import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../store/database.js";
import {
  availableSqliteDrivers,
  SqliteUnavailableError,
  type SqliteDriverName,
} from "../store/sqlite-driver.js";
import { openTokenCache } from "./open-token-cache.js";
import { createSqliteTokenCache } from "./sqlite-token-cache.js";
import type { CachedCopilotToken, TokenCache } from "./token-cache.js";

const token: CachedCopilotToken = {
  token: "tid=a;exp=4000000000:sig",
  expiresAt: 4_000_000_000,
  refreshIn: 1500,
  obtainedAt: 1_764_000_000,
  apiUrl: "https://api.individual.githubcopilot.com",
  sku: "free_limited_copilot",
};

const isRoot = process.getuid?.() === 0;
const SYSFS_READ_ONLY_FILE = "/sys/kernel/address_bits";
const SYSFS_READ_ONLY_DIRECTORY = "/sys/kernel";

function fallbackWarning(path: string, reason: string): string {
  return (
    `token cache: cannot use SQLite at ${path} (${reason}); running with the memory cache, so ` +
    "every restart exchanges each GitHub token again. Fix: set CACHE_PATH to a writable file " +
    "in a writable directory, or CACHE=false"
  );
}

let directory: string;
let warnings: string[];
const opened: TokenCache[] = [];

function open(
  path: string,
  driver: SqliteDriverName,
  createSqliteCache?: (path: string) => TokenCache,
): TokenCache {
  const cache = openTokenCache({
    enabled: true,
    path,
    warn: (message) => warnings.push(message),
    driver,
    createSqliteCache,
  });
  opened.push(cache);
  return cache;
}

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "cogpt-open-cache-"));
  warnings = [];
});

afterEach(() => {
  for (const cache of opened.splice(0)) cache.close();
  rmSync(directory, { recursive: true, force: true });
});

describe.each(availableSqliteDrivers())("openTokenCache on %s", (driver) => {
  it("uses memory when caching is disabled", () => {
    const cache = openTokenCache({
      enabled: false,
      path: join(directory, "tokens.db"),
      warn: (message) => warnings.push(message),
    });
    opened.push(cache);
    expect(cache.kind).toEqual("memory");
    expect(warnings).toEqual([]);
  });

  it("creates the directory 0700 and the file 0600: they hold live tokens", () => {
    const path = join(directory, "db", "tokens.db");
    open(path, driver);
    expect(statSync(join(directory, "db")).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("uses SQLite when it opens", () => {
    const cache = open(join(directory, "tokens.db"), driver);
    cache.set("key", token);
    expect(cache.kind).toEqual("sqlite");
    expect(cache.get("key")).toEqual(token);
    expect(warnings).toEqual([]);
  });

  it("falls back to memory, saying why and how to fix it, when the path is a directory", () => {
    const path = join(directory, "is-a-directory");
    mkdirSync(path);
    const cache = open(path, driver);
    const reason = `cannot write to "${path}": is a directory, not a file`;
    expect([cache.kind, cache.error]).toEqual(["memory", reason]);
    expect(warnings).toEqual([fallbackWarning(path, reason)]);
    cache.set("key", token);
    expect(cache.get("key")).toEqual(token);
  });

  // As root, chmod stops no write: the read-only file and the unwritable directory are then
  // read-only sysfs entries (Linux), which refuse root too; elsewhere as root they are skipped.
  it.skipIf(isRoot && !existsSync(SYSFS_READ_ONLY_FILE))(
    "falls back to memory when the file is read-only",
    () => {
      let path = SYSFS_READ_ONLY_FILE;
      if (!isRoot) {
        path = join(directory, "tokens.db");
        writeFileSync(path, "");
        chmodSync(path, 0o400);
      }
      const cache = open(path, driver);
      expect(cache.kind).toEqual("memory");
      expect(cache.error).toMatch(
        /^(EACCES: permission denied, open '.*'|cannot write to ".*": permission denied)$/,
      );
      expect(warnings).toEqual([fallbackWarning(path, cache.error ?? "")]);
    },
  );

  it.skipIf(isRoot && !existsSync(SYSFS_READ_ONLY_DIRECTORY))(
    "falls back to memory when the directory cannot be written",
    () => {
      let parent = SYSFS_READ_ONLY_DIRECTORY;
      if (!isRoot) {
        parent = join(directory, "read-only");
        mkdirSync(parent, { mode: 0o500 });
      }
      const path = join(parent, "cogpt-tokens.db");
      const cache = open(path, driver);
      expect(cache.kind).toEqual("memory");
      expect(cache.error).toMatch(
        /^(EACCES: permission denied, open '.*'|cannot write to ".*": permission denied)$/,
      );
      expect(warnings).toEqual([fallbackWarning(path, cache.error ?? "")]);
      expect(existsSync(path)).toBe(false);
    },
  );

  it("falls back to memory when the file is not a database", () => {
    const path = join(directory, "tokens.db");
    writeFileSync(path, Buffer.from("this is not sqlite at all, just garbage bytes ".repeat(40)));
    const cache = open(path, driver);
    expect(cache.kind).toEqual("memory");
    expect(warnings).toEqual([fallbackWarning(path, "SQLITE_NOTADB: file is not a database")]);
  });

  it("falls back to memory when the parent path is a regular file", () => {
    const parent = join(directory, "plain-file");
    writeFileSync(parent, "x");
    const path = join(parent, "tokens.db");
    const cache = open(path, driver);
    expect(cache.kind).toEqual("memory");
    expect(warnings).toEqual([
      fallbackWarning(path, `cannot write to "${parent}": is a file, not a directory`),
    ]);
  });

  it("switches to memory, warning once, when SQLite fails at run time", () => {
    const path = join(directory, "tokens.db");
    let sqlite: TokenCache | undefined;
    const cache = open(path, driver, (sqlitePath) => {
      sqlite = createSqliteTokenCache(sqlitePath, { driver });
      return sqlite;
    });
    cache.set("key", token);
    expect(cache.kind).toEqual("sqlite");

    // Break the database behind the wrapper's back, as a vanished disk would.
    sqlite!.close();
    expect(cache.get("key")).toEqual(undefined);
    expect(cache.kind).toEqual("memory");
    cache.set("key", token);
    expect(cache.get("key")).toEqual(token);
    cache.delete("key");
    expect(cache.get("key")).toEqual(undefined);
    expect(cache.error).toBe("The database connection is not open");
    expect(warnings).toEqual([
      `token cache: SQLite at ${path} failed (The database connection is not open); ` +
        "using the memory cache for the rest of this run",
    ]);
  });

  it("keeps a value whose write failed, in memory", () => {
    const failing: TokenCache = {
      kind: "sqlite",
      get: () => undefined,
      set: () => {
        throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
      },
      delete: () => undefined,
      close: () => undefined,
    };
    const cache = open(join(directory, "tokens.db"), driver, () => failing);
    cache.set("key", token);
    expect(cache.get("key")).toEqual(token);
    expect(warnings).toEqual([
      `token cache: SQLite at ${join(directory, "tokens.db")} failed ` +
        "(SQLITE_FULL: database or disk is full); using the memory cache for the rest of this run",
    ]);
  });
});

describe.each(availableSqliteDrivers())(
  "openTokenCache on %s, another process holding the lock",
  (driver) => {
    it("falls back to memory at open, and at run time, with one warning each", () => {
      const path = join(mkdtempSync(join(tmpdir(), "cogpt-lock-")), "cache.sqlite3");

      // Run time: the cache opened fine, then another process locks the file.
      const warnings: string[] = [];
      const cache = openTokenCache({
        enabled: true,
        path,
        warn: (message) => warnings.push(message),
        createSqliteCache: (file) => createSqliteTokenCache(file, { busyTimeoutMs: 100, driver }),
      });
      expect(cache.kind).toBe("sqlite");
      const other = openDatabase(path, { driver });
      other.exec("BEGIN EXCLUSIVE");
      cache.set("k", token);
      expect(cache.kind).toBe("memory");
      expect(cache.get("k")).toEqual(token);
      expect(warnings).toEqual([
        `token cache: SQLite at ${path} failed (SQLITE_BUSY: database is locked); using the memory cache for the rest of this run`,
      ]);

      // Open: the file is locked while a second gateway starts.
      const second: string[] = [];
      const locked = openTokenCache({
        enabled: true,
        path,
        warn: (message) => second.push(message),
        createSqliteCache: (file) => createSqliteTokenCache(file, { busyTimeoutMs: 100, driver }),
      });
      expect(locked.kind).toBe("memory");
      expect(second).toEqual([fallbackWarning(path, "SQLITE_BUSY: database is locked")]);
      other.exec("ROLLBACK");
      other.close();
      cache.close();
    });
  },
);

describe("openTokenCache where no SQLite driver loads", () => {
  it("runs with the memory cache, passing on the message that names the fix", () => {
    const reason =
      "SQLite is unavailable: Node v20.20.2 has no node:sqlite and better-sqlite3 could not be " +
      "loaded (Cannot find module 'better-sqlite3'). Fix: use Node 22.13 or later";
    const cache = openTokenCache({
      enabled: true,
      path: join(directory, "tokens.db"),
      warn: (message) => warnings.push(message),
      createSqliteCache: () => {
        throw new SqliteUnavailableError(reason);
      },
    });
    opened.push(cache);
    expect([cache.kind, cache.error]).toEqual(["memory", reason]);
    expect(warnings).toEqual([
      `token cache: ${reason}; running with the memory cache, so every restart exchanges ` +
        "each GitHub token again",
    ]);
    cache.set("key", token);
    expect(cache.get("key")).toEqual(token);
  });
});
