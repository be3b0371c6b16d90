import { createHash, randomBytes as cryptoRandomBytes } from "node:crypto";
import type { SqlDatabase, SqlValue } from "../store/database.js";
import { isValidName, NAME_RULE } from "./key-name.js";
import {
  MANAGED_KEY_PREFIX,
  newKeyOf,
  type KeyChanges,
  type KeyStore,
  type ManagedKey,
  type NewKey,
} from "./managed-key.js";

/** Why the key store refused: a plain sentence for the owner, and a code for the caller. */
export class KeyStoreError extends Error {
  readonly code: "invalid" | "duplicate" | "not_found" | "revoked";

  constructor(code: KeyStoreError["code"], message: string) {
    super(message);
    this.name = "KeyStoreError";
    this.code = code;
  }
}

export interface SqliteKeyStoreOptions {
  /** Epoch milliseconds. */
  readonly now?: () => number;
  readonly randomBytes?: (size: number) => Buffer;
}

interface KeyRow {
  readonly id: string;
  readonly name: string;
  readonly account: string | null;
  readonly created_at: number;
  readonly expires_at: number | null;
  readonly revoked_at: number | null;
  readonly nano_credits_per_day: number | null;
  readonly nano_credits_per_month: number | null;
  readonly requests_per_minute: number | null;
  readonly concurrency: number | null;
  readonly models: string | null;
  readonly fallback_model: string | null;
}

const COLUMNS =
  "id, name, account, created_at, expires_at, revoked_at, nano_credits_per_day, " +
  "nano_credits_per_month, requests_per_minute, concurrency, models, fallback_model";

/** The SHA-256 (hex) under which a secret is stored and looked up. */
export function hashKeySecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/**
 * Managed keys in the gateway's SQLite database (table `api_keys`). A secret is
 * `cogpt-` + 32 random bytes in base64url, returned once by `create` and stored only as its
 * SHA-256, so the database file cannot give a key away. A name is unique among the keys not
 * revoked; `findByName`, `update` and `revoke` act on that live key.
 */
