import { describe, expect, it } from "vitest";
import type { ManagedKey } from "../keys/managed-key.js";
import { describeLimits, keyStatus, managedKeyToJson } from "./format-keys.js";

const T0 = Date.UTC(2026, 6, 1, 12, 0, 0);

const KEY: ManagedKey = {
  id: "key_0a1b2c3d",
  name: "alice",
  account: "work",
  createdAt: T0,
  expiresAt: T0 + 3_600_000,
  revokedAt: undefined,
  nanoCreditsPerDay: 150_325,
  nanoCreditsPerMonth: 300_000_000_000,
  requestsPerMinute: 60,
  concurrency: 4,
  models: ["gpt-*", "o?"],
  fallbackModel: "gpt-4.1",
};

describe("format-keys", () => {
  it("describes every limit in one line", () => {
    expect(describeLimits(KEY)).toBe(
      "0.000150325 credits/day, 300 credits/month, 60 requests/min, 4 at once, models gpt-*,o?, fallback gpt-4.1",
    );
  });

  it("tells active, expired (at the expiry itself) and revoked apart", () => {
    expect(keyStatus(KEY, T0 + 3_599_999)).toBe("active");
    expect(keyStatus(KEY, T0 + 3_600_000)).toBe("expired");
    expect(keyStatus({ ...KEY, revokedAt: T0 }, T0)).toBe("revoked");
  });

  it("renders a key as JSON with credits both ways and ISO times", () => {
    expect(managedKeyToJson(KEY, T0)).toEqual({
      name: "alice",
      id: "key_0a1b2c3d",
      kind: "managed",
      read_only: false,
      status: "active",
      account: "work",
      created_at: "2026-07-01T12:00:00.000Z",
      expires_at: "2026-07-01T13:00:00.000Z",
      revoked_at: null,
      credits_per_day: 0.000150325,
      nano_credits_per_day: 150_325,
      credits_per_month: 300,
      nano_credits_per_month: 300_000_000_000,
      requests_per_minute: 60,
      concurrency: 4,
      models: ["gpt-*", "o?"],
      fallback_model: "gpt-4.1",
    });
  });
});
