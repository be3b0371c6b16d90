import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../store/database.js";
import { availableSqliteDrivers } from "../store/sqlite-driver.js";
import { createMemoryTokenCache } from "./memory-token-cache.js";
import { createSqliteTokenCache } from "./sqlite-token-cache.js";
import type { CachedCopilotToken, TokenCache } from "./token-cache.js";

const farFuture = 4_000_000_000;

const tokenA: CachedCopilotToken = {
  token: "tid=a;exp=4000000000:sig",
  expiresAt: farFuture,
  refreshIn: 1500,
  obtainedAt: 1_764_000_000,
  apiUrl: "https://api.individual.githubcopilot.com",
  sku: "free_limited_copilot",
};

const tokenB: CachedCopilotToken = {
  token: "tid=b;exp=4000000000:sig",
  expiresAt: farFuture,
  refreshIn: 1500,
  obtainedAt: 1_764_000_100,
  apiUrl: undefined,
  sku: undefined,
};

let directory: string;
const opened: TokenCache[] = [];

function track(cache: TokenCache): TokenCache {
  opened.push(cache);
  return cache;
}

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "cogpt-cache-"));
});

afterEach(() => {
  for (const cache of opened.splice(0)) cache.close();
  rmSync(directory, { recursive: true, force: true });
});

describe.each([
  { name: "memory", label: "memory", create: () => createMemoryTokenCache() },
  ...availableSqliteDrivers().map((driver) => ({
    name: "sqlite",
    label: `sqlite (${driver})`,
    create: () => createSqliteTokenCache(join(directory, "tokens.db"), { driver }),
  })),
])("$label token cache", ({ name, create }) => {
  it("reports its kind", () => {
    expect(track(create()).kind).toEqual(name);
  });

  it("returns exactly what was set, per key", () => {
    const cache = track(create());
    cache.set("key-a", tokenA);
    cache.set("key-b", tokenB);
    expect(cache.get("key-a")).toEqual(tokenA);
    expect(cache.get("key-b")).toEqual(tokenB);
    expect(cache.get("key-c")).toEqual(undefined);
  });

  it("replaces a value on set and forgets it on delete", () => {
    const cache = track(create());
    cache.set("key", tokenA);
    cache.set("key", tokenB);
    expect(cache.get("key")).toEqual(tokenB);
    cache.delete("key");
    expect(cache.get("key")).toEqual(undefined);
    cache.delete("missing");
  });
});

describe.each(availableSqliteDrivers())("createSqliteTokenCache on %s", (driver) => {
  const open = (path: string) => createSqliteTokenCache(path, { driver });
  const inspect = (path: string) => openDatabase(path, { driver });

  it("keeps tokens across close and reopen", () => {
    const path = join(directory, "tokens.db");
    const first = open(path);
    first.set("key", tokenA);
    first.close();
    expect(track(open(path)).get("key")).toEqual(tokenA);
  });

  it("purges expired rows on open", () => {
    const path = join(directory, "tokens.db");
    const first = open(path);
    first.set("expired", { ...tokenA, expiresAt: 1000 });
    first.set("fresh", tokenB);
    first.close();
    const inspector = inspect(path);
    const rowsBefore = inspector.prepare("SELECT key FROM copilot_tokens ORDER BY key").all();
    inspector.close();
    expect(rowsBefore).toEqual([{ key: "expired" }, { key: "fresh" }]);

    const second = track(open(path));
    expect(second.get("expired")).toEqual(undefined);
    expect(second.get("fresh")).toEqual(tokenB);
  });

  it("creates the directory 0700 and the file 0600, in WAL mode", () => {
    const path = join(directory, "nested", "deeper", "tokens.db");
    track(open(path));
    expect(statSync(join(directory, "nested")).mode & 0o777).toEqual(0o700);
    expect(statSync(join(directory, "nested", "deeper")).mode & 0o777).toEqual(0o700);
    expect(statSync(path).mode & 0o777).toEqual(0o600);
    const inspector = inspect(path);
    const journalMode = inspector.prepare("PRAGMA journal_mode").get();
    inspector.close();
    expect(journalMode).toEqual({ journal_mode: "wal" });
  });

  it("narrows an existing file to 0600", () => {
    const path = join(directory, "tokens.db");
    writeFileSync(path, "", { mode: 0o644 });
    expect(statSync(path).mode & 0o777).toEqual(0o644);
    track(open(path));
    expect(statSync(path).mode & 0o777).toEqual(0o600);
  });

  it("lets two instances on one file see each other's writes", () => {
    const path = join(directory, "tokens.db");
    const one = track(open(path));
    const two = track(open(path));
    one.set("key", tokenA);
    expect(two.get("key")).toEqual(tokenA);
    two.set("key", tokenB);
    expect(one.get("key")).toEqual(tokenB);
    one.delete("key");
    expect(two.get("key")).toEqual(undefined);
  });

  it("drops rows whose JSON is broken or of the wrong shape", () => {
    const path = join(directory, "tokens.db");
    const cache = track(open(path));
    const writer = inspect(path);
    const insert = writer.prepare(
      "INSERT INTO copilot_tokens (key, value, expires_at) VALUES (?, ?, ?)",
    );
    insert.run("broken", "{not json", farFuture);
    insert.run("wrong-shape", JSON.stringify({ token: 42 }), farFuture);
    writer.close();

    expect(cache.get("broken")).toEqual(undefined);
    expect(cache.get("wrong-shape")).toEqual(undefined);
    const inspector = inspect(path);
    const rows = inspector.prepare("SELECT key FROM copilot_tokens").all();
    inspector.close();
    expect(rows).toEqual([]);
  });
});
