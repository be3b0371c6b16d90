import { describe, expect, it } from "vitest";
import { fixUsageTotal } from "./fix-usage-total.js";

describe("fixUsageTotal", () => {
  it("sums prompt and completion when the total is 0 or missing", () => {
    expect(fixUsageTotal({ completion_tokens: 296, prompt_tokens: 5471, total_tokens: 0 })).toEqual(
      { completion_tokens: 296, prompt_tokens: 5471, total_tokens: 5767 },
    );
    expect(
      fixUsageTotal({ prompt_tokens: 3, completion_tokens: 4, prompt_tokens_details: {} }),
    ).toEqual({
      prompt_tokens: 3,
      completion_tokens: 4,
      prompt_tokens_details: {},
      total_tokens: 7,
    });
  });

  it("keeps a non-zero total and incomplete or non-object usage as they are", () => {
    expect(fixUsageTotal({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 9 })).toEqual({
      prompt_tokens: 1,
      completion_tokens: 2,
      total_tokens: 9,
    });
    expect(fixUsageTotal({ prompt_tokens: 1, total_tokens: 0 })).toEqual({
      prompt_tokens: 1,
      total_tokens: 0,
    });
    expect(fixUsageTotal(null)).toBe(null);
  });
});
