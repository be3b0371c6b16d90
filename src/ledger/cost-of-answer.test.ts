import { describe, expect, it } from "vitest";
import type { AnswerUsage } from "../dialects/dialect.js";
import type { CopilotModel } from "../protocols/copilot.js";
import { costOfAnswer } from "./cost-of-answer.js";
import { createPriceBook } from "./price-book.js";

const copilotUsage = {
  token_details: [
    { batch_size: 1000000, cost_per_batch: 175000000000, token_count: 19, token_type: "input" },
    { batch_size: 1000000, cost_per_batch: 17500000000, token_count: 0, token_type: "cache_read" },
    { batch_size: 1000000, cost_per_batch: 0, token_count: 0, token_type: "cache_write" },
    { batch_size: 1000000, cost_per_batch: 1400000000000, token_count: 105, token_type: "output" },
  ],
  total_nano_aiu: 150325000,
};

const codex = { id: "gpt-5.3-codex", billing: { multiplier: 1 } } as CopilotModel;
const opus = { id: "claude-opus-4.5", billing: { multiplier: 3 } } as CopilotModel;
const listed = {
  id: "gpt-4.1",
  billing: {
    multiplier: 0,
    tokenPrices: [
      { token_type: "input", cost_per_batch: 200, batch_size: 1000 },
      { token_type: "cache_read", cost_per_batch: 50, batch_size: 1000 },
      { token_type: "cache_write", cost_per_batch: 250, batch_size: 1000 },
      { token_type: "output", cost_per_batch: 800, batch_size: 1000 },
    ],
  },
} as CopilotModel;

function usage(fields: Partial<AnswerUsage>): AnswerUsage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    copilotUsage: undefined,
    ...fields,
  };
}

const noPrices = () => createPriceBook(undefined, () => 0);

