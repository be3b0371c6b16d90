import { createMemoryTokenCache } from "./memory-token-cache.js";
import { createSqliteTokenCache } from "./sqlite-token-cache.js";
import type { TokenCache } from "./token-cache.js";

export interface OpenTokenCacheOptions {
  /** false: memory only. */
  readonly enabled: boolean;
  readonly path: string;
  /** Told once, in one line, when the SQLite cache cannot be used. */
  readonly warn: (message: string) => void;
  /** Opens the SQLite cache; tests replace it to inject failures. */
  readonly createSqliteCache?: ((path: string) => TokenCache) | undefined;
}

/**
 * The token cache the gateway runs with. A cache is an optimisation, so a SQLite problem (at
 * open or later) costs one warning and a switch to memory, never a failed request.
 */
export function openTokenCache(options: OpenTokenCacheOptions): TokenCache {
  if (!options.enabled) return createMemoryTokenCache();
  const createSqliteCache = options.createSqliteCache ?? createSqliteTokenCache;
  let sqlite: TokenCache;
  try {
    sqlite = createSqliteCache(options.path);
  } catch (error) {
    options.warn(
      `token cache: cannot use SQLite at ${options.path} (${describeError(error)}); ` +
        "using the memory cache",
    );
    return createMemoryTokenCache();
  }
  return createFallingBackTokenCache(sqlite, options.path, options.warn);
}

function createFallingBackTokenCache(
  sqlite: TokenCache,
  path: string,
  warn: (message: string) => void,
): TokenCache {
  let active = sqlite;
  const memory = createMemoryTokenCache();

  function fallBack(error: unknown): void {
    warn(
      `token cache: SQLite at ${path} failed (${describeError(error)}); ` +
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
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message;
  }
  return String(error);
}
