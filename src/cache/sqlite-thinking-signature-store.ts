import { openDatabase, type OpenDatabaseOptions } from "../store/database.js";
import { SqliteUnavailableError, type SqliteDriverName } from "../store/sqlite-driver.js";
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
 * The signature store in the gateway's SQLite database (its own connection: WAL lets it share
 * the file with the token cache), so that a restart still knows which model made which
 * signature. Throws if the file cannot be opened as a database, or if no SQLite driver loads;
 * `openThinkingSignatureStore` turns that into a fallback.
 */
export function createSqliteThinkingSignatureStore(
  path: string,
  maxEntries = DEFAULT_MAX_SIGNATURES,
  options: OpenDatabaseOptions = {},
): ThinkingSignatureStore {
  const db = openDatabase(path, options);
  const selectStatement = db.prepare<OriginRow>(
    "SELECT model, account FROM thinking_signatures WHERE hash = ?",
  );
  // REPLACE gives the row a new rowid, so rowid order is the order of last sight.
  const upsertStatement = db.prepare(
    "INSERT OR REPLACE INTO thinking_signatures (hash, model, account) VALUES (?, ?, ?)",
  );
  const trimStatement = db.prepare(
    "DELETE FROM thinking_signatures WHERE rowid <= " +
      "(SELECT MAX(rowid) FROM thinking_signatures) - ?",
  );
  let insertsSinceTrim = 0;
  try {
    trimStatement.run(maxEntries);
  } catch (error) {
    db.close();
    throw error;
  }

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
      db.close();
    },
  };
}

export interface OpenThinkingSignatureStoreOptions {
  /** false (CACHE=false): memory only. */
  readonly enabled: boolean;
  readonly path: string;
  readonly warn: (message: string) => void;
  readonly maxEntries?: number;
  /** Forces a SQLite driver (tests run each); by default the one the running Node prefers. */
  readonly driver?: SqliteDriverName | undefined;
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
    sqlite = createSqliteThinkingSignatureStore(options.path, maxEntries, {
      driver: options.driver,
    });
  } catch (error) {
    options.warn(
      error instanceof SqliteUnavailableError
        ? "thinking signatures: SQLite is unavailable (see the token cache's warning); " +
            "remembering them in memory for this run"
        : `thinking signatures: cannot use SQLite at ${options.path} (${describe(error)}); ` +
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
