import { isAscii } from "node:buffer";
import { TextDecoder } from "node:util";

/** UTF-8 bytes to text, chunk by chunk, as `TextDecoder.decode(chunk, { stream: true })` does. */
export interface Utf8StreamDecoder {
  /** The text of this chunk; a character split across chunks comes out whole with its end. */
  decode(chunk: Uint8Array): string;
  /** The stream ended: an unfinished character left over becomes U+FFFD. */
  flush(): string;
}

/**
 * Gives exactly the text one `TextDecoder("utf-8")` fed every chunk would give, but copies a
 * chunk of ASCII bytes (nearly every chunk of a stream of English JSON) straight into a string,
 * at about half the cost. The TextDecoder is only fed the chunks that need it:
 * - an ASCII chunk can take the shortcut only when the decoder holds no unfinished character,
 *   which is certain once the last byte it was fed was ASCII;
 * - TextDecoder drops a byte order mark only at the very start of the stream, so the decoder
 *   made after an ASCII start ignores one.
 */
export function createUtf8StreamDecoder(): Utf8StreamDecoder {
  let decoder: TextDecoder | undefined;
  let started = false;
  let mayHoldBytes = false;
  return {
    decode(chunk) {
      if (chunk.length === 0) return "";
      const wasStarted = started;
      started = true;
      if (!mayHoldBytes && isAscii(chunk)) return toBuffer(chunk).toString("latin1");
      decoder ??= new TextDecoder("utf-8", { ignoreBOM: wasStarted });
      mayHoldBytes = (chunk[chunk.length - 1] as number) >= 0x80;
      return decoder.decode(chunk, { stream: true });
    },
    flush() {
      if (!mayHoldBytes || decoder === undefined) return "";
      mayHoldBytes = false;
      return decoder.decode();
    },
  };
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
}
