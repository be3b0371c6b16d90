import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { migrateDatabase } from "./migrations.js";

/** A value SQLite stores and returns. */
export type SqlValue = string | number | bigint | null;

/** What `run` tells of a write. */
export interface SqlRunResult {
  readonly changes: number;
}

/** A prepared statement with positional parameters. */
export interface SqlStatement<Row> {
  run(...params: readonly SqlValue[]): SqlRunResult;
  get(...params: readonly SqlValue[]): Row | undefined;
  all(...params: readonly SqlValue[]): Row[];
}

/**
 * The few things CoGPT asks of SQLite, so that the driver (better-sqlite3, or Node's own
 * `node:sqlite` where the runtime has it) is chosen in one place. Both are synchronous.
 */
export interface SqlDatabase {
  /** ":memory:" for a database that lives as long as the process. */
  readonly path: string;
  exec(sql: string): void;
  prepare<Row = unknown>(sql: string): SqlStatement<Row>;
  /** Runs `work` in one transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK if it throws). */
  transaction<T>(work: () => T): T;
  close(): void;
}

export interface OpenDatabaseOptions {
  /** How long a write waits for another process's lock before failing. */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed, owner-only: the file holds live credentials) the gateway's database
 * and brings its schema to the current version. Throws if the file cannot be a database.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): SqlDatabase {
  if (path !== ":memory:") prepareDatabaseFile(path);
  const db = wrapBetterSqlite3(new BetterSqlite3(path), path);
  try {
    // First, so that switching to WAL waits for a lock held by another process.
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5_000))}`);
    // WAL lets several connections and processes share the file: readers never block the writer.
    if (path !== ":memory:") db.exec("PRAGMA journal_mode = WAL");
    migrateDatabase(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function wrapBetterSqlite3(native: BetterSqlite3.Database, path: string): SqlDatabase {
  const db: SqlDatabase = {
    path,
    exec(sql) {
      native.exec(sql);
    },
    prepare<Row>(sql: string): SqlStatement<Row> {
      const statement = native.prepare<SqlValue[], Row>(sql);
      return {
        run: (...params) => ({ changes: statement.run(...params).changes }),
        get: (...params) => statement.get(...params),
        all: (...params) => statement.all(...params),
      };
    },
    transaction(work) {
      native.exec("BEGIN IMMEDIATE");
      try {
        const result = work();
        native.exec("COMMIT");
        return result;
      } catch (error) {
        if (native.inTransaction) native.exec("ROLLBACK");
        throw error;
      }
    },
    close() {
      if (native.open) native.close();
    },
  };
  return db;
}

/** Creates the directory and the file with owner-only modes. */
function prepareDatabaseFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // "a" creates the file with mode 0600 if missing and never truncates an existing one.
  closeSync(openSync(path, "a", 0o600));
  // An existing file keeps its old mode on open, so narrow it explicitly.
  chmodSync(path, 0o600);
}
