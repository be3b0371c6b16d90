import { z } from "zod";
import { openDatabase, type OpenDatabaseOptions } from "../store/database.js";
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
 * A token cache in the gateway's SQLite database (its own connection), so a restart does not
 * exchange every GitHub token again. Throws if the file cannot be opened as a database, or if no
 * SQLite driver loads; `openTokenCache` turns that into a fallback.
 */
export function createSqliteTokenCache(
  path: string,
  options: OpenDatabaseOptions = {},
): TokenCache {
  const db = openDatabase(path, options);
  try {
    db.prepare("DELETE FROM copilot_tokens WHERE expires_at < ?").run(nowInSeconds());
  } catch (error) {
    db.close();
    throw error;
  }

  const selectStatement = db.prepare<TokenRow>("SELECT value FROM copilot_tokens WHERE key = ?");
  const upsertStatement = db.prepare(
    "INSERT INTO copilot_tokens (key, value, expires_at) VALUES (?, ?, ?) " +
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
  );
  const deleteStatement = db.prepare("DELETE FROM copilot_tokens WHERE key = ?");

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
      db.close();
    },
  };
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
