import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";
import { openBetterSqlite3 } from "./better-sqlite3-driver.js";
import { openNodeSqlite, type NodeSqliteModule } from "./node-sqlite-driver.js";
import type { SqlDatabase } from "./sql-database.js";

/** The SQLite drivers CoGPT can run on, preferred first. */
export const SQLITE_DRIVER_NAMES = ["node:sqlite", "better-sqlite3"] as const;
export type SqliteDriverName = (typeof SQLITE_DRIVER_NAMES)[number];

export interface SqliteDriver {
  readonly name: SqliteDriverName;
  /** "better-sqlite3 12.9.0", "node:sqlite (SQLite 3.50.4)". */
  readonly description: string;
  /** Opens (or creates) the file; no pragma, no migration. */
  open(path: string): SqlDatabase;
}

/** Neither driver loads: SQLite cannot be used in this process. The message says how to fix it. */
export class SqliteUnavailableError extends Error {
  override readonly name = "SqliteUnavailableError";
}

/**
 * The driver to use: Node's own `node:sqlite` where the running Node has it without a flag
 * (22.13 and later), else better-sqlite3 (an optional dependency: a native module, which on
 * Node 20 needs a prebuilt binary or a compiler). `name` forces one (tests run each). Both are
 * loaded only when asked for, so a missing better-sqlite3 costs nothing where node:sqlite is
 * there. Throws SqliteUnavailableError, whose one-line message names the fix.
 */
export function loadSqliteDriver(name?: SqliteDriverName): SqliteDriver {
  if (name === "node:sqlite") return loadNodeSqliteDriver() ?? unavailable(name);
  if (name === "better-sqlite3") {
    const loaded = loadBetterSqlite3Driver();
    if ("driver" in loaded) return loaded.driver;
    throw new SqliteUnavailableError(`better-sqlite3 could not be loaded (${loaded.reason})`);
  }
  const nodeSqlite = loadNodeSqliteDriver();
  if (nodeSqlite !== undefined) return nodeSqlite;
  const loaded = loadBetterSqlite3Driver();
  if ("driver" in loaded) return loaded.driver;
  throw new SqliteUnavailableError(
    `SQLite is unavailable: Node ${process.version} has no node:sqlite and better-sqlite3 could ` +
      `not be loaded (${loaded.reason}). Fix: use Node 22.13 or later (SQLite built in, no ` +
      "compiler needed), or install a C++ toolchain (python3, make, g++) and run " +
      "`npm rebuild better-sqlite3`",
  );
}

/** The drivers this process can load, preferred first (for tests that run on each). */
export function availableSqliteDrivers(): SqliteDriverName[] {
  return SQLITE_DRIVER_NAMES.filter((name) => {
    try {
      loadSqliteDriver(name);
      return true;
    } catch {
      return false;
    }
  });
}

/** What `cogpt --version` says of storage: the driver, or why there is none. */
export function describeSqliteDriver(): string {
  try {
    return loadSqliteDriver().description;
  } catch {
    return "none (memory only; see `cogpt doctor`)";
  }
}

function unavailable(name: SqliteDriverName): never {
  throw new SqliteUnavailableError(`${name} is not available in Node ${process.version}`);
}

function loadNodeSqliteDriver(): SqliteDriver | undefined {
  const sqlite = importWithoutSqliteWarning() as NodeSqliteModule | undefined;
  if (sqlite === undefined) return undefined;
  return {
    name: "node:sqlite",
    description: `node:sqlite (SQLite ${process.versions["sqlite"] ?? "unknown"})`,
    open: (path) => openNodeSqlite(sqlite, path),
  };
}

/**
 * `node:sqlite`, or undefined where Node lacks it (20) or keeps it behind a flag (22.5 to 22.12).
 * Some versions print "ExperimentalWarning: SQLite is an experimental feature" when it is first
 * loaded; that one warning is dropped, during this load only, as the gateway's users cannot act
 * on it. Every other warning passes.
 */
function importWithoutSqliteWarning(): object | undefined {
  // Put back exactly as found (unbound), so nothing else sees a difference afterwards.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = process.emitWarning;
  const forward = original.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = (warning: string | Error, ...rest: unknown[]): void => {
    const message = typeof warning === "string" ? warning : warning.message;
    const type =
      typeof rest[0] === "string"
        ? rest[0]
        : ((rest[0] as { type?: unknown } | undefined)?.type ??
          (typeof warning === "string" ? undefined : warning.name));
    if (type === "ExperimentalWarning" && message.includes("SQLite")) return;
    forward(warning, ...rest);
  };
  try {
    return process.getBuiltinModule("node:sqlite");
  } catch {
    return undefined;
  } finally {
    process.emitWarning = original;
  }
}

type LoadedBetterSqlite3 = { readonly driver: SqliteDriver } | { readonly reason: string };

function loadBetterSqlite3Driver(): LoadedBetterSqlite3 {
  const require = createRequire(import.meta.url);
  let Database: typeof BetterSqlite3;
  let version: string;
  try {
    Database = require("better-sqlite3") as typeof BetterSqlite3;
    version = (require("better-sqlite3/package.json") as { version: string }).version;
    // The native part loads on first use: a module installed without its binary fails here.
    new Database(":memory:").close();
  } catch (error) {
    return { reason: firstLine(error) };
  }
  return {
    driver: {
      name: "better-sqlite3",
      description: `better-sqlite3 ${version}`,
      open: (path) => openBetterSqlite3(Database, path),
    },
  };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n", 1)[0] ?? message;
}
