import {
  closedDatabaseError,
  runTransaction,
  type SqlDatabase,
  type SqlStatement,
  type SqlValue,
} from "./sql-database.js";

/** The part of `node:sqlite` used here (Node 20's types do not describe the module). */
export interface NodeSqliteModule {
  readonly DatabaseSync: new (path: string) => NodeSqliteDatabase;
}

interface NodeSqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): NodeSqliteStatement;
  close(): void;
}

interface NodeSqliteStatement {
  run(...params: SqlValue[]): { changes: number | bigint };
  get(...params: SqlValue[]): Record<string, unknown> | undefined;
  all(...params: SqlValue[]): Record<string, unknown>[];
}

/**
 * Opens `path` with Node's `node:sqlite` (the module given, loaded by the caller), behaving as
 * the better-sqlite3 driver does where the two differ: rows are plain objects (node:sqlite's have
 * a null prototype), errors carry SQLite's code names (node:sqlite says ERR_SQLITE_ERROR and a
 * number), and a closed connection throws the same error.
 */
export function openNodeSqlite(sqlite: NodeSqliteModule, path: string): SqlDatabase {
  const native = translateErrors(() => new sqlite.DatabaseSync(path));
  let open = true;
  const use = <T>(work: () => T): T => {
    if (!open) throw closedDatabaseError();
    return translateErrors(work);
  };
  const exec = (sql: string) => use(() => native.exec(sql));
  return {
    path,
    exec,
    prepare<Row>(sql: string): SqlStatement<Row> {
      const statement = use(() => native.prepare(sql));
      return {
        run: (...params) => use(() => ({ changes: Number(statement.run(...params).changes) })),
        get: (...params) =>
          use(() => {
            const row = statement.get(...params);
            return row === undefined ? undefined : ({ ...row } as Row);
          }),
        all: (...params) => use(() => statement.all(...params).map((row) => ({ ...row }) as Row)),
      };
    },
    transaction(work) {
      return runTransaction(exec, work);
    },
    close() {
      if (!open) return;
      open = false;
      native.close();
    },
  };
}

function translateErrors<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw translateError(error);
  }
}

/** node:sqlite's `{ code: "ERR_SQLITE_ERROR", errcode: 5 }` → `{ code: "SQLITE_BUSY" }`. */
function translateError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { code, errcode } = error as { code?: unknown; errcode?: unknown };
  if (code !== "ERR_SQLITE_ERROR" || typeof errcode !== "number") return error;
  return Object.assign(new Error(error.message, { cause: error }), {
    code: sqliteCodeName(errcode),
  });
}

// https://www.sqlite.org/rescode.html — the primary codes, and the extended ones met in practice.
const PRIMARY_CODES = [
  "OK",
  "ERROR",
  "INTERNAL",
  "PERM",
  "ABORT",
  "BUSY",
  "LOCKED",
  "NOMEM",
  "READONLY",
  "INTERRUPT",
  "IOERR",
  "CORRUPT",
  "NOTFOUND",
  "FULL",
  "CANTOPEN",
  "PROTOCOL",
  "EMPTY",
  "SCHEMA",
  "TOOBIG",
  "CONSTRAINT",
  "MISMATCH",
  "MISUSE",
  "NOLFS",
  "AUTH",
  "FORMAT",
  "RANGE",
  "NOTADB",
  "NOTICE",
  "WARNING",
];
const EXTENDED_CODES: Readonly<Record<number, string>> = {
  275: "CONSTRAINT_CHECK",
  517: "BUSY_SNAPSHOT",
  787: "CONSTRAINT_FOREIGNKEY",
  1032: "READONLY_DBMOVED",
  1299: "CONSTRAINT_NOTNULL",
  1555: "CONSTRAINT_PRIMARYKEY",
  2067: "CONSTRAINT_UNIQUE",
};

/** SQLite's name for a result code, as better-sqlite3 gives it. */
export function sqliteCodeName(errcode: number): string {
  const name = EXTENDED_CODES[errcode] ?? PRIMARY_CODES[errcode & 0xff] ?? "ERROR";
  return `SQLITE_${name}`;
}
