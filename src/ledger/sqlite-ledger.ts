import type { SqlDatabase, SqlStatement } from "../store/database.js";
import type { LedgerEntry } from "./ledger-entry.js";

/** Spend of one key or one model over a period. */
export interface SpendTotal {
  readonly name: string;
  readonly requests: number;
  readonly errors: number;
  readonly inputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly outputTokens: number;
  readonly reasoningTokens: number;
  readonly nanoCredits: number;
  readonly premiumRequests: number;
}

export interface SpendTotals {
  readonly byKey: readonly SpendTotal[];
  readonly byModel: readonly SpendTotal[];
}

export type BudgetWindow = "day" | "month";

/** The spend of one key or model in one UTC day (the dashboard's chart and table). */
export interface DailySpend extends SpendTotal {
  /** `2026-12-07`. */
  readonly day: string;
}

/**
 * Every answered request, one row each, written off the request path: `record` only queues, and
 * the queue is written in one transaction each second (or sooner when it grows), with the daily
 * totals per key and model that outlive the rows' retention.
 */
export interface Ledger {
  record(entry: LedgerEntry): void;
  /** Nano-credits `keyName` spent in the UTC day or month holding `at`, queued entries included. */
  spent(keyName: string, window: BudgetWindow, at: number): number;
  /** Spend per key and per model from `since` (epoch ms) to `until` (default: now). */
  totals(since: number, until?: number): SpendTotals;
  /**
   * Spend per UTC day from `sinceDay` (`2026-12-07`) on, per key or per model, from the daily
   * totals (queued entries written first); only `keyName`'s when given. Ordered by day, then name.
   */
  daily(sinceDay: string, by: "key" | "model", keyName?: string): DailySpend[];
  /** The newest entries first (queued ones included). */
  recent(limit: number): LedgerEntry[];
  /** Told of every entry as it is recorded (the dashboard's live table); returns the unsubscribe. */
  subscribe(listener: (entry: LedgerEntry) => void): () => void;
  /** Writes what is queued now. */
  flush(): void;
  /** Writes what is queued and stops the timer. */
  close(): void;
}

export interface LedgerOptions {
  readonly now: () => number;
  /** Rows older than this are deleted; their daily totals stay. */
  readonly retentionMs: number;
  /** Told when a write fails (the entries stay queued, up to a bound). */
  readonly warn: (message: string) => void;
  readonly flushIntervalMs?: number;
}

/** A queue this long is written at once rather than at the next tick. */
const FLUSH_AT = 512;
/** What a failing database may hold back in memory before the oldest entries are dropped. */
const MAX_QUEUED = 50_000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

const COLUMNS = [
  "time",
  "request_id",
  "key_name",
  "account",
  "dialect",
  "endpoint",
  "model_asked",
  "model_used",
  "initiator",
  "status",
  "latency_ms",
  "first_byte_ms",
  "stream",
  "complete",
  "input_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "output_tokens",
  "reasoning_tokens",
  "nano_credits",
  "credits_source",
  "premium_requests",
  "fallback_from",
  "support_id",
] as const;

type LedgerRow = Record<(typeof COLUMNS)[number], string | number | null>;

