import type { IncomingHttpHeaders } from "node:http";
import type { SqlDatabase } from "../store/database.js";
import { readQuotaWindows, type QuotaWindow } from "./quota-windows.js";

/** What the gateway knows of one account's Copilot limits. */
export interface AccountState {
  /** Fingerprint of the account's GitHub token, never the token. */
  readonly account: string;
  /** By window name (`premium_interactions`, `chat`, `session`, `weekly`, …). */
  readonly windows: Readonly<Record<string, QuotaWindow>>;
  readonly updatedAt: number;
  /** Set when Copilot refused for a used-up allowance: until when, and its code. */
  readonly exhausted?: { readonly code: string; readonly until: number } | undefined;
}

/**
 * Each account's limits as the quota headers of its last answer said, kept in memory for the
 * request path and written to the database now and then (for `cogpt usage`, the dashboard and a
 * restart).
 */
export interface AccountStates {
  /**
   * Reads the quota headers of one answer of `account`. An answer of the model asked for (not
   * of a fallback) shows the allowance is there again and ends a refusal in force.
   */
  observe(account: string, headers: IncomingHttpHeaders, askedModelServed: boolean): void;
  /** Copilot refused `account` for a used-up allowance `code` until `until` (epoch ms). */
  markExhausted(account: string, code: string, until: number): void;
  /** The refusal still in force for `account`, if any. */
  exhaustion(account: string): AccountState["exhausted"];
  get(account: string): AccountState | undefined;
  all(): AccountState[];
  /** Writes what changed since the last write. */
  close(): void;
}

export interface AccountStatesOptions {
  readonly db: SqlDatabase | undefined;
  readonly now: () => number;
  /** Told of every change (metrics gauges). */
  readonly onChange?: ((state: AccountState) => void) | undefined;
}

/** An account's state is written at most this often (it changes with every answer). */
const WRITE_EVERY_MS = 10_000;
/** Without a reset time, a refusal is believed this long before Copilot is asked again. */
const DEFAULT_EXHAUSTION_MS = 60_000;

export function createAccountStates(options: AccountStatesOptions): AccountStates {
  const { db, now } = options;
  const states = new Map<string, AccountState>();
  const lastHeaders = new Map<string, string>();
  const dirty = new Map<string, number>();
  const upsert = db?.prepare(
    "INSERT INTO account_state (account, updated_at, state) VALUES (?, ?, ?) " +
      "ON CONFLICT(account) DO UPDATE SET updated_at = excluded.updated_at, state = excluded.state",
  );
  const written = new Map<string, number>();
  for (const row of db
    ?.prepare<{ account: string; state: string }>("SELECT account, state FROM account_state")
    .all() ?? []) {
    try {
      states.set(row.account, JSON.parse(row.state) as AccountState);
    } catch {
      // Rewritten from the next answer.
    }
  }

  function save(state: AccountState, force: boolean): void {
    states.set(state.account, state);
    options.onChange?.(state);
    if (upsert === undefined) return;
    const at = state.updatedAt;
    if (!force && at - (written.get(state.account) ?? 0) < WRITE_EVERY_MS) {
      dirty.set(state.account, at);
      return;
    }
    write(state.account);
  }

  function write(account: string): void {
    const state = states.get(account);
    if (state === undefined || upsert === undefined) return;
    try {
      upsert.run(account, state.updatedAt, JSON.stringify(state));
      written.set(account, state.updatedAt);
      dirty.delete(account);
    } catch {
      // The state is a convenience for the owner's views; the next answer tries again.
      dirty.set(account, state.updatedAt);
    }
  }

  return {
    observe(account, headers, askedModelServed) {
      const previous = states.get(account);
      const endsRefusal = askedModelServed && previous?.exhausted !== undefined;
      let raw = "";
      for (const name in headers) {
        if (name.startsWith("x-quota-snapshot-") || name.startsWith("x-usage-ratelimit-")) {
          raw += `${name}:${String(headers[name])}\n`;
        }
      }
      if (!endsRefusal && (raw === "" || lastHeaders.get(account) === raw)) return;
      lastHeaders.set(account, raw);
      const windows: Record<string, QuotaWindow> = { ...previous?.windows };
      for (const window of readQuotaWindows(headers)) windows[window.name] = window;
      save(
        {
          account,
          windows,
          updatedAt: now(),
          exhausted: endsRefusal ? undefined : previous?.exhausted,
        },
        endsRefusal,
      );
    },
    markExhausted(account, code, until) {
      const previous = states.get(account);
      const at = now();
      save(
        {
          account,
          windows: previous?.windows ?? {},
          updatedAt: at,
          exhausted: { code, until: until > at ? until : at + DEFAULT_EXHAUSTION_MS },
        },
        true,
      );
    },
    exhaustion(account) {
      const exhausted = states.get(account)?.exhausted;
      return exhausted !== undefined && exhausted.until > now() ? exhausted : undefined;
    },
    get: (account) => states.get(account),
    all: () => [...states.values()],
    close() {
      for (const account of dirty.keys()) write(account);
    },
  };
}
