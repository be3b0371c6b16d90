import { randomBytes } from "node:crypto";

export const BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** 43 base62 characters hold 256 bits (62^43 > 2^256). */
export const SHARE_TOKEN_LENGTH = 43;
// The largest multiple of 62 that fits in a byte: bytes from 248 up are rejected, so every
// character is equally likely (a plain `byte % 62` would favour the first 8 characters).
const ACCEPT_BELOW = 248;

/**
 * A new share key, `share-` + base62 characters from the CSPRNG, by rejection sampling.
 * `random` is injectable so a test can feed bytes that must be rejected.
 */
export function generateShareToken(
  length: number = SHARE_TOKEN_LENGTH,
  random: (size: number) => Uint8Array = randomBytes,
): string {
  let text = "";
  while (text.length < length) {
    // About 3% of bytes are rejected: ask for a little more than needed.
    for (const byte of random(Math.ceil((length - text.length) * 1.1) + 4)) {
      if (byte >= ACCEPT_BELOW) continue;
      text += BASE62_ALPHABET[byte % 62];
      if (text.length === length) break;
    }
  }
  return `share-${text}`;
}
