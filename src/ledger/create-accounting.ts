import {
  createAccountStates,
  type AccountState,
  type AccountStates,
} from "../copilot/account-states.js";
import type { KeyStore } from "../keys/managed-key.js";
import { createSqliteKeyStore } from "../keys/sqlite-key-store.js";
import type { SqlDatabase } from "../store/database.js";
import { createPriceBook, type PriceBook } from "./price-book.js";
import { createSqliteLedger, type Ledger } from "./sqlite-ledger.js";

/** What the gateway keeps about spending, all in one database. */
export interface Accounting {
  readonly ledger: Ledger;
  readonly keys: KeyStore;
  readonly prices: PriceBook;
  readonly accounts: AccountStates;
  /** Writes what is queued (ledger, account states); the database itself is the caller's. */
  close(): void;
}

export interface AccountingOptions {
  readonly now: () => number;
  readonly retentionDays: number;
  readonly warn: (message: string) => void;
  readonly onAccountChange?: ((state: AccountState) => void) | undefined;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function createAccounting(db: SqlDatabase, options: AccountingOptions): Accounting {
  const ledger = createSqliteLedger(db, {
    now: options.now,
    retentionMs: options.retentionDays * DAY_MS,
    warn: options.warn,
  });
  const accounts = createAccountStates({
    db,
    now: options.now,
    onChange: options.onAccountChange,
  });
  return {
    ledger,
    keys: createSqliteKeyStore(db, { now: options.now }),
    prices: createPriceBook(db, options.now),
    accounts,
    close() {
      ledger.close();
      accounts.close();
    },
  };
}
