import { describe, expect, it } from "vitest";
import { BASE62_ALPHABET, generateShareToken, SHARE_TOKEN_LENGTH } from "./generate-share-token.js";

describe("generateShareToken", () => {
  it("is share- and 43 base62 characters (256 bits)", () => {
    expect(SHARE_TOKEN_LENGTH).toBe(43);
    expect(62 ** 43 > 2 ** 256).toBe(true);
    for (let index = 0; index < 100; index++) {
      expect(generateShareToken()).toMatch(/^share-[0-9A-Za-z]{43}$/);
    }
  });

  it("makes 1000 distinct tokens", () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateShareToken()));
    expect(tokens.size).toBe(1000);
  });

  it("rejects bytes from 248 up, so each character comes from exactly 4 byte values", () => {
    // Every byte value once: 248 are kept (4 per character), 8 are rejected.
    const allBytes = Uint8Array.from({ length: 256 }, (_, index) => index);
    let served = false;
    const random = (size: number) => {
      if (served) throw new Error(`asked for ${size} more bytes`);
      served = true;
      return allBytes;
    };
    const token = generateShareToken(248, random).slice("share-".length);
    const counts = new Map<string, number>();
    for (const character of token) counts.set(character, (counts.get(character) ?? 0) + 1);
    expect(counts.size).toBe(62);
    expect([...counts.values()].every((count) => count === 4)).toBe(true);
  });

  it("asks for more bytes when rejections leave it short", () => {
    const batches = [Uint8Array.from([255, 0, 250, 1]), Uint8Array.from([249, 61, 248, 62])];
    const token = generateShareToken(4, () => batches.shift() ?? new Uint8Array());
    expect(token).toBe("share-01z0");
  });

  it("uses every character about equally often (chi-square, 61 degrees of freedom)", () => {
    const counts = new Map<string, number>([...BASE62_ALPHABET].map((character) => [character, 0]));
    const tokens = 2000;
    for (let index = 0; index < tokens; index++) {
      for (const character of generateShareToken().slice(6)) {
        counts.set(character, (counts.get(character) ?? 0) + 1);
      }
    }
    const expected = (tokens * SHARE_TOKEN_LENGTH) / 62;
    let chiSquare = 0;
    for (const count of counts.values()) chiSquare += (count - expected) ** 2 / expected;
    // 61 degrees of freedom: the 99.999th percentile is about 120, so a sound generator fails
    // this about once in 200 000 runs. A modulo bias (the first 8 characters 5/4 as likely)
    // would give about 570.
    expect(chiSquare).toBeLessThan(124);
    expect(counts.size).toBe(62);
  });
});
