import { readFileSync } from "node:fs";

/** Descriptors kept for everything but client connections: the cache, logs, the listener. */
const RESERVED_DESCRIPTORS = 64;
/** Where the open-file limit cannot be read (not Linux): a count every system allows. */
const FALLBACK_MAX_CONNECTIONS = 4096;

/**
 * The default MAX_CONNECTIONS: half of the open-file limit less a reserve, since each client
 * connection may hold an upstream connection too. Past the limit the kernel would refuse
 * `accept` and every client, health checks included, would hang in the backlog.
 */
export function defaultMaxConnections(limitsFile = "/proc/self/limits"): number {
  let text: string;
  try {
    text = readFileSync(limitsFile, "utf8");
  } catch {
    return FALLBACK_MAX_CONNECTIONS;
  }
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(text);
  if (match?.[1] === undefined) return FALLBACK_MAX_CONNECTIONS;
  if (match[1] === "unlimited") return FALLBACK_MAX_CONNECTIONS * 4;
  return Math.max(16, Math.floor((Number(match[1]) - RESERVED_DESCRIPTORS) / 2));
}
