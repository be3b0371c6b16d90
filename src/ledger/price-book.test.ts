import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CopilotModel } from "../protocols/copilot.js";
import { openDatabase, type SqlDatabase } from "../store/database.js";
import { createPriceBook } from "./price-book.js";

const learned = {
  input: { costPerBatch: 175000000000, batchSize: 1000000 },
  output: { costPerBatch: 1400000000000, batchSize: 1000000 },
};
const catalog = {
  id: "gpt-5.3-codex",
  billing: {
    multiplier: 1,
    tokenPrices: [{ token_type: "input", cost_per_batch: 1, batch_size: 1000 }],
  },
} as CopilotModel;
const unpriced = { id: "claude-sonnet-4", billing: { multiplier: 1 } } as CopilotModel;

describe("createPriceBook", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "cogpt-price-book-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("uses the model list's prices until Copilot's own are learned", () => {
    const prices = createPriceBook(undefined, () => 0);
    expect(prices.pricesFor(catalog)).toEqual({ input: { costPerBatch: 1, batchSize: 1000 } });
    expect(prices.pricesFor(unpriced)).toBeUndefined();
    expect(prices.learnedPrices("gpt-5.3-codex")).toBeUndefined();
    prices.learn("gpt-5.3-codex", learned);
    expect(prices.pricesFor(catalog)).toEqual(learned);
    expect(prices.learnedPrices("gpt-5.3-codex")).toEqual(learned);
    expect(prices.pricesFor(unpriced)).toBeUndefined();
  });

  it("ignores an empty set of prices", () => {
    const prices = createPriceBook(undefined, () => 0);
    prices.learn("gpt-5.3-codex", {});
    expect(prices.pricesFor(catalog)).toEqual({ input: { costPerBatch: 1, batchSize: 1000 } });
  });

  it("keeps learned prices across a reopen of the database, with when they were seen", () => {
    const path = join(dir, "cogpt.sqlite");
    const first = openDatabase(path);
    const book = createPriceBook(first, () => 1_000);
    book.learn("gpt-5.3-codex", learned);
    book.learn("claude-sonnet-4", { output: { costPerBatch: 15, batchSize: 10 } });
    first.close();

    let at = 2_000;
    const second = openDatabase(path);
    const reopened = createPriceBook(second, () => at);
    expect(reopened.pricesFor(catalog)).toEqual(learned);
    expect(reopened.pricesFor(unpriced)).toEqual({ output: { costPerBatch: 15, batchSize: 10 } });
    // The same prices again are not rewritten; new ones replace the old.
    reopened.learn("gpt-5.3-codex", learned);
    at = 3_000;
    reopened.learn("claude-sonnet-4", { output: { costPerBatch: 16, batchSize: 10 } });
    expect(
      second.prepare("SELECT model, prices, seen_at FROM model_prices ORDER BY model").all(),
    ).toEqual([
      {
        model: "claude-sonnet-4",
        prices: '{"output":{"costPerBatch":16,"batchSize":10}}',
        seen_at: 3_000,
      },
      { model: "gpt-5.3-codex", prices: JSON.stringify(learned), seen_at: 1_000 },
    ]);
    second.close();
  });

  it("keeps learning in memory when the database cannot be written, and writes on the next answer", () => {
    const db = openDatabase(":memory:");
    let broken = true;
    const failing: SqlDatabase = {
      ...db,
      path: db.path,
      exec: (sql) => db.exec(sql),
      close: () => db.close(),
      transaction: (work) => db.transaction(work),
      prepare<Row>(sql: string) {
        const statement = db.prepare<Row>(sql);
        return {
          get: (...params) => statement.get(...params),
          all: (...params) => statement.all(...params),
          run: (...params) => {
            if (broken) throw new Error("database is locked");
            return statement.run(...params);
          },
        };
      },
    };
    const prices = createPriceBook(failing, () => 5);
    expect(() => prices.learn("gpt-5.3-codex", learned)).not.toThrow();
    expect(prices.pricesFor(catalog)).toEqual(learned);
    broken = false;
    prices.learn("gpt-5.3-codex", learned);
    expect(db.prepare("SELECT model FROM model_prices").all()).toEqual([
      { model: "gpt-5.3-codex" },
    ]);
    db.close();
  });

  it("skips a stored row it cannot read and learns it again", () => {
    const db = openDatabase(":memory:");
    db.prepare("INSERT INTO model_prices (model, prices, seen_at) VALUES (?, ?, ?)").run(
      "gpt-5.3-codex",
      "{not json",
      1,
    );
    const prices = createPriceBook(db, () => 5);
    expect(prices.pricesFor(catalog)).toEqual({ input: { costPerBatch: 1, batchSize: 1000 } });
    prices.learn("gpt-5.3-codex", learned);
    expect(createPriceBook(db, () => 6).pricesFor(catalog)).toEqual(learned);
    db.close();
  });
});
