import Database from "better-sqlite3";
import {
  createMemoryThinkingSignatureStore,
  DEFAULT_MAX_SIGNATURES,
  type SignatureOrigin,
  type ThinkingSignatureStore,
} from "./thinking-signature-store.js";

interface OriginRow {
  readonly model: string;
  readonly account: string;
}

/** Trimming runs once per this many inserts: a DELETE per answer would be wasted work. */
const TRIM_EVERY = 256;

/**
 * The signature store in the token cache's SQLite file (its own connection: WAL lets the two
 * share it), so that a restart still knows which model made which signature. The table is
 * created if missing, so an older cache file gains it on first open. Throws if the file cannot
 * be opened as a database; `openThinkingSignatureStore` turns that into a fallback.
 */
export function createSqliteThinkingSignatureStore(
  path: string,
  maxEntries = DEFAULT_MAX_SIGNATURES,
  busyTimeoutMs = 5_000,
): ThinkingSignatureStore {
  const db = new Database(path);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    db.pragma("journal_mode = WAL");
    db.exec(
      "CREATE TABLE IF NOT EXISTS thinking_signatures (" +
        "hash TEXT PRIMARY KEY, model TEXT NOT NULL, account TEXT NOT NULL)",
    );
  } catch (error) {
    db.close();
    throw error;
  }
  const selectStatement = db.prepare<[string], OriginRow>(
    "SELECT model, account FROM thinking_signatures WHERE hash = ?",
  );
  // REPLACE gives the row a new rowid, so rowid order is the order of last sight.
  const upsertStatement = db.prepare<[string, string, string]>(
    "INSERT OR REPLACE INTO thinking_signatures (hash, model, account) VALUES (?, ?, ?)",
  );
  const trimStatement = db.prepare<[number]>(
    "DELETE FROM thinking_signatures WHERE rowid <= " +
      "(SELECT MAX(rowid) FROM thinking_signatures) - ?",
  );
  let insertsSinceTrim = 0;
  trimStatement.run(maxEntries);

  return {
    kind: "sqlite",
    get(signatureHash) {
      const row = selectStatement.get(signatureHash);
      return row === undefined ? undefined : { model: row.model, account: row.account };
    },
    set(signatureHash, { model, account }: SignatureOrigin) {
      upsertStatement.run(signatureHash, model, account);
      if (++insertsSinceTrim >= TRIM_EVERY) {
        insertsSinceTrim = 0;
        trimStatement.run(maxEntries);
      }
    },
    close() {
      if (db.open) db.close();
    },
  };
}

export interface OpenThinkingSignatureStoreOptions {
  /** false (CACHE=false): memory only. */
  readonly enabled: boolean;
  readonly path: string;
  readonly warn: (message: string) => void;
  readonly maxEntries?: number;
}

/**
 * The signature store the gateway runs with. Like the token cache it is an optimisation: a
 * SQLite problem costs one warning and the memory store, never a failed request.
 */
export function openThinkingSignatureStore(
  options: OpenThinkingSignatureStoreOptions,
): ThinkingSignatureStore {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_SIGNATURES;
  const memory = createMemoryThinkingSignatureStore(maxEntries);
  if (!options.enabled) return memory;
  let sqlite: ThinkingSignatureStore;
  try {
    sqlite = createSqliteThinkingSignatureStore(options.path, maxEntries);
  } catch (error) {
    options.warn(
      `thinking signatures: cannot use SQLite at ${options.path} (${describe(error)}); ` +
        "remembering them in memory for this run",
    );
    return memory;
  }
  let active = sqlite;
  const guard = <T>(run: () => T, fallback: () => T): T => {
    if (active === sqlite) {
      try {
        return run();
      } catch (error) {
        options.warn(
          `thinking signatures: SQLite at ${options.path} failed (${describe(error)}); ` +
            "using memory for the rest of this run",
        );
        active = memory;
        try {
          sqlite.close();
        } catch {
          // Already broken; the warning said so.
        }
      }
    }
    return fallback();
  };
  return {
    get kind() {
      return active.kind;
    },
    get: (signatureHash) =>
      guard(
        () => sqlite.get(signatureHash),
        () => memory.get(signatureHash),
      ),
    set: (signatureHash, origin) =>
      guard(
        () => sqlite.set(signatureHash, origin),
        () => memory.set(signatureHash, origin),
      ),
    close() {
      memory.close();
      try {
        sqlite.close();
      } catch {
        // Best effort at shutdown.
      }
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
