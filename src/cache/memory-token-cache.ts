import type { CachedCopilotToken, TokenCache } from "./token-cache.js";

/** A token cache that lives as long as the process: used when caching is off or SQLite fails. */
export function createMemoryTokenCache(): TokenCache {
  const entries = new Map<string, CachedCopilotToken>();
  return {
    kind: "memory",
    get: (key) => entries.get(key),
    set: (key, value) => {
      entries.set(key, value);
    },
    delete: (key) => {
      entries.delete(key);
    },
    close: () => {
      entries.clear();
    },
  };
}
