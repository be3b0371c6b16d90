import { describe, expect, it } from "vitest";
import { fingerprintOf, readCredential } from "./auth.js";

describe("readCredential", () => {
  const cases: [string | undefined, string | undefined, string | undefined][] = [
    ["Bearer ghu_abc", undefined, "ghu_abc"],
    ["bearer   ghu_abc  ", undefined, "ghu_abc"],
    ["token ghu_abc", undefined, "ghu_abc"],
    [undefined, "share-xyz", "share-xyz"],
    [undefined, "  share-xyz ", "share-xyz"],
    ["Bearer ghu_a", "share-b", "ghu_a"],
    ["Basic dXNlcjpwYXNz", "share-b", "share-b"],
    ["Bearer", undefined, undefined],
    [undefined, "", undefined],
    [undefined, undefined, undefined],
  ];
  it.each(cases)("authorization %s, x-api-key %s → %s", (authorization, apiKey, expected) => {
    expect(readCredential(authorization, apiKey)).toBe(expected);
  });
});

describe("fingerprintOf", () => {
  it("keeps the kind and 8 hex of a salted hash, never the key", () => {
    const ghu = fingerprintOf("ghu_0123456789abcdef");
    expect(ghu).toMatch(/^ghu:[0-9a-f]{8}$/);
    expect(fingerprintOf("share-secret")).toMatch(/^share:[0-9a-f]{8}$/);
    expect(fingerprintOf("sk-whatever")).toMatch(/^key:[0-9a-f]{8}$/);
    expect(fingerprintOf("ghu_0123456789abcdef")).toBe(ghu);
    expect(fingerprintOf("ghu_0123456789abcdeg")).not.toBe(ghu);
  });
});
