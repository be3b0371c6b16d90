import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { migrateDatabase } from "./migrations.js";
import type { SqlDatabase } from "./sql-database.js";
import { loadSqliteDriver, type SqliteDriverName } from "./sqlite-driver.js";

export type { SqlDatabase, SqlRunResult, SqlStatement, SqlValue } from "./sql-database.js";

export interface OpenDatabaseOptions {
  /** How long a write waits for another process's lock before failing. */
  readonly busyTimeoutMs?: number;
  /** Forces a driver (tests run each); by default the one `loadSqliteDriver` prefers. */
  readonly driver?: SqliteDriverName | undefined;
}

/**
 * Opens (creating if needed, owner-only: the file holds live credentials) the gateway's database
 * and brings its schema to the current version. Throws if the file cannot be a database, and
 * SqliteUnavailableError if no SQLite driver loads in this Node.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): SqlDatabase {
  const driver = loadSqliteDriver(options.driver);
  if (path !== ":memory:") prepareDatabaseFile(path);
  const db = driver.open(path);
  try {
    // First, so that switching to WAL waits for a lock held by another process.
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5_000))}`);
    // WAL lets several connections and processes share the file: readers never block the writer.
    if (path !== ":memory:") db.exec("PRAGMA journal_mode = WAL");
    // In WAL mode NORMAL still never corrupts the file; a power cut may lose the last commits
    // (a second of ledger at most), and a commit no longer waits for an fsync.
    db.exec("PRAGMA synchronous = NORMAL");
    migrateDatabase(db);
  } catch (error) {
    db.close();
    throw error;
  }
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
