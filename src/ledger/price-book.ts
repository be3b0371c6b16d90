import type { CopilotModel } from "../protocols/copilot.js";
import type { SqlDatabase } from "../store/database.js";
import { readModelPrices, TOKEN_KINDS, type TokenPrices } from "./token-prices.js";

/**
 * The token prices to estimate a cost with when Copilot reports none: those Copilot itself
 * applied to the model's last answer that carried `copilot_usage` (kept in the database, so a
 * restart still knows them), else those the model list carries.
 */
export interface PriceBook {
  /** Copilot's prices as seen on an answer of `model`. */
  learn(model: string, prices: TokenPrices): void;
  pricesFor(model: CopilotModel): TokenPrices | undefined;
  /** Only the prices Copilot applied to an answer of `modelId`, if one was seen. */
  learnedPrices(modelId: string): TokenPrices | undefined;
}

interface PriceRow {
  readonly model: string;
  readonly prices: string;
}

export function createPriceBook(db: SqlDatabase | undefined, now: () => number): PriceBook {
  const learned = new Map<string, { prices: TokenPrices; saved: boolean }>();
  const upsert = db?.prepare(
    "INSERT INTO model_prices (model, prices, seen_at) VALUES (?, ?, ?) " +
      "ON CONFLICT(model) DO UPDATE SET prices = excluded.prices, seen_at = excluded.seen_at",
  );
  for (const row of db?.prepare<PriceRow>("SELECT model, prices FROM model_prices").all() ?? []) {
    try {
      learned.set(row.model, { prices: JSON.parse(row.prices) as TokenPrices, saved: true });
    } catch {
      // A row this version cannot read is learned again from the next answer.
    }
  }
  return {
    learn(model, prices) {
      if (Object.keys(prices).length === 0) return;
      // Every answer brings its prices, nearly always the ones already known.
      const known = learned.get(model);
      if (known?.saved === true && samePrices(known.prices, prices)) return;
      learned.set(model, { prices, saved: true });
      try {
        upsert?.run(model, JSON.stringify(prices), now());
      } catch {
        // Called once an answer is in: a busy or full database must not fail it. The prices stay
        // known in memory, and the next answer of the model tries to write them again.
        learned.set(model, { prices, saved: false });
      }
    },
    pricesFor(model) {
      return learned.get(model.id)?.prices ?? readModelPrices(model);
    },
    learnedPrices(modelId) {
      return learned.get(modelId)?.prices;
    },
  };
}

function samePrices(a: TokenPrices, b: TokenPrices): boolean {
  return TOKEN_KINDS.every(
    (kind) =>
      a[kind]?.costPerBatch === b[kind]?.costPerBatch && a[kind]?.batchSize === b[kind]?.batchSize,
  );
}
