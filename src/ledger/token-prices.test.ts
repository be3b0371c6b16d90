import { describe, expect, it } from "vitest";
import type { CopilotModel } from "../protocols/copilot.js";
import { priceTokens, readCopilotUsage, readModelPrices } from "./token-prices.js";

// `copilot_usage` of the recorded gpt-5.3-codex stream (test/fixtures/copilot/responses/
// responses-stream.gpt-5.3-codex.id-rotation.2026-08-06.vercel-ai.chunks.txt, response.completed).
const recordedUsage = {
  token_details: [
    { batch_size: 1000000, cost_per_batch: 175000000000, token_count: 19, token_type: "input" },
    { batch_size: 1000000, cost_per_batch: 17500000000, token_count: 0, token_type: "cache_read" },
    { batch_size: 1000000, cost_per_batch: 0, token_count: 0, token_type: "cache_write" },
    { batch_size: 1000000, cost_per_batch: 1400000000000, token_count: 105, token_type: "output" },
  ],
  total_nano_aiu: 150325000,
};

const recordedPrices = {
  input: { costPerBatch: 175000000000, batchSize: 1000000 },
  cache_read: { costPerBatch: 17500000000, batchSize: 1000000 },
  cache_write: { costPerBatch: 0, batchSize: 1000000 },
  output: { costPerBatch: 1400000000000, batchSize: 1000000 },
};

function model(billing: unknown): CopilotModel {
  return { id: "gpt-5.3-codex", billing } as CopilotModel;
}

describe("readCopilotUsage", () => {
  it("reads the recorded copilot_usage: its total, the prices and the tokens per kind", () => {
    expect(readCopilotUsage(recordedUsage)).toEqual({
      totalNanoCredits: 150325000,
      prices: recordedPrices,
      tokens: { input: 19, cache_read: 0, cache_write: 0, output: 105 },
    });
  });

  it("reads a total without token_details, with no prices and no tokens", () => {
    expect(readCopilotUsage({ total_nano_aiu: 42 })).toEqual({
      totalNanoCredits: 42,
      prices: {},
      tokens: undefined,
    });
  });

  it("counts a kind the details do not list as not billed", () => {
    expect(
      readCopilotUsage({
        total_nano_aiu: 3,
        token_details: [
          { token_type: "output", token_count: 3, cost_per_batch: 1, batch_size: 1 },
          { token_type: "cache_read", cost_per_batch: 1, batch_size: 1 },
        ],
      })?.tokens,
    ).toEqual({ input: 0, cache_read: 0, cache_write: 0, output: 3 });
  });

  it("skips token types it does not know and keeps the last of a repeated kind", () => {
    expect(
      readCopilotUsage({
        total_nano_aiu: 7,
        token_details: [
          { token_type: "long_context_input", cost_per_batch: 9, batch_size: 1 },
          { token_type: "input", cost_per_batch: 1, batch_size: 10 },
          { token_type: "input", cost_per_batch: 2, batch_size: 10 },
        ],
      }),
    ).toEqual({
      totalNanoCredits: 7,
      prices: { input: { costPerBatch: 2, batchSize: 10 } },
      tokens: undefined,
    });
  });

  it.each([
    ["absent", undefined],
    ["null", null],
    ["a string", "150325000"],
    ["a total that is not an integer", { total_nano_aiu: 1.5 }],
    ["a negative total", { total_nano_aiu: -1 }],
    ["a total as a string", { total_nano_aiu: "150325000" }],
    ["token_details not a list", { total_nano_aiu: 1, token_details: {} }],
    [
      "a batch size of 0",
      {
        total_nano_aiu: 1,
        token_details: [{ token_type: "input", cost_per_batch: 1, batch_size: 0 }],
      },
    ],
  ])("is undefined for %s", (_, value) => {
    expect(readCopilotUsage(value)).toBeUndefined();
  });
});

