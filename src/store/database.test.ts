import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type SqlDatabase } from "./database.js";
import { SCHEMA_VERSION } from "./migrations.js";
import {
  availableSqliteDrivers,
  loadSqliteDriver,
  SqliteUnavailableError,
  type SqliteDriverName,
} from "./sqlite-driver.js";

const opened: SqlDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function errorOf(work: () => unknown): { name: string; code: unknown; message: string } {
  try {
    work();
  } catch (error) {
    const { name, message } = error as Error;
    return { name, code: (error as { code?: unknown }).code, message };
  }
  throw new Error("expected an error");
}

describe.each(availableSqliteDrivers())("openDatabase on %s", (driver: SqliteDriverName) => {
  function open(path = ":memory:", busyTimeoutMs?: number): SqlDatabase {
    const db = openDatabase(path, {
      driver,
      ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }),
    });
    opened.push(db);
    return db;
  }

  it("brings a new database to the current schema version", () => {
    expect(open().prepare("PRAGMA user_version").get()).toEqual({ user_version: SCHEMA_VERSION });
  });

  it("upgrades a version 2 database: its ledger keeps only the index by time", () => {
    const path = join(mkdtempSync(join(tmpdir(), "cogpt-db-")), "v2.sqlite");
    const old = open(path);
    old.exec("CREATE INDEX ledger_by_key_time ON ledger (key_name, time); PRAGMA user_version = 2");
    old.close();
    const upgraded = open(path);
    expect(upgraded.prepare("PRAGMA user_version").get()).toEqual({ user_version: 3 });
    expect(
      upgraded
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ledger'")
        .all(),
    ).toEqual([{ name: "ledger_by_time" }]);
  });

  it("returns rows as plain objects, integers as numbers, and counts changes", () => {
    const db = open();
    db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER, r REAL, b INTEGER)");
    const insert = db.prepare("INSERT INTO t VALUES (?, ?, ?, ?)");
    expect(insert.run("a", 1, 0.5, 2n ** 40n)).toEqual({ changes: 1 });
    expect(insert.run("b", null, null, null)).toEqual({ changes: 1 });
    const row = db.prepare<Record<string, unknown>>("SELECT * FROM t WHERE k = ?").get("a");
    expect(row).toEqual({ k: "a", n: 1, r: 0.5, b: 2 ** 40 });
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(db.prepare("SELECT k, n FROM t ORDER BY k").all()).toEqual([
      { k: "a", n: 1 },
      { k: "b", n: null },
    ]);
    expect(db.prepare("SELECT k FROM t WHERE k = ?").get("missing")).toBe(undefined);
    expect(db.prepare("UPDATE t SET n = 7").run()).toEqual({ changes: 2 });
  });

  it("names SQLite's error codes as better-sqlite3 does", () => {
    const db = open();
    db.exec("CREATE TABLE t (k TEXT PRIMARY KEY)");
    db.prepare("INSERT INTO t VALUES (?)").run("a");
    expect(errorOf(() => db.prepare("INSERT INTO t VALUES (?)").run("a"))).toMatchObject({
      code: "SQLITE_CONSTRAINT_PRIMARYKEY",
      message: "UNIQUE constraint failed: t.k",
    });
    expect(errorOf(() => db.prepare("SELECT * FROM missing"))).toMatchObject({
      code: "SQLITE_ERROR",
      message: "no such table: missing",
    });
  });

  it("commits a transaction, and rolls it back when the work throws", () => {
    const db = open();
    db.exec("CREATE TABLE t (k TEXT)");
    const insert = db.prepare("INSERT INTO t VALUES (?)");
    expect(db.transaction(() => insert.run("kept").changes)).toBe(1);
    expect(
      errorOf(() =>
        db.transaction(() => {
          insert.run("dropped");
          throw new Error("work failed");
        }),
      ).message,
    ).toBe("work failed");
    expect(db.prepare("SELECT k FROM t").all()).toEqual([{ k: "kept" }]);
    // The connection is usable again: no transaction was left open.
    expect(db.transaction(() => insert.run("after").changes)).toBe(1);
  });

  it("throws one error for a closed connection, and closes twice harmlessly", () => {
    const db = open();
    const statement = db.prepare("SELECT 1 AS one");
    db.close();
    db.close();
    expect(errorOf(() => statement.get())).toEqual({
      name: "TypeError",
      code: undefined,
      message: "The database connection is not open",
    });
    expect(errorOf(() => db.exec("SELECT 1")).message).toBe("The database connection is not open");
  });

  it("says SQLITE_BUSY when another connection holds the write lock past the timeout", () => {
    const path = join(mkdtempSync(join(tmpdir(), "cogpt-db-")), "busy.sqlite3");
    const holder = open(path);
    const waiter = open(path, 50);
    holder.exec("BEGIN EXCLUSIVE");
    expect(errorOf(() => waiter.transaction(() => 0))).toMatchObject({
      code: "SQLITE_BUSY",
      message: "database is locked",
    });
    holder.exec("ROLLBACK");
    expect(waiter.transaction(() => 1)).toBe(1);
  });

  it("refuses a file that is not a database, with SQLITE_NOTADB", () => {
    const path = join(mkdtempSync(join(tmpdir(), "cogpt-db-")), "garbage.sqlite3");
    writeFileSync(path, "not a database, only text long enough to be read as a header ".repeat(9));
    expect(errorOf(() => open(path))).toMatchObject({
      code: "SQLITE_NOTADB",
      message: "file is not a database",
    });
  });

  it("shares a file between connections (WAL)", () => {
    const path = join(mkdtempSync(join(tmpdir(), "cogpt-db-")), "shared.sqlite3");
    const one = open(path);
    const two = open(path);
    expect(one.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    one.prepare("INSERT INTO account_state VALUES (?, ?, ?)").run("acct", 1, "{}");
    expect(two.prepare("SELECT account FROM account_state").all()).toEqual([{ account: "acct" }]);
  });
});

describe("loadSqliteDriver", () => {
  it("prefers node:sqlite, where this Node has it, to better-sqlite3", () => {
    const available = availableSqliteDrivers();
    expect(available.length).toBeGreaterThan(0);
    expect(loadSqliteDriver().name).toBe(available[0]);
    expect(available[0]).toBe(
      process.getBuiltinModule("node:sqlite") === undefined ? "better-sqlite3" : "node:sqlite",
    );
  });

  it("describes each driver with its version", () => {
    for (const name of availableSqliteDrivers()) {
      expect(loadSqliteDriver(name).description).toMatch(
        name === "node:sqlite"
          ? /^node:sqlite \(SQLite \d+\.\d+\.\d+\)$/
          : /^better-sqlite3 \d+\.\d+\.\d+$/,
      );
    }
  });

  it.skipIf(process.getBuiltinModule("node:sqlite") !== undefined)(
    "refuses node:sqlite where Node lacks it, naming the Node version",
    () => {
      expect(errorOf(() => loadSqliteDriver("node:sqlite"))).toEqual({
        name: "SqliteUnavailableError",
        code: undefined,
        message: `node:sqlite is not available in Node ${process.version}`,
      });
      expect(() => loadSqliteDriver("node:sqlite")).toThrow(SqliteUnavailableError);
    },
  );
});
