import type { SqlDatabase } from "./database.js";

/**
 * The schema, one step per version, in order; `PRAGMA user_version` says how many have run.
 * A step is never edited once released: a change is a new step, so a database from any earlier
 * version upgrades in place. Version 1 is what the token cache and the signature registry
 * created before the schema had versions (hence IF NOT EXISTS: such a file reads as version 0).
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the Copilot token cache and the thinking-signature registry.
  `CREATE TABLE IF NOT EXISTS copilot_tokens (
     key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL);
   CREATE TABLE IF NOT EXISTS thinking_signatures (
     hash TEXT PRIMARY KEY, model TEXT NOT NULL, account TEXT NOT NULL);`,
  // 2: managed keys, the credit ledger with its daily totals, each account's Copilot limits,
  // and the token prices Copilot last reported per model (for estimates). A key's name is unique
  // among the keys not revoked, so a leaked key can be revoked and replaced under the same name
  // (the ledger and the budgets go by name).
  `CREATE TABLE api_keys (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     secret_hash TEXT NOT NULL UNIQUE,
     account TEXT,
     created_at INTEGER NOT NULL,
     expires_at INTEGER,
     revoked_at INTEGER,
     nano_credits_per_day INTEGER,
     nano_credits_per_month INTEGER,
     requests_per_minute INTEGER,
     concurrency INTEGER,
     models TEXT,
     fallback_model TEXT);
   CREATE UNIQUE INDEX api_keys_live_name ON api_keys (name) WHERE revoked_at IS NULL;
   CREATE INDEX api_keys_by_name ON api_keys (name, created_at);
   CREATE TABLE ledger (
     id INTEGER PRIMARY KEY,
     time INTEGER NOT NULL,
     request_id TEXT NOT NULL,
     key_name TEXT NOT NULL,
     account TEXT NOT NULL,
     dialect TEXT NOT NULL,
     endpoint TEXT,
     model_asked TEXT,
     model_used TEXT,
     initiator TEXT,
     status INTEGER NOT NULL,
     latency_ms INTEGER NOT NULL,
     first_byte_ms INTEGER,
     stream INTEGER NOT NULL,
     complete INTEGER NOT NULL,
     input_tokens INTEGER NOT NULL,
     cache_read_tokens INTEGER NOT NULL,
     cache_write_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     reasoning_tokens INTEGER NOT NULL,
     nano_credits INTEGER NOT NULL,
     credits_source TEXT NOT NULL,
     premium_requests REAL NOT NULL,
     fallback_from TEXT,
     support_id TEXT);
   CREATE INDEX ledger_by_time ON ledger (time);
   CREATE INDEX ledger_by_key_time ON ledger (key_name, time);
   CREATE TABLE ledger_daily (
     day TEXT NOT NULL,
     key_name TEXT NOT NULL,
     model TEXT NOT NULL,
     requests INTEGER NOT NULL,
     errors INTEGER NOT NULL,
     input_tokens INTEGER NOT NULL,
     cache_read_tokens INTEGER NOT NULL,
     cache_write_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     reasoning_tokens INTEGER NOT NULL,
     nano_credits INTEGER NOT NULL,
     premium_requests REAL NOT NULL,
     PRIMARY KEY (day, key_name, model));
   CREATE TABLE account_state (
     account TEXT PRIMARY KEY,
     updated_at INTEGER NOT NULL,
     state TEXT NOT NULL);
   CREATE TABLE model_prices (
     model TEXT PRIMARY KEY,
     prices TEXT NOT NULL,
     seen_at INTEGER NOT NULL);`,
  // 3: no query reads the ledger's rows by key (a key's spend comes from the daily totals), and
  // the index cost every insert about half a microsecond of a request's gateway CPU.
  `DROP INDEX IF EXISTS ledger_by_key_time;`,
];

/** The version a database has once every step has run. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Runs the steps the database lacks, each in its own transaction with its version bump, so a
 * crash leaves a whole version. Another process migrating at the same moment waits on the lock
 * (BEGIN IMMEDIATE) and then finds nothing left to do. A database newer than this code is refused
 * rather than misread.
 */
export function migrateDatabase(db: SqlDatabase): void {
  const current = readVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `the database has schema version ${current}, newer than this CoGPT knows (${SCHEMA_VERSION}): ` +
        "run the newer CoGPT, or point CACHE_PATH at another file",
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version += 1) {
    db.transaction(() => {
      // Read again under the lock: another process may have run this step meanwhile.
      if (readVersion(db) !== version) return;
      db.exec(MIGRATIONS[version] ?? "");
      db.exec(`PRAGMA user_version = ${version + 1}`);
    });
  }
}

function readVersion(db: SqlDatabase): number {
  const row = db.prepare<{ user_version: number }>("PRAGMA user_version").get();
  return row?.user_version ?? 0;
}