export function createSqliteLedger(db: SqlDatabase, options: LedgerOptions): Ledger {
  const { now } = options;
  const insert = db.prepare(
    `INSERT INTO ledger (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`,
  );
  const addDaily = db.prepare(
    "INSERT INTO ledger_daily (day, key_name, model, requests, errors, input_tokens, " +
      "cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, nano_credits, " +
      "premium_requests) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) " +
      "ON CONFLICT(day, key_name, model) DO UPDATE SET requests = requests + excluded.requests, " +
      "errors = errors + excluded.errors, input_tokens = input_tokens + excluded.input_tokens, " +
      "cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, " +
      "cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens, " +
      "output_tokens = output_tokens + excluded.output_tokens, " +
      "reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens, " +
      "nano_credits = nano_credits + excluded.nano_credits, " +
      "premium_requests = premium_requests + excluded.premium_requests",
  );
  const dailySpend = db.prepare<{ total: number | null }>(
    "SELECT SUM(nano_credits) AS total FROM ledger_daily WHERE key_name = ? AND day >= ? AND day <= ?",
  );
  const prune = db.prepare("DELETE FROM ledger WHERE time < ?");
  const newest = db.prepare<LedgerRow>(
    `SELECT ${COLUMNS.join(", ")} FROM ledger ORDER BY id DESC LIMIT ?`,
  );
  const totalsStatements = {
    key: totalsFromRows(db, "key_name"),
    model: totalsFromRows(db, "COALESCE(model_used, model_asked, '')"),
    dailyKey: totalsFromDays(db, "key_name"),
    dailyModel: totalsFromDays(db, "model"),
  };
  const perDay = {
    key: spendPerDay(db, "key_name", false),
    model: spendPerDay(db, "model", false),
    keyOf: spendPerDay(db, "key_name", true),
    modelOf: spendPerDay(db, "model", true),
  };

  let queue: LedgerEntry[] = [];
  const listeners = new Set<(entry: LedgerEntry) => void>();
  /** Spend per key and UTC day or month, seeded from the database at first use. */
  const spend = new Map<string, number>();
  let lastPrune = 0;
  let failing = false;

  function flush(): void {
    const at = now();
    if (queue.length === 0 && at - lastPrune < PRUNE_EVERY_MS) return;
    const batch = queue;
    queue = [];
    try {
      db.transaction(() => {
        for (const entry of batch) insert.run(...toRow(entry));
        // One write per day, key and model of the batch, not one per entry.
        for (const daily of sumDaily(batch, dayOf)) addDaily.run(...daily);
        if (at - lastPrune >= PRUNE_EVERY_MS) {
          prune.run(at - options.retentionMs);
          lastPrune = at;
        }
      });
      if (failing) options.warn(`ledger: writing works again (${batch.length} entries written)`);
      failing = false;
    } catch (error) {
      queue = batch.concat(queue).slice(-MAX_QUEUED);
      if (!failing) {
        options.warn(
          `ledger: cannot write to the database (${error instanceof Error ? error.message : String(error)}); ` +
            `keeping up to ${MAX_QUEUED} entries in memory and trying again`,
        );
      }
      failing = true;
    }
  }

  const timer = setInterval(flush, options.flushIntervalMs ?? 1_000);
  timer.unref();
  flush();

  // The UTC day of a time, remembered for the day it falls in: every entry asks for it.
  let dayStart = 0;
  let dayEnd = 0;
  let dayText = "";
  function dayOf(at: number): string {
    if (at < dayStart || at >= dayEnd) {
      dayText = utcDay(at);
      dayStart = Date.parse(dayText);
      dayEnd = dayStart + 86_400_000;
    }
    return dayText;
  }

  function spendKey(keyName: string, window: BudgetWindow, at: number): string {
    const day = dayOf(at);
    return `${window}\u0000${keyName}\u0000${window === "day" ? day : day.slice(0, 7)}`;
  }

  return {
    record(entry) {
      // Only spends a budget has asked for are kept up to date (none without managed budgets).
      if (spend.size > 0) {
        for (const window of ["day", "month"] as const) {
          const key = spendKey(entry.keyName, window, entry.time);
          const known = spend.get(key);
          if (known !== undefined) spend.set(key, known + entry.nanoCredits);
        }
      }
      queue.push(entry);
      if (queue.length >= FLUSH_AT) flush();
      for (const listener of listeners) listener(entry);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    spent(keyName, window, at) {
      const key = spendKey(keyName, window, at);
      const known = spend.get(key);
      if (known !== undefined) return known;
      const day = utcDay(at);
      // The whole window, as the cached figure and the queued entries counted below are.
      const [first, last] =
        window === "day" ? [day, day] : [`${day.slice(0, 7)}-01`, `${day.slice(0, 7)}-31`];
      let total = dailySpend.get(keyName, first, last)?.total ?? 0;
      for (const entry of queue) {
        if (entry.keyName === keyName && spendKey(keyName, window, entry.time) === key) {
          total += entry.nanoCredits;
        }
      }
      spend.set(key, total);
      return total;
    },
    totals(since, until = now()) {
      flush();
      // Rows answer to the millisecond while they are kept; past the retention, the daily totals.
      if (since >= now() - options.retentionMs) {
        return {
          byKey: totalsStatements.key.all(since, until),
          byModel: totalsStatements.model.all(since, until),
        };
      }
      return {
        byKey: totalsStatements.dailyKey.all(utcDay(since), utcDay(until)),
        byModel: totalsStatements.dailyModel.all(utcDay(since), utcDay(until)),
      };
    },
    daily(sinceDay, by, keyName) {
      flush();
      if (keyName === undefined) return perDay[by].all(sinceDay);
      return (by === "key" ? perDay.keyOf : perDay.modelOf).all(sinceDay, keyName);
    },
    recent(limit) {
      const queued = queue.slice(-limit).reverse();
      if (queued.length >= limit) return queued;
      return queued.concat(newest.all(limit - queued.length).map(fromRow));
    },
    flush,
    close() {
      clearInterval(timer);
      flush();
    },
  };
}

const TOTAL_FIELDS =
  "COUNT(*) AS requests, SUM(status >= 400) AS errors, SUM(input_tokens) AS inputTokens, " +
  "SUM(cache_read_tokens) AS cacheReadTokens, SUM(cache_write_tokens) AS cacheWriteTokens, " +
  "SUM(output_tokens) AS outputTokens, SUM(reasoning_tokens) AS reasoningTokens, " +
  "SUM(nano_credits) AS nanoCredits, SUM(premium_requests) AS premiumRequests";

function totalsFromRows(db: SqlDatabase, group: string): SqlStatement<SpendTotal> {
  return db.prepare<SpendTotal>(
    `SELECT ${group} AS name, ${TOTAL_FIELDS} FROM ledger WHERE time >= ? AND time < ? ` +
      `GROUP BY ${group} ORDER BY nanoCredits DESC, name`,
  );
}

function totalsFromDays(db: SqlDatabase, group: string): SqlStatement<SpendTotal> {
  return db.prepare<SpendTotal>(
    `SELECT ${group} AS name, SUM(requests) AS requests, SUM(errors) AS errors, ` +
      "SUM(input_tokens) AS inputTokens, SUM(cache_read_tokens) AS cacheReadTokens, " +
      "SUM(cache_write_tokens) AS cacheWriteTokens, SUM(output_tokens) AS outputTokens, " +
      "SUM(reasoning_tokens) AS reasoningTokens, SUM(nano_credits) AS nanoCredits, " +
      "SUM(premium_requests) AS premiumRequests FROM ledger_daily WHERE day >= ? AND day <= ? " +
      `GROUP BY ${group} ORDER BY nanoCredits DESC, name`,
  );
}

function spendPerDay(db: SqlDatabase, group: string, oneKey: boolean): SqlStatement<DailySpend> {
  return db.prepare<DailySpend>(
    `SELECT day, ${group} AS name, SUM(requests) AS requests, SUM(errors) AS errors, ` +
      "SUM(input_tokens) AS inputTokens, SUM(cache_read_tokens) AS cacheReadTokens, " +
      "SUM(cache_write_tokens) AS cacheWriteTokens, SUM(output_tokens) AS outputTokens, " +
      "SUM(reasoning_tokens) AS reasoningTokens, SUM(nano_credits) AS nanoCredits, " +
      "SUM(premium_requests) AS premiumRequests FROM ledger_daily WHERE day >= ?" +
      (oneKey ? " AND key_name = ?" : "") +
      ` GROUP BY day, ${group} ORDER BY day, name`,
  );
}

/** `2026-12-07` for a time in that UTC day: budgets and Copilot's allowance reset in UTC. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

function toRow(entry: LedgerEntry): (string | number | null)[] {
  return [
    entry.time,
    entry.requestId,
    entry.keyName,
    entry.account,
    entry.dialect,
    entry.endpoint ?? null,
    entry.modelAsked ?? null,
    entry.modelUsed ?? null,
    entry.initiator ?? null,
    entry.status,
    Math.round(entry.latencyMs),
    entry.firstByteMs === undefined ? null : Math.round(entry.firstByteMs),
    entry.stream ? 1 : 0,
    entry.complete ? 1 : 0,
    entry.inputTokens,
    entry.cacheReadTokens,
    entry.cacheWriteTokens,
    entry.outputTokens,
    entry.reasoningTokens,
    entry.nanoCredits,
    entry.creditsSource,
    entry.premiumRequests,
    entry.fallbackFrom ?? null,
    entry.supportId ?? null,
  ];
}

/** A batch's daily totals: the parameters of one ledger_daily upsert per day, key and model. */
function sumDaily(
  batch: readonly LedgerEntry[],
  dayOf: (at: number) => string,
): (string | number)[][] {
  const sums = new Map<string, (string | number)[]>();
  for (const entry of batch) {
    const day = dayOf(entry.time);
    const model = entry.modelUsed ?? entry.modelAsked ?? "";
    const group = `${day}\u0000${entry.keyName}\u0000${model}`;
    const counts = [
      1,
      entry.status >= 400 ? 1 : 0,
      entry.inputTokens,
      entry.cacheReadTokens,
      entry.cacheWriteTokens,
      entry.outputTokens,
      entry.reasoningTokens,
      entry.nanoCredits,
      entry.premiumRequests,
    ];
    const sum = sums.get(group);
    if (sum === undefined) sums.set(group, [day, entry.keyName, model, ...counts]);
    else for (let i = 0; i < counts.length; i++) sum[i + 3] = Number(sum[i + 3]) + (counts[i] ?? 0);
  }
  return [...sums.values()];
}

function fromRow(row: LedgerRow): LedgerEntry {
  const text = (value: string | number | null) => (value === null ? undefined : String(value));
  const count = (value: string | number | null) => Number(value ?? 0);
  return {
    time: count(row.time),
    requestId: String(row.request_id),
    keyName: String(row.key_name),
    account: String(row.account),
    dialect: String(row.dialect) as LedgerEntry["dialect"],
    endpoint: text(row.endpoint) as LedgerEntry["endpoint"],
    modelAsked: text(row.model_asked),
    modelUsed: text(row.model_used),
    initiator: text(row.initiator) as LedgerEntry["initiator"],
    status: count(row.status),
    latencyMs: count(row.latency_ms),
    firstByteMs: row.first_byte_ms === null ? undefined : count(row.first_byte_ms),
    stream: row.stream === 1,
    complete: row.complete === 1,
    inputTokens: count(row.input_tokens),
    cacheReadTokens: count(row.cache_read_tokens),
    cacheWriteTokens: count(row.cache_write_tokens),
    outputTokens: count(row.output_tokens),
    reasoningTokens: count(row.reasoning_tokens),
    nanoCredits: count(row.nano_credits),
    creditsSource: String(row.credits_source) as LedgerEntry["creditsSource"],
    premiumRequests: count(row.premium_requests),
    fallbackFrom: text(row.fallback_from),
    supportId: text(row.support_id),
  };
}