describe("readModelPrices", () => {
  it("reads billing.tokenPrices as a list like token_details", () => {
    expect(
      readModelPrices(
        model({
          multiplier: 1,
          tokenPrices: recordedUsage.token_details.map(({ token_count: _, ...price }) => price),
        }),
      ),
    ).toEqual(recordedPrices);
  });

  it("reads billing.token_prices as an object keyed by kind, skipping unusable entries", () => {
    expect(
      readModelPrices(
        model({
          token_prices: {
            input: { cost_per_batch: 300, batch_size: 1000 },
            output: { cost_per_batch: 1500, batch_size: 1000, token_count: 0 },
            cache_read: { cost_per_batch: "30", batch_size: 1000 },
            long_context: { cost_per_batch: 600, batch_size: 1000 },
          },
        }),
      ),
    ).toEqual({
      input: { costPerBatch: 300, batchSize: 1000 },
      output: { costPerBatch: 1500, batchSize: 1000 },
    });
  });

  it("prefers tokenPrices to token_prices", () => {
    expect(
      readModelPrices(
        model({
          tokenPrices: { input: { cost_per_batch: 1, batch_size: 1 } },
          token_prices: { input: { cost_per_batch: 2, batch_size: 1 } },
        }),
      ),
    ).toEqual({ input: { costPerBatch: 1, batchSize: 1 } });
  });

  it.each([
    ["no billing", undefined],
    ["billing without prices", { multiplier: 1 }],
    ["an empty list", { tokenPrices: [] }],
    [
      "a list with an invalid entry",
      { tokenPrices: [{ token_type: "input", cost_per_batch: -1, batch_size: 1 }] },
    ],
    [
      "a list of unknown kinds only",
      { tokenPrices: [{ token_type: "image", cost_per_batch: 1, batch_size: 1 }] },
    ],
    ["an object with no usable kind", { tokenPrices: { input: { cost_per_batch: 1 } } }],
    ["a number", { tokenPrices: 5 }],
    ["null", { tokenPrices: null }],
  ])("is undefined for %s", (_, billing) => {
    expect(readModelPrices(model(billing))).toBeUndefined();
  });
});

describe("priceTokens", () => {
  it("prices the recorded answer at Copilot's total", () => {
    const tokens = { input: 19, cache_read: 0, cache_write: 0, output: 105 };
    expect(priceTokens(tokens, recordedPrices)).toBe(150325000);
  });

  it("prices every kind and rounds each down to whole nano-credits", () => {
    const prices = {
      input: { costPerBatch: 250, batchSize: 1000 },
      cache_read: { costPerBatch: 25, batchSize: 1000 },
      cache_write: { costPerBatch: 3, batchSize: 2 },
      output: { costPerBatch: 1000, batchSize: 1000 },
    };
    // 3 × 0.25 = 0.75 → 0; 39 × 0.025 = 0.975 → 0; 5 × 1.5 = 7.5 → 7; 7 × 1 = 7.
    expect(priceTokens({ input: 3, cache_read: 39, cache_write: 5, output: 7 }, prices)).toBe(14);
    // 4 × 0.25 = 1; 40 × 0.025 = 1; 2 × 1.5 = 3; 0.
    expect(priceTokens({ input: 4, cache_read: 40, cache_write: 2, output: 0 }, prices)).toBe(5);
  });

  it("is undefined when a kind that was used has no price", () => {
    const prices = { input: { costPerBatch: 1, batchSize: 1 } };
    expect(priceTokens({ input: 5, cache_read: 0, cache_write: 0, output: 1 }, prices)).toBe(
      undefined,
    );
  });

  it("needs no price for a kind that was not used", () => {
    const prices = { output: { costPerBatch: 2, batchSize: 1 } };
    expect(priceTokens({ input: 0, cache_read: 0, cache_write: 0, output: 3 }, prices)).toBe(6);
    expect(priceTokens({ input: 0, cache_read: 0, cache_write: 0, output: 0 }, {})).toBe(0);
  });
});
