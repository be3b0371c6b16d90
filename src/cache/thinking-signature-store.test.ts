import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
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

describe("createSqliteThinkingSignatureStore", () => {
  it("shares the token cache's file and survives a reopen", () => {
    const path = cachePath();
    const tokens = createSqliteTokenCache(path);
    const store = createSqliteThinkingSignatureStore(path);
    store.set("h1", SONNET);
    store.set("h1", OPUS);
    store.set("h2", SONNET);
    store.close();
    tokens.close();
    const reopened = createSqliteThinkingSignatureStore(path);
    expect([reopened.get("h1"), reopened.get("h2"), reopened.get("h3")]).toEqual([
      OPUS,
      SONNET,
      undefined,
    ]);
    reopened.close();
    const db = new Database(path, { readonly: true });
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    db.close();
    expect(tables).toEqual(["copilot_tokens", "thinking_signatures"]);
  });

  it("keeps at most its bound, trimming the oldest (on open and every 256 inserts)", () => {
    const path = cachePath();
    const big = createSqliteThinkingSignatureStore(path, 1_000);
    for (let index = 0; index < 300; index++) big.set(`h${index}`, SONNET);
    big.close();
    const small = createSqliteThinkingSignatureStore(path, 100);
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

describe("openThinkingSignatureStore", () => {
  it("uses memory when the cache is off", () => {
    const warnings: string[] = [];
    const store = openThinkingSignatureStore({
      enabled: false,
      path: cachePath(),
      warn: (message) => warnings.push(message),
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
    });
    store.set("h1", SONNET);
    expect([store.kind, store.get("h1")]).toEqual(["memory", SONNET]);
    expect(warnings).toEqual([
      `thinking signatures: cannot use SQLite at ${path} (file is not a database); remembering them in memory for this run`,
    ]);
  });
});
