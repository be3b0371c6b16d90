import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { z } from "zod";
import type { CachedCopilotToken, TokenCache } from "./token-cache.js";

const cachedTokenSchema = z.looseObject({
  token: z.string().min(1),
  expiresAt: z.number(),
  refreshIn: z.number(),
  obtainedAt: z.number(),
  apiUrl: z.string().optional(),
  sku: z.string().optional(),
});

interface TokenRow {
  readonly value: string;
}

/**
 * A token cache in a SQLite file, so a restart does not exchange every GitHub token again.
 * Throws if the file cannot be opened as a database; `openTokenCache` turns that into a fallback.
 */
export function createSqliteTokenCache(path: string, busyTimeoutMs = 5_000): TokenCache {
  prepareDatabaseFile(path);
  const db = new Database(path);
  try {
    // First, so that switching to WAL waits for a lock held by another process.
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    // WAL lets several gateway processes share the file: readers do not block the writer.
    db.pragma("journal_mode = WAL");
    db.exec(
      "CREATE TABLE IF NOT EXISTS copilot_tokens (" +
        "key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL)",
    );
    db.prepare("DELETE FROM copilot_tokens WHERE expires_at < ?").run(nowInSeconds());
  } catch (error) {
    db.close();
    throw error;
  }

  const selectStatement = db.prepare<[string], TokenRow>(
    "SELECT value FROM copilot_tokens WHERE key = ?",
  );
  const upsertStatement = db.prepare<[string, string, number]>(
    "INSERT INTO copilot_tokens (key, value, expires_at) VALUES (?, ?, ?) " +
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
  );
  const deleteStatement = db.prepare<[string]>("DELETE FROM copilot_tokens WHERE key = ?");

  return {
    kind: "sqlite",
    get(key) {
      const row = selectStatement.get(key);
      if (row === undefined) return undefined;
      const token = parseCachedToken(row.value);
      // A row we cannot read would be read (and fail) on every request: drop it.
      if (token === undefined) deleteStatement.run(key);
      return token;
    },
    set(key, value) {
      upsertStatement.run(key, JSON.stringify(value), Math.floor(value.expiresAt));
    },
    delete(key) {
      deleteStatement.run(key);
    },
    close() {
      if (db.open) db.close();
    },
  };
}

/** Creates the directory and the file with owner-only modes: the file holds live credentials. */
function prepareDatabaseFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // "a" creates the file with mode 0600 if missing and never truncates an existing one.
  closeSync(openSync(path, "a", 0o600));
  // An existing file keeps its old mode on open, so narrow it explicitly.
  chmodSync(path, 0o600);
}

function parseCachedToken(json: string): CachedCopilotToken | undefined {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = cachedTokenSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const { token, expiresAt, refreshIn, obtainedAt, apiUrl, sku } = parsed.data;
  return { token, expiresAt, refreshIn, obtainedAt, apiUrl, sku };
}

function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
