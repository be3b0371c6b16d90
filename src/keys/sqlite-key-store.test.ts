import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type SqlDatabase } from "../store/database.js";
import { SCHEMA_VERSION } from "../store/migrations.js";
import {
  availableSqliteDrivers,
  loadSqliteDriver,
  type SqliteDriverName,
} from "../store/sqlite-driver.js";
import type { ManagedKey } from "./managed-key.js";
import { createSqliteKeyStore, hashKeySecret, KeyStoreError } from "./sqlite-key-store.js";

const T0 = Date.UTC(2026, 6, 1, 12, 0, 0);
const SECRET_1 = "cogpt-AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE";
const SECRET_3 = "cogpt-AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM";

const NO_LIMITS = {
  account: undefined,
  expiresAt: undefined,
  revokedAt: undefined,
  nanoCreditsPerDay: undefined,
  nanoCreditsPerMonth: undefined,
  requestsPerMinute: undefined,
  concurrency: undefined,
  models: undefined,
  fallbackModel: undefined,
};

/** The driver of the block running (each block runs once per driver this Node has). */
let driver: SqliteDriverName | undefined;
const opened: SqlDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function open(path = ":memory:"): SqlDatabase {
  const db = openDatabase(path, { driver });
  opened.push(db);
  return db;
}

/** Each call's bytes are all the call's number (1, 2, …): secrets and ids are known in advance. */
function countingBytes(): (size: number) => Buffer {
  let calls = 0;
  return (size) => Buffer.alloc(size, (calls += 1));
}

function makeStore(db = open(), clock = { now: T0 }) {
  return createSqliteKeyStore(db, { now: () => clock.now, randomBytes: countingBytes() });
}

