import type { AnswerUsage } from "../dialects/dialect.js";
import type { CopilotModel, Initiator } from "../protocols/copilot.js";
import type { CreditsSource } from "./ledger-entry.js";
import type { PriceBook } from "./price-book.js";
import { priceTokens, readCopilotUsage, type TokenCounts } from "./token-prices.js";

/** What one answer cost, as the ledger records it. */
export interface AnswerCost {
  readonly tokens: TokenCounts;
  readonly reasoningTokens: number;
  readonly nanoCredits: number;
  readonly creditsSource: CreditsSource;
  /** Premium requests for an account on request billing: the model's multiplier, user turns only. */
  readonly premiumRequests: number;
}

/**
 * The cost of an answer: Copilot's own figure when it sent `copilot_usage` (and its prices are
 * learned for later estimates), else the tokens priced at the model's known prices ("estimate"),
 * else "unknown" with the tokens alone.
 */
export function costOfAnswer(
  usage: AnswerUsage | undefined,
  model: CopilotModel | undefined,
  initiator: Initiator | undefined,
  prices: PriceBook,
): AnswerCost {
  const reported = readCopilotUsage(usage?.copilotUsage);
  // Copilot's own split when it gives one: usage's prompt count says nothing of cache writes on
  // some endpoints (chat's prompt_tokens_details has only cached_tokens).
  const tokens = reported?.tokens ?? splitTokens(usage);
  const premiumRequests =
    model !== undefined && initiator !== "agent" ? (model.billing?.multiplier ?? 0) : 0;
  const reasoningTokens = usage?.reasoningTokens ?? 0;
  if (reported !== undefined) {
    if (model !== undefined) prices.learn(model.id, reported.prices);
    return {
      tokens,
      reasoningTokens,
      nanoCredits: reported.totalNanoCredits,
      creditsSource: "copilot",
      premiumRequests,
    };
  }
  const known = model === undefined ? undefined : prices.pricesFor(model);
  const estimate = known === undefined ? undefined : priceTokens(tokens, known);
  return {
    tokens,
    reasoningTokens,
    nanoCredits: estimate ?? 0,
    creditsSource: estimate === undefined ? (usage === undefined ? "none" : "unknown") : "estimate",
    premiumRequests,
  };
}

/** Copilot counts cached tokens inside the prompt's tokens; it bills only the rest as input. */
function splitTokens(usage: AnswerUsage | undefined): TokenCounts {
  if (usage === undefined) return { input: 0, cache_read: 0, cache_write: 0, output: 0 };
  const cached = usage.cacheReadTokens + usage.cacheWriteTokens;
  return {
    input: Math.max(0, usage.inputTokens - cached),
    cache_read: usage.cacheReadTokens,
    cache_write: usage.cacheWriteTokens,
    output: usage.outputTokens,
  };
}
