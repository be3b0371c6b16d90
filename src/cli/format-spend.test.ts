import { describe, expect, it } from "vitest";
import type { SpendTotal, SpendTotals } from "../ledger/sqlite-ledger.js";
import { formatSpend, spendToJson, sumSpend } from "./format-spend.js";

const PERIOD = {
  since: Date.UTC(2026, 6, 1),
  until: Date.UTC(2026, 6, 14, 10, 30),
  fromDailyTotals: false,
};

function total(name: string, fields: Partial<SpendTotal>): SpendTotal {
  return {
    name,
    requests: 0,
    errors: 0,
    inputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    nanoCredits: 0,
    premiumRequests: 0,
    ...fields,
  };
}

const TOTALS: SpendTotals = {
  byKey: [
    total("alice", {
      requests: 1200,
      errors: 3,
      inputTokens: 1_234_567,
      cacheReadTokens: 40_000,
      cacheWriteTokens: 512,
      outputTokens: 98_765,
      reasoningTokens: 4_000,
      nanoCredits: 12_500_000_000,
      premiumRequests: 0.1 + 0.2,
    }),
    total("API_KEYS#1", {
      requests: 2,
      inputTokens: 10,
      outputTokens: 5,
      nanoCredits: 150_325_000,
    }),
  ],
  byModel: [
    total("claude-sonnet-4.5", {
      requests: 1201,
      errors: 3,
      inputTokens: 1_234_570,
      cacheReadTokens: 40_000,
      cacheWriteTokens: 512,
      outputTokens: 98_768,
      reasoningTokens: 4_000,
      nanoCredits: 12_650_325_000,
      premiumRequests: 0.3,
    }),
    total("", { requests: 1, inputTokens: 7, outputTokens: 2 }),
  ],
};

describe("formatSpend", () => {
  it("gives a table per key and per model, numbers right-aligned, with a total row", () => {
    expect(formatSpend(TOTALS, PERIOD)).toEqual([
      "Spend from 2026-07-01 00:00 UTC to 2026-07-14 10:30 UTC:",
      "",
      "Key         Requests  Errors      Input  Cache read  Cache write  Output  Reasoning    Credits  Premium requests",
      "alice          1,200       3  1,234,567      40,000          512  98,765      4,000       12.5               0.3",
      "API_KEYS#1         2       0         10           0            0       5          0   0.150325                 0",
      "Total          1,202       3  1,234,577      40,000          512  98,770      4,000  12.650325               0.3",
      "",
      "Model              Requests  Errors      Input  Cache read  Cache write  Output  Reasoning    Credits  Premium requests",
      "claude-sonnet-4.5     1,201       3  1,234,570      40,000          512  98,768      4,000  12.650325               0.3",
      "(none)                    1       0          7           0            0       2          0          0                 0",
      "Total                 1,202       3  1,234,577      40,000          512  98,770      4,000  12.650325               0.3",
    ]);
  });

  it("says when nothing was recorded, and when the period is counted in whole days", () => {
    expect(formatSpend({ byKey: [], byModel: [] }, { ...PERIOD, fromDailyTotals: true })).toEqual([
      "Spend from 2026-07-01 00:00 UTC to 2026-07-14 10:30 UTC (before the ledger's retention, so in whole UTC days from its daily totals):",
      "No requests recorded in this period.",
    ]);
  });
});

describe("spendToJson", () => {
  it("gives credits exactly, as a decimal string and in nano-credits, and the period in ISO", () => {
    const json = spendToJson(TOTALS, PERIOD);
    expect(json).toMatchObject({
      since: "2026-07-01T00:00:00.000Z",
      until: "2026-07-14T10:30:00.000Z",
      from_daily_totals: false,
      total: {
        name: "total",
        requests: 1202,
        errors: 3,
        input_tokens: 1_234_577,
        cache_read_tokens: 40_000,
        cache_write_tokens: 512,
        output_tokens: 98_770,
        reasoning_tokens: 4_000,
        credits: "12.650325",
        nano_credits: 12_650_325_000,
        premium_requests: 0.3,
      },
    });
    expect(json["by_key"]).toEqual([
      {
        name: "alice",
        requests: 1200,
        errors: 3,
        input_tokens: 1_234_567,
        cache_read_tokens: 40_000,
        cache_write_tokens: 512,
        output_tokens: 98_765,
        reasoning_tokens: 4_000,
        credits: "12.5",
        nano_credits: 12_500_000_000,
        premium_requests: 0.3,
      },
      {
        name: "API_KEYS#1",
        requests: 2,
        errors: 0,
        input_tokens: 10,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        output_tokens: 5,
        reasoning_tokens: 0,
        credits: "0.150325",
        nano_credits: 150_325_000,
        premium_requests: 0,
      },
    ]);
    expect((json["by_model"] as unknown[]).length).toBe(2);
  });
});

describe("sumSpend", () => {
  it("adds every field", () => {
    expect(sumSpend("Total", [])).toEqual(total("Total", {}));
    expect(sumSpend("all", TOTALS.byModel)).toEqual(
      total("all", {
        requests: 1202,
        errors: 3,
        inputTokens: 1_234_577,
        cacheReadTokens: 40_000,
        cacheWriteTokens: 512,
        outputTokens: 98_770,
        reasoningTokens: 4_000,
        nanoCredits: 12_650_325_000,
        premiumRequests: 0.3,
      }),
    );
  });
});
