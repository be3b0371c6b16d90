import { describe, expect, it } from "vitest";
import { GatewayError } from "../errors.js";
import type { BudgetWindow, Ledger } from "../ledger/sqlite-ledger.js";
import { createKeyLimiter } from "./key-limits.js";
import type { ManagedKey } from "./managed-key.js";

/** 2026-12-07T12:00:00Z */
const NOON = Date.UTC(2026, 11, 7, 12);
const CREDIT = 1_000_000_000;

function key(fields: Partial<ManagedKey> = {}): ManagedKey {
  return {
    id: "key_1",
    name: "alice",
    account: undefined,
    createdAt: 0,
    expiresAt: undefined,
    revokedAt: undefined,
    nanoCreditsPerDay: undefined,
    nanoCreditsPerMonth: undefined,
    requestsPerMinute: undefined,
    concurrency: undefined,
    models: undefined,
    fallbackModel: undefined,
    ...fields,
  };
}

/** A ledger whose spend is set by the test: the limiter asks it for nothing else. */
function ledgerSpending(spend: Partial<Record<BudgetWindow, number>>): Ledger {
  const ledger: Pick<Ledger, "spent"> = { spent: (_name, window) => spend[window] ?? 0 };
  return ledger as Ledger;
}

/** What the client would see of a refusal. */
function refusal(admit: () => unknown): unknown {
  try {
    admit();
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return {
      status: error.status,
      kind: error.kind,
      code: error.code,
      param: error.param,
      retryAfter: error.retryAfter,
      message: error.message,
    };
  }
  return "admitted";
}