function errorOf(work: () => unknown): { code: string; message: string } {
  try {
    work();
  } catch (error) {
    if (error instanceof KeyStoreError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a KeyStoreError");
}

describe.each(availableSqliteDrivers())("createSqliteKeyStore on %s", (name) => {
  beforeAll(() => {
    driver = name;
  });

  it("creates a key: the secret once, only its SHA-256 stored", () => {
    const db = open();
    const store = makeStore(db);
    const created = store.create({
      name: "alice",
      account: "work",
      expiresAt: T0 + 86_400_000,
      nanoCreditsPerDay: 12_500_000_000,
      nanoCreditsPerMonth: 300_000_000_000,
      requestsPerMinute: 60,
      concurrency: 4,
      models: ["gpt-*", "claude-sonnet-*"],
      fallbackModel: "gpt-4.1",
    });
    const alice: ManagedKey = {
      id: "key_02020202",
      name: "alice",
      account: "work",
      createdAt: T0,
      expiresAt: T0 + 86_400_000,
      revokedAt: undefined,
      nanoCreditsPerDay: 12_500_000_000,
      nanoCreditsPerMonth: 300_000_000_000,
      requestsPerMinute: 60,
      concurrency: 4,
      models: ["gpt-*", "claude-sonnet-*"],
      fallbackModel: "gpt-4.1",
    };
    expect(created).toEqual({ key: alice, secret: SECRET_1 });
    expect(db.prepare("SELECT secret_hash, models FROM api_keys").all()).toEqual([
      {
        secret_hash: "03c5e1974dfe2146ffb227cc1b46ac10795958649deb0ce2bf9e26da2647d168",
        models: '["gpt-*","claude-sonnet-*"]',
      },
    ]);
    expect(hashKeySecret(SECRET_1)).toBe(
      "03c5e1974dfe2146ffb227cc1b46ac10795958649deb0ce2bf9e26da2647d168",
    );
    expect(store.findBySecret(SECRET_1)).toEqual(alice);
    expect(store.findByName("alice")).toEqual(alice);
  });

  it("makes a 43-character base64url secret and an 8-hex id from real randomness", () => {
    const store = createSqliteKeyStore(open());
    const { key, secret } = store.create({ name: "bob" });
    expect(secret).toMatch(/^cogpt-[A-Za-z0-9_-]{43}$/);
    expect(key.id).toMatch(/^key_[0-9a-f]{8}$/);
    expect(store.findBySecret(secret)?.name).toBe("bob");
  });

  it("finds nothing for an unknown secret, a name or a hash", () => {
    const db = open();
    const store = makeStore(db);
    store.create({ name: "alice" });
    expect(store.findBySecret(SECRET_3)).toBeUndefined();
    expect(store.findBySecret("alice")).toBeUndefined();
    expect(store.findBySecret(hashKeySecret(SECRET_1))).toBeUndefined();
    expect(store.findByName("bob")).toBeUndefined();
  });

  it("looks secrets up through the unique index, not a scan", () => {
    const db = open();
    const plan = db
      .prepare<{ detail: string }>(
        "EXPLAIN QUERY PLAN SELECT id FROM api_keys WHERE secret_hash = ?",
      )
      .all("x")
      .map((row) => row.detail);
    expect(plan).toEqual([
      "SEARCH api_keys USING INDEX sqlite_autoindex_api_keys_2 (secret_hash=?)",
    ]);
  });

  it("refuses a duplicate name, with a plain message, and keeps the first key", () => {
    const store = makeStore();
    store.create({ name: "alice", requestsPerMinute: 5 });
    expect(errorOf(() => store.create({ name: "alice" }))).toEqual({
      code: "duplicate",
      message: 'a key named "alice" exists already: pick another name, or revoke it first',
    });
    expect(store.list().map((key) => [key.name, key.requestsPerMinute])).toEqual([["alice", 5]]);
  });

  it.each([
    [
      "",
      "key name \"\": expected 1-64 characters: letters, digits, '.', '_' or '-' (not '.' or '..')",
    ],
    [
      "a b",
      "key name \"a b\": expected 1-64 characters: letters, digits, '.', '_' or '-' (not '.' or '..')",
    ],
    [
      "x".repeat(65),
      `key name "${"x".repeat(65)}": expected 1-64 characters: letters, digits, '.', '_' or '-' (not '.' or '..')`,
    ],
  ])("refuses the name %j", (name, message) => {
    expect(errorOf(() => makeStore().create({ name }))).toEqual({ code: "invalid", message });
  });

  it.each([
    [{ nanoCreditsPerDay: -1 }, "credits per day: expected a whole number of at least 0"],
    [{ nanoCreditsPerMonth: 1.5 }, "credits per month: expected a whole number of at least 0"],
    [{ requestsPerMinute: 0 }, "requests per minute: expected a whole number of at least 1"],
    [{ concurrency: 2 ** 53 }, "concurrency: expected a whole number of at least 1"],
    [{ models: [] }, "models: expected one or more non-empty patterns"],
    [{ models: ["gpt-*", " "] }, "models: expected one or more non-empty patterns"],
    [{ fallbackModel: "" }, "fallback model: expected a model name"],
    [
      { account: "../x" },
      `account name "../x": expected 1-64 characters: letters, digits, '.', '_' or '-' (not '.' or '..')`,
    ],
    [{ expiresAt: Number.NaN }, "expiry: expected epoch milliseconds"],
  ])("refuses the limits %j", (limits, message) => {
    const store = makeStore();
    expect(errorOf(() => store.create({ name: "alice", ...limits }))).toEqual({
      code: "invalid",
      message,
    });
    expect(store.list()).toEqual([]);
  });

  it("lists keys in the order they were made", () => {
    const clock = { now: T0 };
    const store = makeStore(open(), clock);
    store.create({ name: "zed" });
    clock.now += 1_000;
    store.create({ name: "alice", concurrency: 2 });
    expect(store.list()).toEqual([
      { ...NO_LIMITS, id: "key_02020202", name: "zed", createdAt: T0 },
      { ...NO_LIMITS, id: "key_04040404", name: "alice", createdAt: T0 + 1_000, concurrency: 2 },
    ]);
  });

  it("updates the fields given, clears those set to null, keeps the rest", () => {
    const store = makeStore();
    store.create({
      name: "alice",
      account: "work",
      expiresAt: T0 + 1_000,
      nanoCreditsPerDay: 5_000_000_000,
      requestsPerMinute: 60,
      models: ["gpt-*"],
      fallbackModel: "gpt-4.1",
    });
    const updated = store.update("alice", {
      account: null,
      expiresAt: null,
      nanoCreditsPerDay: 100_000_000,
      nanoCreditsPerMonth: 7,
      requestsPerMinute: undefined,
      models: ["claude-*", "o?"],
      fallbackModel: null,
    });
    const expected: ManagedKey = {
      ...NO_LIMITS,
      id: "key_02020202",
      name: "alice",
      createdAt: T0,
      nanoCreditsPerDay: 100_000_000,
      nanoCreditsPerMonth: 7,
      requestsPerMinute: 60,
      models: ["claude-*", "o?"],
    };
    expect(updated).toEqual(expected);
    expect(store.findBySecret(SECRET_1)).toEqual(expected);
    expect(store.update("alice", {})).toEqual(expected);
  });

  it("refuses an update of an unknown or revoked key, or with a bad limit, changing nothing", () => {
    const store = makeStore();
    store.create({ name: "alice", concurrency: 3 });
    expect(errorOf(() => store.update("bob", { concurrency: 1 }))).toEqual({
      code: "not_found",
      message: 'no key named "bob"',
    });
    expect(errorOf(() => store.update("alice", { concurrency: 0 }))).toEqual({
      code: "invalid",
      message: "concurrency: expected a whole number of at least 1",
    });
    expect(errorOf(() => store.update("alice", { account: "a/b" })).code).toBe("invalid");
    expect(store.findByName("alice")?.concurrency).toBe(3);
    store.revoke("alice");
    expect(errorOf(() => store.update("alice", { concurrency: 1 }))).toEqual({
      code: "revoked",
      message: 'key "alice" is revoked; it cannot be changed',
    });
  });

  it("revokes: the key is still found (the caller refuses it), revoking again keeps the time", () => {
    const clock = { now: T0 };
    const store = makeStore(open(), clock);
    store.create({ name: "alice" });
    clock.now = T0 + 5_000;
    const revoked = {
      ...NO_LIMITS,
      id: "key_02020202",
      name: "alice",
      createdAt: T0,
      revokedAt: T0 + 5_000,
    };
    expect(store.revoke("alice")).toEqual(revoked);
    clock.now = T0 + 9_000;
    expect(store.revoke("alice")).toEqual(revoked);
    expect(store.findBySecret(SECRET_1)).toEqual(revoked);
    expect(errorOf(() => store.revoke("bob"))).toEqual({
      code: "not_found",
      message: 'no key named "bob"',
    });
  });

  it("frees a revoked key's name for a new key; the name then finds the new one", () => {
    const clock = { now: T0 };
    const store = makeStore(open(), clock);
    store.create({ name: "alice" });
    clock.now = T0 + 1_000;
    store.revoke("alice");
    clock.now = T0 + 2_000;
    const second = store.create({ name: "alice", concurrency: 1 });
    expect(second).toEqual({
      key: {
        ...NO_LIMITS,
        id: "key_04040404",
        name: "alice",
        createdAt: T0 + 2_000,
        concurrency: 1,
      },
      secret: SECRET_3,
    });
    expect(store.findByName("alice")?.id).toBe("key_04040404");
    expect(store.findBySecret(SECRET_1)?.revokedAt).toBe(T0 + 1_000);
    expect(store.list().map((key) => [key.id, key.revokedAt])).toEqual([
      ["key_02020202", T0 + 1_000],
      ["key_04040404", undefined],
    ]);
    expect(store.update("alice", { concurrency: 2 }).id).toBe("key_04040404");
  });
});

describe.each(availableSqliteDrivers())("keys in a database file on %s", (name) => {
  beforeAll(() => {
    driver = name;
  });

  const directory = mkdtempSync(join(tmpdir(), "cogpt-keys-"));

  it("survive closing and opening the file again", () => {
    const path = join(directory, "reopen.sqlite3");
    const first = openDatabase(path, { driver });
    const { key, secret } = makeStore(first).create({ name: "alice", nanoCreditsPerDay: 1 });
    first.close();
    const store = createSqliteKeyStore(open(path));
    expect(store.findBySecret(secret)).toEqual(key);
    expect(store.list()).toEqual([key]);
  });

  it("upgrade a database the token cache made before versions, keeping its rows", () => {
    const path = join(directory, "old.sqlite3");
    // Opened bare (no migrations), as the cache opened it before the schema had versions.
    const old = loadSqliteDriver(name).open(path);
    old.exec(
      "CREATE TABLE copilot_tokens (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL);" +
        "CREATE TABLE thinking_signatures (hash TEXT PRIMARY KEY, model TEXT NOT NULL, account TEXT NOT NULL);" +
        "INSERT INTO copilot_tokens VALUES ('k1', '{\"token\":\"t\"}', 4102444800);" +
        "INSERT INTO thinking_signatures VALUES ('h1', 'claude-sonnet-4.5', 'acct');",
    );
    expect(old.prepare("PRAGMA user_version").get()).toEqual({ user_version: 0 });
    old.close();

    const db = open(path);
    expect(db.prepare("PRAGMA user_version").get()).toEqual({ user_version: SCHEMA_VERSION });
    expect(SCHEMA_VERSION).toBe(3);
    expect(db.prepare("SELECT * FROM copilot_tokens").all()).toEqual([
      { key: "k1", value: '{"token":"t"}', expires_at: 4102444800 },
    ]);
    expect(db.prepare("SELECT * FROM thinking_signatures").all()).toEqual([
      { hash: "h1", model: "claude-sonnet-4.5", account: "acct" },
    ]);
    const store = makeStore(db);
    store.create({ name: "alice" });
    expect(store.findBySecret(SECRET_1)?.name).toBe("alice");
  });
});