export function createSqliteKeyStore(
  db: SqlDatabase,
  options: SqliteKeyStoreOptions = {},
): KeyStore {
  const now = options.now ?? Date.now;
  const randomBytes = options.randomBytes ?? cryptoRandomBytes;
  const insert = db.prepare(
    "INSERT INTO api_keys (id, name, secret_hash, account, created_at, expires_at, revoked_at, " +
      "nano_credits_per_day, nano_credits_per_month, requests_per_minute, concurrency, models, " +
      "fallback_model) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)",
  );
  const selectAll = db.prepare<KeyRow>(
    `SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, name, id`,
  );
  // The live key first, else the key of that name revoked last.
  const selectByName = db.prepare<KeyRow>(
    `SELECT ${COLUMNS} FROM api_keys WHERE name = ? ` +
      "ORDER BY revoked_at IS NULL DESC, revoked_at DESC, created_at DESC LIMIT 1",
  );
  const selectLiveByName = db.prepare<KeyRow>(
    `SELECT ${COLUMNS} FROM api_keys WHERE name = ? AND revoked_at IS NULL`,
  );
  const selectBySecretHash = db.prepare<KeyRow>(
    `SELECT ${COLUMNS} FROM api_keys WHERE secret_hash = ?`,
  );
  const selectById = db.prepare<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`);
  const revokeById = db.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ?");

  function requireLive(name: string): KeyRow {
    const live = selectLiveByName.get(name);
    if (live !== undefined) return live;
    const revoked = selectByName.get(name);
    if (revoked !== undefined) {
      throw new KeyStoreError("revoked", `key "${name}" is revoked; it cannot be changed`);
    }
    throw new KeyStoreError("not_found", `no key named "${name}"`);
  }

  return {
    create(key: NewKey) {
      checkName(key.name, "key name");
      if (key.account !== undefined) checkName(key.account, "account name");
      checkLimits(key);
      if (key.expiresAt !== undefined) checkTime(key.expiresAt, "expiry");
      const secret = MANAGED_KEY_PREFIX + randomBytes(32).toString("base64url");
      const id = `key_${randomBytes(4).toString("hex")}`;
      const createdAt = now();
      return db.transaction(() => {
        if (selectLiveByName.get(key.name) !== undefined) {
          throw new KeyStoreError(
            "duplicate",
            `a key named "${key.name}" exists already: pick another name, or revoke it first`,
          );
        }
        insert.run(
          id,
          key.name,
          hashKeySecret(secret),
          key.account ?? null,
          createdAt,
          key.expiresAt ?? null,
          key.nanoCreditsPerDay ?? null,
          key.nanoCreditsPerMonth ?? null,
          key.requestsPerMinute ?? null,
          key.concurrency ?? null,
          key.models === undefined ? null : JSON.stringify(key.models),
          key.fallbackModel ?? null,
        );
        return { key: toManagedKey(mustGet(selectById.get(id))), secret };
      });
    },
    list() {
      return selectAll.all().map(toManagedKey);
    },
    findByName(name) {
      const row = selectByName.get(name);
      return row === undefined ? undefined : toManagedKey(row);
    },
    findBySecret(secret) {
      const row = selectBySecretHash.get(hashKeySecret(secret));
      return row === undefined ? undefined : toManagedKey(row);
    },
    update(name: string, changes: KeyChanges) {
      const assignments = toAssignments(changes);
      return db.transaction(() => {
        const row = requireLive(name);
        if (assignments.length > 0) {
          const columns = assignments.map(([column]) => `${column} = ?`).join(", ");
          db.prepare(`UPDATE api_keys SET ${columns} WHERE id = ?`).run(
            ...assignments.map(([, value]) => value),
            row.id,
          );
        }
        return toManagedKey(mustGet(selectById.get(row.id)));
      });
    },
    revoke(name) {
      return db.transaction(() => {
        const row = selectLiveByName.get(name);
        if (row === undefined) {
          // Revoking twice is no error: the key stays revoked since the first time.
          const revoked = selectByName.get(name);
          if (revoked !== undefined) return toManagedKey(revoked);
          throw new KeyStoreError("not_found", `no key named "${name}"`);
        }
        revokeById.run(now(), row.id);
        return toManagedKey(mustGet(selectById.get(row.id)));
      });
    },
  };
}

/** The columns `update` sets, checked; a null clears the limit. */
function toAssignments(changes: KeyChanges): [string, SqlValue][] {
  const assignments: [string, SqlValue][] = [];
  const set = (column: string, value: SqlValue | undefined) => {
    if (value !== undefined) assignments.push([column, value]);
  };
  if (typeof changes.account === "string") checkName(changes.account, "account name");
  if (typeof changes.expiresAt === "number") checkTime(changes.expiresAt, "expiry");
  checkLimits(newKeyOf("", changes));
  set("account", changes.account);
  set("expires_at", changes.expiresAt);
  set("nano_credits_per_day", changes.nanoCreditsPerDay);
  set("nano_credits_per_month", changes.nanoCreditsPerMonth);
  set("requests_per_minute", changes.requestsPerMinute);
  set("concurrency", changes.concurrency);
  set(
    "models",
    changes.models === undefined || changes.models === null
      ? changes.models
      : JSON.stringify(changes.models),
  );
  set("fallback_model", changes.fallbackModel);
  return assignments;
}

function checkName(name: string, what: string): void {
  if (!isValidName(name)) {
    throw new KeyStoreError("invalid", `${what} ${JSON.stringify(name)}: expected ${NAME_RULE}`);
  }
}

function checkLimits(limits: Omit<NewKey, "name" | "account" | "expiresAt">): void {
  checkWhole(limits.nanoCreditsPerDay, "credits per day", 0);
  checkWhole(limits.nanoCreditsPerMonth, "credits per month", 0);
  checkWhole(limits.requestsPerMinute, "requests per minute", 1);
  checkWhole(limits.concurrency, "concurrency", 1);
  if (limits.models !== undefined) {
    if (limits.models.length === 0 || limits.models.some((pattern) => pattern.trim() === "")) {
      throw new KeyStoreError("invalid", "models: expected one or more non-empty patterns");
    }
  }
  if (limits.fallbackModel !== undefined && limits.fallbackModel.trim() === "") {
    throw new KeyStoreError("invalid", "fallback model: expected a model name");
  }
}

function checkWhole(value: number | undefined, what: string, least: number): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < least) {
    throw new KeyStoreError("invalid", `${what}: expected a whole number of at least ${least}`);
  }
}

function checkTime(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new KeyStoreError("invalid", `${what}: expected epoch milliseconds`);
  }
}

function mustGet(row: KeyRow | undefined): KeyRow {
  if (row === undefined) throw new Error("api_keys: a row just written is missing");
  return row;
}

function toManagedKey(row: KeyRow): ManagedKey {
  return {
    id: row.id,
    name: row.name,
    account: row.account ?? undefined,
    createdAt: row.created_at,
    expiresAt: row.expires_at ?? undefined,
    revokedAt: row.revoked_at ?? undefined,
    nanoCreditsPerDay: row.nano_credits_per_day ?? undefined,
    nanoCreditsPerMonth: row.nano_credits_per_month ?? undefined,
    requestsPerMinute: row.requests_per_minute ?? undefined,
    concurrency: row.concurrency ?? undefined,
    models: row.models === null ? undefined : parseModels(row.models),
    fallbackModel: row.fallback_model ?? undefined,
  };
}

function parseModels(text: string): readonly string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw new Error("api_keys.models: expected a JSON array of strings");
  }
  return value;
}