describe("createKeyLimiter", () => {
  it("admits a key without limits", () => {
    const limiter = createKeyLimiter(ledgerSpending({ day: 10 * CREDIT }), () => NOON);
    const end = limiter.admit(key());
    end(5);
    end(5);
    expect(refusal(() => limiter.admit(key()))).toBe("admitted");
  });

  it("refuses a key at its daily budget until the next UTC midnight", () => {
    const spend = { day: 2 * CREDIT - 1 };
    const limiter = createKeyLimiter(ledgerSpending(spend), () => NOON);
    const alice = key({ nanoCreditsPerDay: 2 * CREDIT });
    limiter.admit(alice)(0);
    spend.day = 2 * CREDIT;
    expect(refusal(() => limiter.admit(alice))).toEqual({
      status: 429,
      kind: "quota",
      code: "insufficient_quota",
      param: undefined,
      retryAfter: "43200",
      message:
        'Key "alice" has used 2 of its 2 credits for this day (UTC); the budget resets at ' +
        "2026-12-08T00:00:00.000Z",
    });
  });

  it("refuses a key at its monthly budget until the 1st of the next month, UTC", () => {
    const at = Date.UTC(2026, 11, 31, 23, 59, 30);
    const limiter = createKeyLimiter(ledgerSpending({ day: 0, month: 12_500_000_000 }), () => at);
    expect(refusal(() => limiter.admit(key({ nanoCreditsPerMonth: 12_500_000_000 })))).toEqual({
      status: 429,
      kind: "quota",
      code: "insufficient_quota",
      param: undefined,
      retryAfter: "30",
      message:
        'Key "alice" has used 12.5 of its 12.5 credits for this month (UTC); the budget resets ' +
        "at 2027-01-01T00:00:00.000Z",
    });
  });

  it("checks the day before the month", () => {
    const limiter = createKeyLimiter(ledgerSpending({ day: 5, month: 5 }), () => NOON);
    const both = key({ nanoCreditsPerDay: 5, nanoCreditsPerMonth: 5 });
    expect(refusal(() => limiter.admit(both))).toMatchObject({ retryAfter: "43200" });
  });

  it("holds what the requests in flight may still cost: the key's average cost per request", () => {
    const limiter = createKeyLimiter(ledgerSpending({ day: 0 }), () => NOON);
    const alice = key({ nanoCreditsPerDay: 10 * CREDIT });
    // Nothing known of the key's costs yet: requests in flight hold nothing.
    const first = limiter.admit(alice);
    first(4 * CREDIT);
    // One answer of 4 credits seen: each request in flight holds 4. The third is admitted with
    // 8 held (under 10): a budget is overspent by at most what was in flight.
    limiter.admit(alice);
    limiter.admit(alice);
    limiter.admit(alice);
    expect(refusal(() => limiter.admit(alice))).toEqual({
      status: 429,
      kind: "quota",
      code: "insufficient_quota",
      param: undefined,
      retryAfter: "43200",
      message:
        'Key "alice" has used 12 of its 10 credits for this day (UTC) (0 spent and 12 held by ' +
        "requests in progress); the budget resets at 2026-12-08T00:00:00.000Z",
    });
  });

  it("averages the cost over the last answers, each moving it by an eighth", () => {
    const limiter = createKeyLimiter(ledgerSpending({ day: 0 }), () => NOON);
    const alice = key({ nanoCreditsPerDay: 8 * CREDIT });
    limiter.admit(alice)(8 * CREDIT);
    // 8 + (0 − 8) / 8 = 7 credits per request in flight.
    limiter.admit(alice)(0);
    limiter.admit(alice);
    expect(refusal(() => limiter.admit(alice))).toBe("admitted");
    expect(refusal(() => limiter.admit(alice))).toMatchObject({
      message:
        'Key "alice" has used 14 of its 8 credits for this day (UTC) (0 spent and 14 held by ' +
        "requests in progress); the budget resets at 2026-12-08T00:00:00.000Z",
    });
  });

  it("ends a request's turn once, however often it is told", () => {
    const limiter = createKeyLimiter(ledgerSpending({}), () => NOON);
    const alice = key({ concurrency: 1 });
    const end = limiter.admit(alice);
    end(1);
    end(1);
    limiter.admit(alice);
    expect(refusal(() => limiter.admit(alice))).toMatchObject({ status: 429 });
  });

  it("refuses more requests per minute than the key's limit, until the oldest is a minute old", () => {
    let at = NOON;
    const limiter = createKeyLimiter(ledgerSpending({}), () => at);
    const alice = key({ requestsPerMinute: 2 });
    limiter.admit(alice)(0);
    at += 20_500;
    limiter.admit(alice)(0);
    at += 10_000;
    expect(refusal(() => limiter.admit(alice))).toEqual({
      status: 429,
      kind: "rate_limit",
      code: "rate_limit_exceeded",
      param: undefined,
      retryAfter: "30",
      message:
        'Key "alice" made 2 requests in the last minute, its limit is 2 per minute; the next ' +
        "is allowed at 2026-12-07T12:01:00.000Z",
    });
    // A refused request does not count; a minute after the first, one more may go.
    at = NOON + 59_999;
    expect(refusal(() => limiter.admit(alice))).toMatchObject({ retryAfter: "1" });
    at = NOON + 60_000;
    expect(refusal(() => limiter.admit(alice))).toBe("admitted");
    expect(refusal(() => limiter.admit(alice))).toMatchObject({ retryAfter: "21" });
  });

  it("refuses more requests at a time than the key's concurrency, and admits one when one ends", () => {
    const limiter = createKeyLimiter(ledgerSpending({}), () => NOON);
    const alice = key({ concurrency: 2 });
    const first = limiter.admit(alice);
    limiter.admit(alice);
    expect(refusal(() => limiter.admit(alice))).toEqual({
      status: 429,
      kind: "rate_limit",
      code: "rate_limit_exceeded",
      param: undefined,
      retryAfter: "1",
      message:
        'Key "alice" already has 2 requests in progress, its limit is 2 at a time; send the ' +
        "next when one has finished",
    });
    first(0);
    expect(refusal(() => limiter.admit(alice))).toBe("admitted");
    // Other keys are counted apart.
    expect(refusal(() => limiter.admit(key({ name: "bob", concurrency: 2 })))).toBe("admitted");
  });

  it("lets a key use the models its globs match, asked or served, and refuses others with 403", () => {
    const limiter = createKeyLimiter(ledgerSpending({}), () => NOON);
    const alice = key({ models: ["gpt-4*", "claude-sonnet-?"] });
    expect(refusal(() => limiter.checkModel(alice, "GPT-4o", "gpt-4o"))).toBe("admitted");
    expect(refusal(() => limiter.checkModel(alice, "claude-sonnet-4", "claude-sonnet-4"))).toBe(
      "admitted",
    );
    expect(refusal(() => limiter.checkModel(alice, "gpt-4o-latest", "gpt-4o"))).toBe("admitted");
    expect(refusal(() => limiter.checkModel(alice, "sonnet", "claude-sonnet-4"))).toBe("admitted");
    expect(
      refusal(() => limiter.checkModel(alice, "claude-sonnet-4.5", "claude-sonnet-4.5")),
    ).toEqual({
      status: 403,
      kind: "permission",
      code: "model_not_allowed",
      param: "model",
      retryAfter: undefined,
      message:
        'Key "alice" may not use model "claude-sonnet-4.5"; it may use: gpt-4*, claude-sonnet-?',
    });
    // An alias does not widen the list: what would serve is what is checked.
    expect(refusal(() => limiter.checkModel(alice, "gpt-4", "claude-opus-4.5"))).toEqual(
      expect.objectContaining({
        status: 403,
        message:
          'Key "alice" may not use model "gpt-4" (served as "claude-opus-4.5"); it may use: gpt-4*, claude-sonnet-?',
      }),
    );
    expect(refusal(() => limiter.checkModel(key(), "anything", "anything"))).toBe("admitted");
    expect(refusal(() => limiter.checkModel(key({ models: [] }), "gpt-4o", "gpt-4o"))).toEqual(
      expect.objectContaining({ status: 403, code: "model_not_allowed" }),
    );
  });
});
