import { describe, expect, it } from "vitest";
import { openDatabase } from "../store/database.js";
import { availableSqliteDrivers } from "../store/sqlite-driver.js";
import type { LedgerEntry } from "./ledger-entry.js";
import { createMemoryLedger } from "./memory-ledger.js";
import { createSqliteLedger } from "./sqlite-ledger.js";

const NOON = Date.UTC(2026, 11, 7, 12);
const DAY_MS = 24 * 60 * 60 * 1000;

function entry(fields: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    time: NOON,
    requestId: "req-1",
    keyName: "alice",
    account: "ghu:1a2b3c4d",
    dialect: "chat",
    endpoint: "/chat/completions",
    modelAsked: "gpt-4o",
    modelUsed: "gpt-4o-2024-11-20",
    initiator: "user",
    status: 200,
    latencyMs: 812,
    firstByteMs: undefined,
    stream: false,
    complete: true,
    inputTokens: 19,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 105,
    reasoningTokens: 44,
    nanoCredits: 150325000,
    creditsSource: "copilot",
    premiumRequests: 1,
    fallbackFrom: undefined,
    supportId: undefined,
    ...fields,
  };
}

const ENTRIES: LedgerEntry[] = [
  entry({ requestId: "a" }),
  entry({ requestId: "b", keyName: "bob", nanoCredits: 7, status: 429, modelUsed: undefined }),
  entry({ requestId: "c", time: NOON + DAY_MS, inputTokens: 3, premiumRequests: 0.33 }),
  entry({ requestId: "d", time: NOON - 40 * DAY_MS, keyName: "bob", nanoCredits: 1_000 }),
  entry({ requestId: "e", keyName: "carol", modelAsked: undefined, modelUsed: undefined }),
];

describe("createMemoryLedger", () => {
  it("answers spent, totals and recent for the run", () => {
    const ledger = createMemoryLedger();
    for (const recorded of ENTRIES) ledger.record(recorded);
    expect([
      ledger.spent("alice", "day", NOON),
      ledger.spent("alice", "month", NOON),
      ledger.spent("bob", "month", NOON),
      ledger.spent("nobody", "day", NOON),
    ]).toEqual([150325000, 300650000, 7, 0]);
    expect(ledger.totals(NOON, NOON + 1).byKey).toEqual([
      {
        name: "alice",
        requests: 1,
        errors: 0,
        inputTokens: 19,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 105,
        reasoningTokens: 44,
        nanoCredits: 150325000,
        premiumRequests: 1,
      },
      {
        name: "carol",
        requests: 1,
        errors: 0,
        inputTokens: 19,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 105,
        reasoningTokens: 44,
        nanoCredits: 150325000,
        premiumRequests: 1,
      },
      {
        name: "bob",
        requests: 1,
        errors: 1,
        inputTokens: 19,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 105,
        reasoningTokens: 44,
        nanoCredits: 7,
        premiumRequests: 1,
      },
    ]);
    expect(ledger.recent(2).map((recent) => recent.requestId)).toEqual(["e", "d"]);
  });

  it("keeps the newest entries past its bound, and budgets for the whole run", () => {
    const ledger = createMemoryLedger(2);
    for (const recorded of ENTRIES.slice(0, 3)) ledger.record(recorded);
    expect(ledger.recent(5).map((recent) => recent.requestId)).toEqual(["c", "b"]);
    expect(ledger.spent("alice", "month", NOON)).toBe(300650000);
  });

  it("tells subscribers of each entry until they leave", () => {
    const ledger = createMemoryLedger();
    const seen: string[] = [];
    const leave = ledger.subscribe((recorded) => seen.push(recorded.requestId));
    ledger.record(ENTRIES[0]!);
    leave();
    ledger.record(ENTRIES[1]!);
    expect(seen).toEqual(["a"]);
  });

  it.each(availableSqliteDrivers())(
    "totals and spends as the SQLite ledger does (%s)",
    (driver) => {
      const db = openDatabase(":memory:", { driver });
      const sqlite = createSqliteLedger(db, {
        now: () => NOON + 2 * DAY_MS,
        retentionMs: 90 * DAY_MS,
        warn: () => undefined,
        flushIntervalMs: 3_600_000,
      });
      const memory = createMemoryLedger();
      for (const recorded of ENTRIES) {
        sqlite.record(recorded);
        memory.record(recorded);
      }
      sqlite.flush();
      for (const [since, until] of [
        [NOON - 50 * DAY_MS, NOON + 2 * DAY_MS],
        [NOON, NOON + 1],
        [NOON + 1, NOON + 2 * DAY_MS],
      ] as const) {
        expect(memory.totals(since, until)).toEqual(sqlite.totals(since, until));
      }
      for (const by of ["key", "model"] as const) {
        expect(memory.daily("2026-10-01", by)).toEqual(sqlite.daily("2026-10-01", by));
        expect(memory.daily("2026-12-08", by, "alice")).toEqual(
          sqlite.daily("2026-12-08", by, "alice"),
        );
      }
      expect(memory.daily("2026-12-07", "key").map((day) => [day.day, day.name])).toEqual([
        ["2026-12-07", "alice"],
        ["2026-12-07", "bob"],
        ["2026-12-07", "carol"],
        ["2026-12-08", "alice"],
      ]);
      for (const key of ["alice", "bob", "carol"]) {
        for (const window of ["day", "month"] as const) {
          expect(memory.spent(key, window, NOON)).toBe(sqlite.spent(key, window, NOON));
        }
      }
      sqlite.close();
      db.close();
    },
  );
});
