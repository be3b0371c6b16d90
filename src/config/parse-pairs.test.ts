import { describe, expect, it } from "vitest";
import { parseModelMap, parseShareTokens } from "./parse-pairs.js";
import { messageOf } from "./config-error-message.test-helper.js";

describe("parseShareTokens", () => {
  it("reads key:token pairs, trimmed, skipping empty entries", () => {
    const warnings: string[] = [];
    const tokens = parseShareTokens(" share-abc : ghu_x ,, share-def:ghu_y,", warnings);
    expect([...tokens]).toEqual([
      ["share-abc", "ghu_x"],
      ["share-def", "ghu_y"],
    ]);
    expect(warnings).toEqual([]);
  });

  it("splits at the first colon, so a token may contain colons", () => {
    expect([...parseShareTokens("share-a:ghu:with:colons", [])]).toEqual([
      ["share-a", "ghu:with:colons"],
    ]);
  });

  it("is empty for an empty value", () => {
    expect([...parseShareTokens("", [])]).toEqual([]);
    expect([...parseShareTokens(" , ", [])]).toEqual([]);
  });

  it("ignores a key without the share- prefix, with a warning that shows no secret", () => {
    const warnings: string[] = [];
    const tokens = parseShareTokens("sk-secretkey:ghu_secret,share-ok:ghu_ok", warnings);
    expect([...tokens]).toEqual([["share-ok", "ghu_ok"]]);
    expect(warnings).toEqual([
      'SHARE_TOKEN: entry 1 ignored: share tokens must start with "share-"',
    ]);
  });

  it.each([
    ["share-a:ghu_a,ghu_secretonly", 2],
    ["share-a:", 1],
    [":ghu_secret", 1],
    ["share-a:ghu_a, share-b : ", 2],
  ])("refuses the malformed entry in %j", (raw, entry) => {
    const message = messageOf(() => parseShareTokens(raw, []));
    expect(message).toBe(`SHARE_TOKEN: entry ${entry} is not of the form share-…:<github token>`);
  });

  it("refuses a repeated key, naming both entries and no key", () => {
    const message = messageOf(() =>
      parseShareTokens("share-secret1:ghu_a,share-other:ghu_b,share-secret1:ghu_c", []),
    );
    expect(message).toBe("SHARE_TOKEN: entries 1 and 3 have the same key");
  });

  it("puts no key or token into any message or warning", () => {
    const inputs = [
      "share-secret1:ghu_topsecret,share-secret1:ghu_topsecret",
      "share-secret1:ghu_topsecret,ghu_topsecret",
      "share-secret1:",
      "notshare-secret1:ghu_topsecret",
    ];
    for (const raw of inputs) {
      const warnings: string[] = [];
      let message = "";
      try {
        parseShareTokens(raw, warnings);
      } catch (error) {
        message = error instanceof Error ? error.message : "";
      }
      for (const text of [message, ...warnings]) {
        expect(text).not.toContain("secret1");
        expect(text).not.toContain("topsecret");
      }
    }
  });
});

describe("parseModelMap", () => {
  it("reads from:to pairs in order", () => {
    const models = parseModelMap("gpt-4:gpt-4.1, claude-sonnet-4-5 : claude-sonnet-4.5,");
    expect([...models]).toEqual([
      ["gpt-4", "gpt-4.1"],
      ["claude-sonnet-4-5", "claude-sonnet-4.5"],
    ]);
  });

  it("is empty for an empty value", () => {
    expect([...parseModelMap("")]).toEqual([]);
  });

  it.each([
    ["gpt-4:gpt-4.1,gpt-4o", 2, "gpt-4o"],
    ["gpt-4:", 1, "gpt-4:"],
    [":gpt-4.1", 1, ":gpt-4.1"],
  ])("refuses the malformed entry in %j", (raw, entry, text) => {
    expect(messageOf(() => parseModelMap(raw))).toBe(
      `MODEL_MAP: entry ${entry} "${text}" is not of the form from:to`,
    );
  });

  it("refuses mapping one name twice", () => {
    expect(messageOf(() => parseModelMap("gpt-4:gpt-4.1,gpt-4:gpt-4o"))).toBe(
      'MODEL_MAP: entry 2 maps "gpt-4" a second time',
    );
  });
});
