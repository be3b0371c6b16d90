import { Readable } from "node:stream";
import type { CopilotResponse } from "../../src/copilot/copilot-client.js";

/**
 * A canned upstream body with the parts of undici's body that the gateway uses: a Readable (the
 * stream pipeline reads it with `read()` and watches `readableEnded`/`errored`), `text()`,
 * `json()` and `dump()`. Anything else undici offers is missing on purpose: a gateway change
 * that starts using it fails here loudly rather than passing on a guess.
 */
class CannedBody extends Readable {
  readonly #chunks: Buffer[];

  constructor(chunks: readonly string[]) {
    super();
    this.#chunks = chunks.map((chunk) => Buffer.from(chunk));
  }

  override _read(): void {
    this.push(this.#chunks.shift() ?? null);
  }

  async text(): Promise<string> {
    const parts: Buffer[] = [];
    for await (const chunk of this) parts.push(chunk as Buffer);
    return Buffer.concat(parts).toString("utf8");
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async dump(): Promise<void> {
    this.destroy();
  }
}

/** A body that yields `chunks` one read at a time (one chunk per upstream network read). */
export function createCannedBody(chunks: readonly string[]): CopilotResponse["body"] {
  // undici's body type names its whole mixin (blob, formData, …); see the class comment.
  return new CannedBody(chunks) as unknown as CopilotResponse["body"];
}
