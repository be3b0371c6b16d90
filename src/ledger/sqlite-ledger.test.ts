import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type SqlDatabase } from "../store/database.js";
import { availableSqliteDrivers } from "../store/sqlite-driver.js";
import type { LedgerEntry } from "./ledger-entry.js";
import { createSqliteLedger, utcDay, type Ledger, type LedgerOptions } from "./sqlite-ledger.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** 2026-12-07T12:00:00Z */
const NOON = Date.UTC(2026, 11, 7, 12);

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
    latencyMs: 812.4,
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

describe.each(availableSqliteDrivers())("createSqliteLedger on %s", (driver) => {
  const open: { db: SqlDatabase; ledger?: Ledger }[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const { db, ledger } of open.splice(0)) {
      ledger?.close();
      db.close();
    }
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  let at = NOON;
  const warnings: string[] = [];
  function ledgerOn(db: SqlDatabase, options: Partial<LedgerOptions> = {}): Ledger {
    const ledger = createSqliteLedger(db, {
      now: () => at,
      retentionMs: 90 * DAY_MS,
      warn: (message) => warnings.push(message),
      // The tests flush by hand; the timer never fires within them.
      flushIntervalMs: 3_600_000,
      ...options,
    });
    open.push({ db, ledger });
    return ledger;
  }
  function memoryLedger(): { db: SqlDatabase; ledger: Ledger } {
    at = NOON;
    warnings.length = 0;
    const db = openDatabase(":memory:", { driver });
    return { db, ledger: ledgerOn(db) };
  }
  const daily = (db: SqlDatabase) =>
    db.prepare("SELECT * FROM ledger_daily ORDER BY day, key_name, model").all();

  it("queues on record and writes the row and its daily total on flush", () => {
    const { db, ledger } = memoryLedger();
    ledger.record(
      entry({
        stream: true,
        complete: false,
        firstByteMs: 95.6,
        fallbackFrom: "claude-opus-4.5",
        supportId: "C0DE:1234",
        errorCode: "not_stored",
      }),
    );
    expect(db.prepare("SELECT COUNT(*) AS n FROM ledger").get()).toEqual({ n: 0 });
    ledger.flush();
    expect(db.prepare("SELECT * FROM ledger").all()).toEqual([
      {
        id: 1,
        time: NOON,
        request_id: "req-1",
        key_name: "alice",
        account: "ghu:1a2b3c4d",
        dialect: "chat",
        endpoint: "/chat/completions",
        model_asked: "gpt-4o",
        model_used: "gpt-4o-2024-11-20",
        initiator: "user",
        status: 200,
        latency_ms: 812,
        first_byte_ms: 96,
        stream: 1,
        complete: 0,
        input_tokens: 19,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        output_tokens: 105,
        reasoning_tokens: 44,
        nano_credits: 150325000,
        credits_source: "copilot",
        premium_requests: 1,
        fallback_from: "claude-opus-4.5",
        support_id: "C0DE:1234",
      },
    ]);
    expect(daily(db)).toEqual([
      {
        day: "2026-12-07",
        key_name: "alice",
        model: "gpt-4o-2024-11-20",
        requests: 1,
        errors: 0,
        input_tokens: 19,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        output_tokens: 105,
        reasoning_tokens: 44,
        nano_credits: 150325000,
        premium_requests: 1,
      },
    ]);
  });

  it("adds up the daily totals per day, key and model (the model asked when none was used)", () => {
    const { db, ledger } = memoryLedger();
    ledger.record(entry({ nanoCredits: 100, premiumRequests: 0.33 }));
    ledger.record(entry({ nanoCredits: 50, status: 429, inputTokens: 0, outputTokens: 0 }));
    ledger.flush();
    ledger.record(entry({ nanoCredits: 7, reasoningTokens: 0, premiumRequests: 0 }));
    ledger.record(entry({ modelUsed: undefined, nanoCredits: 1, cacheReadTokens: 3 }));
    ledger.record(entry({ modelUsed: undefined, modelAsked: undefined, nanoCredits: 2 }));
    ledger.record(entry({ time: NOON + DAY_MS, nanoCredits: 9 }));
    ledger.flush();
    expect(
      daily(db).map((row) => {
        const { day, model, requests, errors, nano_credits, premium_requests } = row as Record<
          string,
          unknown
        >;
        return [day, model, requests, errors, nano_credits, premium_requests];
      }),
    ).toEqual([
      ["2026-12-07", "", 1, 0, 2, 1],
      ["2026-12-07", "gpt-4o", 1, 0, 1, 1],
      ["2026-12-07", "gpt-4o-2024-11-20", 3, 1, 157, 1.33],
      ["2026-12-08", "gpt-4o-2024-11-20", 1, 0, 9, 1],
    ]);
  });

  it("gives the spend per day by key or by model from a day on, queued entries included, one key's alone", () => {
    const { ledger } = memoryLedger();
    ledger.record(entry({ time: NOON - DAY_MS, nanoCredits: 1000 }));
    ledger.record(entry({ nanoCredits: 100, status: 500 }));
    ledger.flush();
    ledger.record(entry({ keyName: "bob", modelUsed: "claude-sonnet-4", nanoCredits: 40 }));
    ledger.record(entry({ time: NOON + DAY_MS, nanoCredits: 9 }));
    const totals = {
      inputTokens: 19,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 105,
      reasoningTokens: 44,
      premiumRequests: 1,
    };
    expect(ledger.daily("2026-12-07", "key")).toEqual([
      { day: "2026-12-07", name: "alice", ...totals, requests: 1, errors: 1, nanoCredits: 100 },
      { day: "2026-12-07", name: "bob", ...totals, requests: 1, errors: 0, nanoCredits: 40 },
      { day: "2026-12-08", name: "alice", ...totals, requests: 1, errors: 0, nanoCredits: 9 },
    ]);
    expect(
      ledger
        .daily("2026-12-06", "model", "alice")
        .map((row) => [row.day, row.name, row.nanoCredits]),
    ).toEqual([
      ["2026-12-06", "gpt-4o-2024-11-20", 1000],
      ["2026-12-07", "gpt-4o-2024-11-20", 100],
      ["2026-12-08", "gpt-4o-2024-11-20", 9],
    ]);
    expect(
      ledger.daily("2026-12-07", "model").map((row) => [row.day, row.name, row.nanoCredits]),
    ).toEqual([
      ["2026-12-07", "claude-sonnet-4", 40],
      ["2026-12-07", "gpt-4o-2024-11-20", 100],
      ["2026-12-08", "gpt-4o-2024-11-20", 9],
    ]);
  });

  it("tells what a key spent in the UTC day and month, queued entries included, once each", () => {
    const { ledger } = memoryLedger();
    // Last month, yesterday, today (twice), another key, tomorrow.
    ledger.record(entry({ time: Date.UTC(2026, 10, 30, 23, 59), nanoCredits: 1000 }));
    ledger.record(entry({ time: Date.UTC(2026, 11, 6, 23, 59, 59, 999), nanoCredits: 200 }));
    ledger.record(entry({ time: Date.UTC(2026, 11, 7), nanoCredits: 30 }));
    ledger.flush();
    ledger.record(entry({ nanoCredits: 4 }));
    ledger.record(entry({ keyName: "bob", nanoCredits: 50000 }));
    ledger.record(entry({ time: Date.UTC(2026, 11, 8), nanoCredits: 600000 }));

    const spent = () => [
      ledger.spent("alice", "day", NOON),
      ledger.spent("alice", "month", NOON),
      ledger.spent("alice", "day", Date.UTC(2026, 10, 30, 12)),
      ledger.spent("alice", "month", Date.UTC(2026, 10, 1)),
      ledger.spent("bob", "day", NOON),
      ledger.spent("carol", "month", NOON),
    ];
    expect(spent()).toEqual([34, 600234, 1000, 1000, 50000, 0]);
    ledger.flush();
    expect(spent()).toEqual([34, 600234, 1000, 1000, 50000, 0]);
    ledger.record(entry({ nanoCredits: 5 }));
    expect(spent()).toEqual([39, 600239, 1000, 1000, 50000, 0]);
    ledger.flush();
    expect(spent()).toEqual([39, 600239, 1000, 1000, 50000, 0]);
  });

  it("reads the spend of entries written before a restart, not counting them twice", () => {
    const dir = mkdtempSync(join(tmpdir(), "cogpt-ledger-"));
    dirs.push(dir);
    const path = join(dir, "cogpt.sqlite");
    at = NOON;
    const first = openDatabase(path, { driver });
    const before = createSqliteLedger(first, {
      now: () => at,
      retentionMs: 90 * DAY_MS,
      warn: (message) => warnings.push(message),
    });
    before.record(entry({ nanoCredits: 10 }));
    expect(before.spent("alice", "day", NOON)).toBe(10);
    before.record(entry({ nanoCredits: 20 }));
    before.close();
    first.close();

    const second = openDatabase(path, { driver });
    const after = ledgerOn(second);
    after.record(entry({ nanoCredits: 300 }));
    expect(after.spent("alice", "day", NOON)).toBe(330);
    after.flush();
    expect(after.spent("alice", "month", NOON)).toBe(330);
    expect(second.prepare("SELECT COUNT(*) AS n FROM ledger").get()).toEqual({ n: 3 });
  });

  it("totals spend by key and by model from the rows, queued ones too, in [since, until)", () => {
    const { ledger } = memoryLedger();
    ledger.record(entry({ time: NOON - 2 * HOUR_MS, nanoCredits: 1 }));
    ledger.record(entry({ keyName: "bob", modelUsed: "claude-sonnet-4", nanoCredits: 500 }));
    ledger.flush();
    ledger.record(
      entry({ time: NOON - HOUR_MS, status: 500, nanoCredits: 20, premiumRequests: 0 }),
    );
    ledger.record(entry({ time: NOON - 1, modelUsed: undefined, nanoCredits: 300 }));
    at = NOON + 1;
    const alice = {
      name: "alice",
      requests: 2,
      errors: 1,
      inputTokens: 38,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 210,
      reasoningTokens: 88,
      nanoCredits: 320,
      premiumRequests: 1,
    };
    expect(ledger.totals(NOON - HOUR_MS)).toEqual({
      byKey: [
        {
          ...alice,
          name: "bob",
          requests: 1,
          errors: 0,
          inputTokens: 19,
          outputTokens: 105,
          reasoningTokens: 44,
          nanoCredits: 500,
          premiumRequests: 1,
        },
        alice,
      ],
      byModel: [
        {
          ...alice,
          name: "claude-sonnet-4",
          requests: 1,
          errors: 0,
          inputTokens: 19,
          outputTokens: 105,
          reasoningTokens: 44,
          nanoCredits: 500,
          premiumRequests: 1,
        },
        {
          ...alice,
          name: "gpt-4o",
          requests: 1,
          errors: 0,
          inputTokens: 19,
          outputTokens: 105,
          reasoningTokens: 44,
          nanoCredits: 300,
          premiumRequests: 1,
        },
        {
          ...alice,
          name: "gpt-4o-2024-11-20",
          requests: 1,
          errors: 1,
          inputTokens: 19,
          outputTokens: 105,
          reasoningTokens: 44,
          nanoCredits: 20,
          premiumRequests: 0,
        },
      ],
    });
    // `until` is exclusive: the bob entry at NOON is left out.
    expect(
      ledger.totals(NOON - 3 * HOUR_MS, NOON).byKey.map((total) => [total.name, total.nanoCredits]),
    ).toEqual([["alice", 321]]);
    expect(ledger.totals(NOON + 1)).toEqual({ byKey: [], byModel: [] });
  });

  it("prunes rows past the retention hourly and keeps their daily totals", () => {
    const { db, ledger } = memoryLedger();
    const old = Date.UTC(2026, 7, 1, 10);
    ledger.record(entry({ time: old, nanoCredits: 7 }));
    ledger.record(entry({ time: old + HOUR_MS, keyName: "bob", nanoCredits: 8 }));
    ledger.record(entry({ time: NOON - DAY_MS, nanoCredits: 9 }));
    ledger.flush();
    // Pruned only when an hour has passed since the last pruning (at creation).
    expect(db.prepare("SELECT COUNT(*) AS n FROM ledger").get()).toEqual({ n: 3 });
    at = NOON + HOUR_MS;
    ledger.flush();
    expect(db.prepare("SELECT time FROM ledger").all()).toEqual([{ time: NOON - DAY_MS }]);
    expect(daily(db).map((row) => (row as { day: string }).day)).toEqual([
      "2026-08-01",
      "2026-08-01",
      "2026-12-06",
    ]);

    // A period that starts before the retention is totalled from the daily totals, by whole day.
    const totals = ledger.totals(Date.UTC(2026, 7, 1, 23));
    expect(totals.byKey.map((total) => [total.name, total.requests, total.nanoCredits])).toEqual([
      ["alice", 2, 16],
      ["bob", 1, 8],
    ]);
    expect(totals.byModel).toEqual([
      {
        name: "gpt-4o-2024-11-20",
        requests: 3,
        errors: 0,
        inputTokens: 57,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 315,
        reasoningTokens: 132,
        nanoCredits: 24,
        premiumRequests: 3,
      },
    ]);
    // The spend of a pruned day is still known.
    const fresh = ledgerOn(db);
    expect(fresh.spent("alice", "day", old)).toBe(7);
  });

  it("lists the newest entries first, queued ones before written ones", () => {
    const { ledger } = memoryLedger();
    ledger.record(entry({ requestId: "a" }));
    ledger.record(entry({ requestId: "b", firstByteMs: 12, endpoint: undefined }));
    ledger.flush();
    ledger.record(entry({ requestId: "c" }));
    expect(ledger.recent(2).map((recent) => recent.requestId)).toEqual(["c", "b"]);
    expect(ledger.recent(1).map((recent) => recent.requestId)).toEqual(["c"]);
    const [, b, a] = ledger.recent(5);
    expect(b).toEqual(
      entry({ requestId: "b", firstByteMs: 12, endpoint: undefined, latencyMs: 812 }),
    );
    expect(a?.requestId).toBe("a");
  });

  it("keeps entries queued while the database fails, warns once, and writes them once it works", () => {
    const { db } = memoryLedger();
    let broken = false;
    const failing: SqlDatabase = {
      ...db,
      path: db.path,
      exec: (sql) => db.exec(sql),
      prepare: (sql) => db.prepare(sql),
      close: () => db.close(),
      transaction: (work) => {
        if (broken) throw new Error("disk I/O error");
        return db.transaction(work);
      },
    };
    const ledger = ledgerOn(failing);
    broken = true;
    ledger.record(entry({ nanoCredits: 5, requestId: "a" }));
    ledger.flush();
    ledger.record(entry({ nanoCredits: 6, requestId: "b" }));
    ledger.flush();
    expect(warnings).toEqual([
      "ledger: cannot write to the database (disk I/O error); keeping up to 50000 entries in memory and trying again",
    ]);
    expect(ledger.spent("alice", "day", NOON)).toBe(11);
    expect(ledger.recent(5).map((recent) => recent.requestId)).toEqual(["b", "a"]);
    expect(db.prepare("SELECT COUNT(*) AS n FROM ledger").get()).toEqual({ n: 0 });

    broken = false;
    ledger.flush();
    expect(warnings.slice(1)).toEqual(["ledger: writing works again (2 entries written)"]);
    expect(db.prepare("SELECT request_id FROM ledger ORDER BY id").all()).toEqual([
      { request_id: "a" },
      { request_id: "b" },
    ]);
    expect(ledger.spent("alice", "day", NOON)).toBe(11);
    expect(ledgerOn(db).spent("alice", "day", NOON)).toBe(11);
  });

  it("writes what is queued on close", () => {
    const { db, ledger } = memoryLedger();
    ledger.record(entry());
    ledger.close();
    expect(db.prepare("SELECT request_id FROM ledger").all()).toEqual([{ request_id: "req-1" }]);
  });

  it("writes at once when the queue reaches 512 entries", () => {
    const { db, ledger } = memoryLedger();
    for (let index = 0; index < 511; index += 1) ledger.record(entry());
    expect(db.prepare("SELECT COUNT(*) AS n FROM ledger").get()).toEqual({ n: 0 });
    ledger.record(entry());
    expect(db.prepare("SELECT COUNT(*) AS n FROM ledger").get()).toEqual({ n: 512 });
  });
});

describe("utcDay", () => {
  it("names the UTC day of a time", () => {
    expect(utcDay(Date.UTC(2026, 11, 31, 23, 59, 59, 999))).toBe("2026-12-31");
    expect(utcDay(Date.UTC(2027, 0, 1))).toBe("2027-01-01");
  });
});