describe("costOfAnswer", () => {
  it("takes Copilot's own figure when the answer carries copilot_usage", () => {
    const answer = usage({ inputTokens: 19, outputTokens: 105, reasoningTokens: 44, copilotUsage });
    expect(costOfAnswer(answer, codex, "user", noPrices())).toEqual({
      tokens: { input: 19, cache_read: 0, cache_write: 0, output: 105 },
      reasoningTokens: 44,
      nanoCredits: 150325000,
      creditsSource: "copilot",
      premiumRequests: 1,
    });
  });

  it("takes the tokens per kind from copilot_usage: chat's usage does not tell cache writes", () => {
    // As the fake Copilot bills a chat answer with a cache read of 1000 and a write of 200.
    const billed = {
      token_details: [
        { batch_size: 1000000, cost_per_batch: 30000000000, token_count: 2, token_type: "input" },
        {
          batch_size: 1000000,
          cost_per_batch: 3000000000,
          token_count: 1000,
          token_type: "cache_read",
        },
        {
          batch_size: 1000000,
          cost_per_batch: 37500000000,
          token_count: 200,
          token_type: "cache_write",
        },
        { batch_size: 1000000, cost_per_batch: 150000000000, token_count: 3, token_type: "output" },
      ],
      total_nano_aiu: 11010000,
    };
    const answer = usage({
      inputTokens: 1202,
      cacheReadTokens: 1000,
      outputTokens: 3,
      copilotUsage: billed,
    });
    expect(costOfAnswer(answer, codex, "user", noPrices())).toEqual({
      tokens: { input: 2, cache_read: 1000, cache_write: 200, output: 3 },
      reasoningTokens: 0,
      nanoCredits: 11010000,
      creditsSource: "copilot",
      premiumRequests: 1,
    });
  });

  it("counts as fresh input only the prompt tokens neither read from nor written to the cache", () => {
    const answer = usage({
      inputTokens: 1202,
      cacheReadTokens: 1000,
      cacheWriteTokens: 200,
      outputTokens: 3,
    });
    // 2 × 0.2 = 0.4 → 0; 1000 × 0.05 = 50; 200 × 0.25 = 50; 3 × 0.8 = 2.4 → 2.
    expect(costOfAnswer(answer, listed, "user", noPrices())).toEqual({
      tokens: { input: 2, cache_read: 1000, cache_write: 200, output: 3 },
      reasoningTokens: 0,
      nanoCredits: 102,
      creditsSource: "estimate",
      premiumRequests: 0,
    });
  });

  it("never counts negative fresh input when the cache counts exceed the prompt", () => {
    const answer = usage({ inputTokens: 10, cacheReadTokens: 8, cacheWriteTokens: 5 });
    expect(costOfAnswer(answer, undefined, "user", noPrices()).tokens).toEqual({
      input: 0,
      cache_read: 8,
      cache_write: 5,
      output: 0,
    });
  });

  it("estimates from the prices Copilot applied to an earlier answer of the model", () => {
    const prices = noPrices();
    expect(
      costOfAnswer(usage({ inputTokens: 19, outputTokens: 105 }), codex, "user", prices),
    ).toMatchObject({ nanoCredits: 0, creditsSource: "unknown" });
    costOfAnswer(usage({ inputTokens: 1, copilotUsage }), codex, "agent", prices);
    expect(
      costOfAnswer(usage({ inputTokens: 38, outputTokens: 10 }), codex, "agent", prices),
    ).toEqual({
      tokens: { input: 38, cache_read: 0, cache_write: 0, output: 10 },
      reasoningTokens: 0,
      // 38 × 175000 + 10 × 1400000
      nanoCredits: 20650000,
      creditsSource: "estimate",
      premiumRequests: 0,
    });
  });

  it("is unknown, with the tokens, when the model's prices are not known", () => {
    const answer = usage({ inputTokens: 5, outputTokens: 6, reasoningTokens: 2 });
    expect(costOfAnswer(answer, opus, undefined, noPrices())).toEqual({
      tokens: { input: 5, cache_read: 0, cache_write: 0, output: 6 },
      reasoningTokens: 2,
      nanoCredits: 0,
      creditsSource: "unknown",
      premiumRequests: 3,
    });
  });

  it("is unknown when a used kind has no price, and for an unknown model", () => {
    const onlyInput = {
      id: "m",
      billing: { tokenPrices: [{ token_type: "input", cost_per_batch: 1, batch_size: 1 }] },
    } as CopilotModel;
    expect(
      costOfAnswer(usage({ inputTokens: 5, outputTokens: 1 }), onlyInput, "user", noPrices()),
    ).toMatchObject({ nanoCredits: 0, creditsSource: "unknown", premiumRequests: 0 });
    expect(costOfAnswer(usage({ inputTokens: 5 }), undefined, "user", noPrices())).toMatchObject({
      nanoCredits: 0,
      creditsSource: "unknown",
      premiumRequests: 0,
    });
  });

  it("is none when there was no usage at all", () => {
    expect(costOfAnswer(undefined, opus, "user", noPrices())).toEqual({
      tokens: { input: 0, cache_read: 0, cache_write: 0, output: 0 },
      reasoningTokens: 0,
      nanoCredits: 0,
      creditsSource: "none",
      premiumRequests: 3,
    });
  });

  it("charges premium requests for user turns only, at the model's multiplier", () => {
    const prices = noPrices();
    const premium = (model: CopilotModel | undefined, initiator: "user" | "agent" | undefined) =>
      costOfAnswer(usage({ copilotUsage }), model, initiator, prices).premiumRequests;
    expect([
      premium(opus, "user"),
      premium(opus, undefined),
      premium(opus, "agent"),
      premium(undefined, "user"),
      premium({ id: "no-billing" }, "user"),
    ]).toEqual([3, 3, 0, 0, 0]);
  });

  it("learns no prices from copilot_usage when the model is not known", () => {
    const prices = noPrices();
    costOfAnswer(usage({ copilotUsage }), undefined, "user", prices);
    expect(prices.pricesFor(codex)).toBeUndefined();
  });
});
