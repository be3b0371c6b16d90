import { describe, expect, it } from "vitest";
import { createUtf8StreamDecoder } from "./decode-utf8-stream.js";

/** What one TextDecoder fed every chunk gives, the behaviour to match. */
function decodeWithTextDecoder(chunks: readonly Uint8Array[]): string[] {
  const decoder = new TextDecoder("utf-8");
  return [...chunks.map((chunk) => decoder.decode(chunk, { stream: true })), decoder.decode()];
}

function decodeWithShortcut(chunks: readonly Uint8Array[]): string[] {
  const decoder = createUtf8StreamDecoder();
  return [...chunks.map((chunk) => decoder.decode(chunk)), decoder.flush()];
}

const bytes = (...values: number[]) => Buffer.from(values);
const BOM = [0xef, 0xbb, 0xbf];

// Byte strings whose every split must decode as TextDecoder decodes it: byte order marks at the
// start and later, 2-, 3- and 4-byte characters, invalid and unfinished sequences.
const samples: Record<string, Buffer> = {
  ascii: Buffer.from('data: {"a":1}\n\n'),
  "BOM first": Buffer.concat([bytes(...BOM), Buffer.from("data: x\n\n")]),
  "BOM after ASCII": Buffer.concat([Buffer.from("ab"), bytes(...BOM), Buffer.from("c")]),
  "two BOMs": bytes(...BOM, ...BOM, 0x61),
  "multi-byte": Buffer.from("héllo 日本 👋 x"),
  "invalid bytes": bytes(0x61, 0x80, 0x62, 0xc3, 0x28, 0xe2, 0x82, 0x61, 0xf0, 0x9f, 0x92, 0x62),
  "unfinished at the end": bytes(0x61, 0xf0, 0x9f, 0x91),
  "unfinished then BOM": bytes(0xe6, 0x97, ...BOM, 0x61),
};

describe("createUtf8StreamDecoder", () => {
  it("gives exactly TextDecoder's text for every split into three chunks", () => {
    for (const [name, sample] of Object.entries(samples)) {
      for (let first = 0; first <= sample.length; first++) {
        for (let second = first; second <= sample.length; second++) {
          const chunks = [
            sample.subarray(0, first),
            sample.subarray(first, second),
            sample.subarray(second),
          ];
          expect(decodeWithShortcut(chunks), `${name} cut at ${first}, ${second}`).toEqual(
            decodeWithTextDecoder(chunks),
          );
        }
      }
    }
  });

  it("gives exactly TextDecoder's text byte by byte", () => {
    for (const [name, sample] of Object.entries(samples)) {
      const chunks = [...sample].map((byte) => bytes(byte));
      expect(decodeWithShortcut(chunks), name).toEqual(decodeWithTextDecoder(chunks));
    }
  });

  it("drops a byte order mark only at the start of the stream", () => {
    expect(decodeWithShortcut([bytes(...BOM, 0x61), bytes(...BOM, 0x62)])).toEqual([
      "a",
      "\uFEFFb",
      "",
    ]);
    expect(decodeWithShortcut([bytes(0x61), bytes(...BOM, 0x62)])).toEqual(["a", "\uFEFFb", ""]);
  });

  it("completes a character split across chunks, and ends an unfinished one with U+FFFD", () => {
    expect(decodeWithShortcut([bytes(0x61, 0xe6), bytes(0x97, 0xa5, 0x62), bytes(0xe6)])).toEqual([
      "a",
      "日b",
      "",
      "\uFFFD",
    ]);
  });

  it("reads any Uint8Array, not only Buffers", () => {
    const decoder = createUtf8StreamDecoder();
    const view = new Uint8Array([0x78, 0x61, 0x62, 0x79]).subarray(1, 3);
    expect(decoder.decode(view)).toBe("ab");
  });
});
