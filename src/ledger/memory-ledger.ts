import type { LedgerEntry } from "./ledger-entry.js";
import {
  utcDay,
  type BudgetWindow,
  type DailySpend,
  type Ledger,
  type SpendTotal,
} from "./sqlite-ledger.js";

/** The entries a memory ledger keeps for `totals`, `daily` and `recent`; the oldest go first. */
export const MEMORY_LEDGER_ENTRIES = 50_000;

/**
 * The ledger for a process where no SQLite driver loads: the SQLite ledger's answers for this
 * run (over the last MEMORY_LEDGER_ENTRIES entries; budgets over the whole run), nothing kept
 * past it.
 */
export function createMemoryLedger(maxEntries = MEMORY_LEDGER_ENTRIES): Ledger {
  const entries: LedgerEntry[] = [];
  const listeners = new Set<(entry: LedgerEntry) => void>();
  /** Spend per key and UTC day or month. */
  const spend = new Map<string, number>();

  function spendKey(keyName: string, window: BudgetWindow, at: number): string {
    const day = utcDay(at);
    return `${window}\u0000${keyName}\u0000${window === "day" ? day : day.slice(0, 7)}`;
  }

  return {
    record(entry) {
      for (const window of ["day", "month"] as const) {
        const key = spendKey(entry.keyName, window, entry.time);
        spend.set(key, (spend.get(key) ?? 0) + entry.nanoCredits);
      }
      entries.push(entry);
      if (entries.length > maxEntries) entries.splice(0, entries.length - maxEntries);
      for (const listener of listeners) listener(entry);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    spent(keyName, window, at) {
      return spend.get(spendKey(keyName, window, at)) ?? 0;
    },
    totals(since, until = Number.POSITIVE_INFINITY) {
      const inRange = entries.filter((entry) => entry.time >= since && entry.time < until);
      return {
        byKey: sumBy(inRange, (entry) => entry.keyName),
        byModel: sumBy(inRange, modelOf),
      };
    },
    daily(sinceDay, by, keyName) {
      const perDay = new Map<string, DailySpend>();
      for (const entry of entries) {
        const day = utcDay(entry.time);
        if (day < sinceDay || (keyName !== undefined && entry.keyName !== keyName)) continue;
        const name = by === "key" ? entry.keyName : modelOf(entry);
        const group = `${day}\u0000${name}`;
        perDay.set(group, { ...add(perDay.get(group), name, entry), day });
      }
      return [...perDay.values()].sort(
        (a, b) => compareText(a.day, b.day) || compareText(a.name, b.name),
      );
    },
    recent(limit) {
      return entries.slice(-limit).reverse();
    },
    flush() {
      // Nothing to write.
    },
    close() {
      listeners.clear();
    },
  };
}

function modelOf(entry: LedgerEntry): string {
  return entry.modelUsed ?? entry.modelAsked ?? "";
}

/** Totals per name, dearest first, then by name (as the SQLite ledger orders them). */
function sumBy(entries: readonly LedgerEntry[], nameOf: (entry: LedgerEntry) => string) {
  const totals = new Map<string, SpendTotal>();
  for (const entry of entries) {
    const name = nameOf(entry);
    totals.set(name, add(totals.get(name), name, entry));
  }
  return [...totals.values()].sort(
    (a, b) => b.nanoCredits - a.nanoCredits || compareText(a.name, b.name),
  );
}

function add(total: SpendTotal | undefined, name: string, entry: LedgerEntry): SpendTotal {
  return {
    name,
    requests: (total?.requests ?? 0) + 1,
    errors: (total?.errors ?? 0) + (entry.status >= 400 ? 1 : 0),
    inputTokens: (total?.inputTokens ?? 0) + entry.inputTokens,
    cacheReadTokens: (total?.cacheReadTokens ?? 0) + entry.cacheReadTokens,
    cacheWriteTokens: (total?.cacheWriteTokens ?? 0) + entry.cacheWriteTokens,
    outputTokens: (total?.outputTokens ?? 0) + entry.outputTokens,
    reasoningTokens: (total?.reasoningTokens ?? 0) + entry.reasoningTokens,
    nanoCredits: (total?.nanoCredits ?? 0) + entry.nanoCredits,
    premiumRequests: (total?.premiumRequests ?? 0) + entry.premiumRequests,
  };
}

/** SQLite's order for text (byte order; the same as UTF-16 order for these names). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
