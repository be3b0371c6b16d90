import type { z } from "zod";
import { UPSTREAM_MALFORMED, UpstreamError } from "../errors.js";
import { readEventJson, type SseEvent } from "../sse/parse-sse.js";

/*
 * A 2xx from Copilot is still untrusted: a body that is not JSON, or JSON of the wrong shape, is
 * Copilot's failure (502 upstream_error in the client's dialect), never the gateway's 500 and
 * never a success passed on.
 */

/**
 * A whole answer from Copilot: its text, parsed at most once whoever reads it first (the ledger
 * reads its usage, the dialect converts it).
 */
export class UpstreamAnswer {
  #parsed: { readonly value: unknown } | null | undefined;

  constructor(readonly text: string) {}

  /** The answer's JSON, or undefined when it is not JSON. */
  json(): unknown {
    if (this.#parsed === undefined) {
      try {
        this.#parsed = { value: JSON.parse(this.text) };
      } catch {
        this.#parsed = null;
      }
    }
    return this.#parsed?.value;
  }

  /** The JSON, checked against `schema` (loose) when one is given; a 502 when it is not. */
  read(what: string, schema?: z.ZodType): unknown {
    this.json();
    if (this.#parsed === null || this.#parsed === undefined) throw notJson(what);
    return checkUpstreamJson(this.#parsed.value, what, schema);
  }
}

/** Copilot's answer text parsed as JSON, and checked against `schema` (loose) when one is given. */
export function parseUpstreamJson(text: string, what: string, schema?: z.ZodType): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw notJson(what);
  }
  return checkUpstreamJson(json, what, schema);
}

function notJson(what: string): UpstreamError {
  return new UpstreamError(502, `Copilot's ${what} is not JSON`, { code: UPSTREAM_MALFORMED });
}

function checkUpstreamJson(json: unknown, what: string, schema: z.ZodType | undefined): unknown {
  if (schema !== undefined) {
    const result = schema.safeParse(json);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where =
        issue === undefined || issue.path.length === 0 ? "" : ` at ${issue.path.join(".")}`;
      throw new UpstreamError(
        502,
        `Copilot's ${what} was not understood${where}: ${issue?.message ?? "invalid"}`,
        { code: UPSTREAM_MALFORMED },
      );
    }
  }
  return json;
}

/** One event's `data` in a stream the gateway must read (translated streams). */
export function parseUpstreamEventData(event: SseEvent, what: string): unknown {
  const value = readEventJson(event);
  if (value === undefined) {
    throw new UpstreamError(502, `Copilot sent a ${what} event whose data is not JSON`, {
      code: UPSTREAM_MALFORMED,
    });
  }
  return value;
}
