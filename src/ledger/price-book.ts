import type { CopilotModel } from "../protocols/copilot.js";
import type { SqlDatabase } from "../store/database.js";
import { readModelPrices, type TokenPrices } from "./token-prices.js";

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
  const learned = new Map<string, { prices: TokenPrices; json: string }>();
  const upsert = db?.prepare(
    "INSERT INTO model_prices (model, prices, seen_at) VALUES (?, ?, ?) " +
      "ON CONFLICT(model) DO UPDATE SET prices = excluded.prices, seen_at = excluded.seen_at",
  );
  for (const row of db?.prepare<PriceRow>("SELECT model, prices FROM model_prices").all() ?? []) {
    try {
      learned.set(row.model, { prices: JSON.parse(row.prices) as TokenPrices, json: row.prices });
    } catch {
      // A row this version cannot read is learned again from the next answer.
    }
  }
  return {
    learn(model, prices) {
      if (Object.keys(prices).length === 0) return;
      const json = JSON.stringify(prices);
      if (learned.get(model)?.json === json) return;
      learned.set(model, { prices, json });
      try {
        upsert?.run(model, json, now());
      } catch {
        // Called once an answer is in: a busy or full database must not fail it. The prices stay
        // known in memory, and the next answer of the model tries to write them again.
        learned.set(model, { prices, json: "" });
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
