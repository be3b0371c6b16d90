import { checkCachePath } from "../config/check-cache-path.js";
import { ConfigError } from "../config/config-error.js";
import { SqliteUnavailableError, type SqliteDriverName } from "../store/sqlite-driver.js";
import { createMemoryTokenCache } from "./memory-token-cache.js";
import { createSqliteTokenCache } from "./sqlite-token-cache.js";
import type { TokenCache } from "./token-cache.js";

export interface OpenTokenCacheOptions {
  /** false: memory only. */
  readonly enabled: boolean;
  readonly path: string;
  /** Told once, in one line, when the SQLite cache cannot be used. */
  readonly warn: (message: string) => void;
  /** Forces a SQLite driver (tests run each); by default the one the running Node prefers. */
  readonly driver?: SqliteDriverName | undefined;
  /** Opens the SQLite cache; tests replace it to inject failures. */
  readonly createSqliteCache?: ((path: string) => TokenCache) | undefined;
}

/**
 * The token cache the gateway runs with. A cache is an optimisation, so a SQLite problem (at
 * open or later) costs a warning and a switch to memory, never a failed request nor a refused
 * start: a service manager restarting a gateway that will not start helps nobody, while one that
 * runs without its cache says so on every start (the warning) and in /healthz (`error`).
 */
export function openTokenCache(options: OpenTokenCacheOptions): TokenCache {
  if (!options.enabled) return createMemoryTokenCache();
  const createSqliteCache =
    options.createSqliteCache ?? ((path: string) => openSqliteTokenCache(path, options.driver));
  let sqlite: TokenCache;
  try {
    sqlite = createSqliteCache(options.path);
  } catch (error) {
    const reason = describeError(error);
    if (error instanceof SqliteUnavailableError) {
      // Not the path's fault: the message names the fix (a newer Node, or a compiler).
      options.warn(
        `token cache: ${reason}; running with the memory cache, so every restart exchanges ` +
          "each GitHub token again",
      );
      return { ...createMemoryTokenCache(), error: reason };
    }
    options.warn(
      `token cache: cannot use SQLite at ${options.path} (${reason}); running with the memory ` +
        "cache, so every restart exchanges each GitHub token again. Fix: set CACHE_PATH to a " +
        "writable file in a writable directory, or CACHE=false",
    );
    return { ...createMemoryTokenCache(), error: reason };
  }
  return createFallingBackTokenCache(sqlite, options.path, options.warn);
}

/** The path checked first, for a plain reason ("is a directory, not a file"), then opened. */
function openSqliteTokenCache(path: string, driver: SqliteDriverName | undefined): TokenCache {
  checkCachePath(path);
  return createSqliteTokenCache(path, { driver });
}

function createFallingBackTokenCache(
  sqlite: TokenCache,
  path: string,
  warn: (message: string) => void,
): TokenCache {
  let active = sqlite;
  let failure: string | undefined;
  const memory = createMemoryTokenCache();

  function fallBack(error: unknown): void {
    failure = describeError(error);
    warn(
      `token cache: SQLite at ${path} failed (${failure}); ` +
        "using the memory cache for the rest of this run",
    );
    active = memory;
    try {
      sqlite.close();
    } catch {
      // Already broken; the warning above said so.
    }
  }

  return {
    get kind() {
      return active.kind;
    },
    get error() {
      return failure;
    },
    get(key) {
      if (active === sqlite) {
        try {
          return sqlite.get(key);
        } catch (error) {
          fallBack(error);
        }
      }
      return memory.get(key);
    },
    set(key, value) {
      if (active === sqlite) {
        try {
          sqlite.set(key, value);
          return;
        } catch (error) {
          fallBack(error);
        }
      }
      memory.set(key, value);
    },
    delete(key) {
      if (active === sqlite) {
        try {
          sqlite.delete(key);
          return;
        } catch (error) {
          fallBack(error);
        }
      }
      memory.delete(key);
    },
    close() {
      memory.close();
      try {
        sqlite.close();
      } catch {
        // Closing is best effort at shutdown.
      }
    },
  };
}

function describeError(error: unknown): string {
  // The path is in the warning already: `CACHE_PATH: cannot write to …` → `cannot write to …`.
  if (error instanceof ConfigError) return error.message.slice(error.option.length + 2);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message;
  }
  return String(error);
}
