import type BetterSqlite3 from "better-sqlite3";
import {
  runTransaction,
  type SqlDatabase,
  type SqlStatement,
  type SqlValue,
} from "./sql-database.js";

type BetterSqlite3Constructor = typeof BetterSqlite3;

/** Opens `path` with better-sqlite3 (the module given, loaded by the caller). */
export function openBetterSqlite3(Database: BetterSqlite3Constructor, path: string): SqlDatabase {
  const native = new Database(path);
  return {
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
      return runTransaction((sql) => native.exec(sql), work);
    },
    close() {
      if (native.open) native.close();
    },
  };
}
