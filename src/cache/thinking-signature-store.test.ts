import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../store/database.js";
import { availableSqliteDrivers } from "../store/sqlite-driver.js";
import { createSqliteTokenCache } from "./sqlite-token-cache.js";
import {
  createSqliteThinkingSignatureStore,
  openThinkingSignatureStore,
} from "./sqlite-thinking-signature-store.js";
import { createMemoryThinkingSignatureStore } from "./thinking-signature-store.js";

const SONNET = { model: "claude-sonnet-4.5", account: "acc1" };
const OPUS = { model: "claude-opus-4.5", account: "acc1" };

function cachePath(): string {
  return join(mkdtempSync(join(tmpdir(), "cogpt-signatures-")), "cache.sqlite3");
}

describe("createMemoryThinkingSignatureStore", () => {
  it("remembers origins and forgets the oldest past its bound", () => {
    const store = createMemoryThinkingSignatureStore(2);
    store.set("h1", SONNET);
    store.set("h2", OPUS);
    store.set("h1", SONNET); // seen again: now the youngest
    store.set("h3", OPUS);
    expect([store.get("h1"), store.get("h2"), store.get("h3")]).toEqual([SONNET, undefined, OPUS]);
  });
});

describe.each(availableSqliteDrivers())("createSqliteThinkingSignatureStore on %s", (driver) => {
  it("shares the token cache's file and survives a reopen", () => {
    const path = cachePath();
    const tokens = createSqliteTokenCache(path, { driver });
    const store = createSqliteThinkingSignatureStore(path, undefined, { driver });
    store.set("h1", SONNET);
    store.set("h1", OPUS);
    store.set("h2", SONNET);
    store.close();
    tokens.close();
    const reopened = createSqliteThinkingSignatureStore(path, undefined, { driver });
    expect([reopened.get("h1"), reopened.get("h2"), reopened.get("h3")]).toEqual([
      OPUS,
      SONNET,
      undefined,
    ]);
    reopened.close();
    const db = openDatabase(path, { driver });
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' " +
          "AND name IN ('copilot_tokens', 'thinking_signatures') ORDER BY name",
      )
      .all();
    db.close();
    expect(tables).toEqual([{ name: "copilot_tokens" }, { name: "thinking_signatures" }]);
  });

  it("keeps at most its bound, trimming the oldest (on open and every 256 inserts)", () => {
    const path = cachePath();
    const big = createSqliteThinkingSignatureStore(path, 1_000, { driver });
    for (let index = 0; index < 300; index++) big.set(`h${index}`, SONNET);
    big.close();
    const small = createSqliteThinkingSignatureStore(path, 100, { driver });
    expect([small.get("h199"), small.get("h200"), small.get("h299")]).toEqual([
      undefined,
      SONNET,
      SONNET,
    ]);
    for (let index = 300; index < 556; index++) small.set(`h${index}`, OPUS);
    expect([small.get("h455"), small.get("h456"), small.get("h555")]).toEqual([
      undefined,
      OPUS,
      OPUS,
    ]);
    small.close();
  });
});

describe.each(availableSqliteDrivers())("openThinkingSignatureStore on %s", (driver) => {
  it("uses memory when the cache is off", () => {
    const warnings: string[] = [];
    const store = openThinkingSignatureStore({
      enabled: false,
      path: cachePath(),
      warn: (message) => warnings.push(message),
      driver,
    });
    expect(store.kind).toBe("memory");
    expect(warnings).toEqual([]);
  });

  it("falls back to memory, with one warning, when the file is not a database", () => {
    const path = cachePath();
    writeFileSync(path, "not a database, just text that is long enough to be read as a header");
    const warnings: string[] = [];
    const store = openThinkingSignatureStore({
      enabled: true,
      path,
      warn: (message) => warnings.push(message),
      driver,
    });
    store.set("h1", SONNET);
    expect([store.kind, store.get("h1")]).toEqual(["memory", SONNET]);
    expect(warnings).toEqual([
      `thinking signatures: cannot use SQLite at ${path} (file is not a database); remembering them in memory for this run`,
    ]);
  });
});
