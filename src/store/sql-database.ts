/** A value SQLite stores and returns. */
export type SqlValue = string | number | bigint | null;

/** What `run` tells of a write. */
export interface SqlRunResult {
  readonly changes: number;
}

/** A prepared statement with positional parameters; rows are plain objects. */
export interface SqlStatement<Row> {
  run(...params: readonly SqlValue[]): SqlRunResult;
  get(...params: readonly SqlValue[]): Row | undefined;
  all(...params: readonly SqlValue[]): Row[];
}

/**
 * The few things CoGPT asks of SQLite, so that the driver (better-sqlite3, or Node's own
 * `node:sqlite` where the runtime has it) is chosen in one place. Both are synchronous, and both
 * report SQLite's errors alike: `code` is SQLite's name for it (`SQLITE_BUSY`), and a closed
 * connection throws "The database connection is not open".
 */
export interface SqlDatabase {
  /** ":memory:" for a database that lives as long as the process. */
  readonly path: string;
  exec(sql: string): void;
  prepare<Row = unknown>(sql: string): SqlStatement<Row>;
  /** Runs `work` in one transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK if it throws). */
  transaction<T>(work: () => T): T;
  /** Closes the connection; closing twice is harmless. */
  close(): void;
}

/** The error every use of a closed connection throws, whichever the driver. */
export function closedDatabaseError(): TypeError {
  return new TypeError("The database connection is not open");
}

/**
 * BEGIN IMMEDIATE … COMMIT around `work`, rolled back if anything in it (or the COMMIT) throws.
 * Some errors (SQLITE_FULL, SQLITE_IOERR) end the transaction inside SQLite already: the
 * ROLLBACK then fails too, and the caller is told the first error, not that one.
 */
export function runTransaction<T>(exec: (sql: string) => void, work: () => T): T {
  exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    exec("COMMIT");
    return result;
  } catch (error) {
    try {
      exec("ROLLBACK");
    } catch {
      // No transaction left to roll back: the error above is the one that matters.
    }
    throw error;
  }
}
