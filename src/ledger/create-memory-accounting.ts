import { createAccountStates } from "../copilot/account-states.js";
import type { KeyStore } from "../keys/managed-key.js";
import { KeyStoreError } from "../keys/sqlite-key-store.js";
import type { Accounting, AccountingOptions } from "./create-accounting.js";
import { createMemoryLedger } from "./memory-ledger.js";
import { createPriceBook } from "./price-book.js";

/**
 * Accounting for a process where no SQLite driver loads (Node 20 without a built better-sqlite3):
 * the ledger, prices and account limits live in memory for this run, and there are no managed
 * keys (they are made with `cogpt keys`, into the database), so only the configured keys sign in.
 */
export function createMemoryAccounting(options: AccountingOptions): Accounting {
  const ledger = createMemoryLedger();
  const accounts = createAccountStates({
    db: undefined,
    now: options.now,
    onChange: options.onAccountChange,
  });
  return {
    ledger,
    keys: createNoManagedKeys(),
    prices: createPriceBook(undefined, options.now),
    accounts,
    close() {
      ledger.close();
      accounts.close();
    },
  };
}

function createNoManagedKeys(): KeyStore {
  const refuse = (): never => {
    throw new KeyStoreError(
      "invalid",
      "managed keys live in the SQLite database, which this process cannot open",
    );
  };
  return {
    create: refuse,
    list: () => [],
    findByName: () => undefined,
    findBySecret: () => undefined,
    update: refuse,
    revoke: refuse,
  };
}
