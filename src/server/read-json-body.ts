import type { Context } from "hono";
import type { z } from "zod";
import { InvalidRequestError } from "../errors.js";

export interface ParsedBody<T> {
  readonly value: T;
  /** The body as received, so it can be forwarded without re-serialising when unchanged. */
  readonly raw: string;
}

/**
 * Deeper than any real request (tool schemas nest a few dozen levels at most), and far from the
 * depth at which `JSON.stringify` or any other recursive walk of the body overflows the stack.
 */
export const MAX_JSON_DEPTH = 128;

// JSON must be UTF-8 (RFC 8259 §8.1): replacing bad bytes with U+FFFD would alter the user's text
// without telling them.
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Reads a JSON body and validates it; failures are 400s that name the field. */
export async function readJsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<ParsedBody<T>> {
  const bytes = await c.req.arrayBuffer();
  let raw: string;
  try {
    raw = utf8.decode(bytes);
  } catch {
    throw new InvalidRequestError("The request body is not valid UTF-8", {
      code: "invalid_json",
    });
  }
  if (raw.trim() === "") {
    throw new InvalidRequestError("The request body is empty; send a JSON object", {
      code: "invalid_json",
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    const detail = error instanceof Error ? error.message : "parse error";
    throw new InvalidRequestError(`The request body is not valid JSON: ${detail}`, {
      code: "invalid_json",
    });
  }
  if (exceedsJsonDepth(raw, MAX_JSON_DEPTH)) {
    throw new InvalidRequestError(
      `The request body is nested more than ${MAX_JSON_DEPTH} levels deep`,
      { code: "json_too_deep" },
    );
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue === undefined ? "" : formatPath(issue.path);
    const message = issue?.message ?? "invalid value";
    throw new InvalidRequestError(
      path === ""
        ? `Invalid request body: ${message}`
        : `Invalid request body: ${path}: ${message}`,
      { code: "invalid_request_body", param: path === "" ? undefined : path },
    );
  }
  return { value: result.data, raw };
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Counts the brackets of valid JSON text, skipping those inside strings. */
export function exceedsJsonDepth(json: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < json.length; index++) {
    const char = json.charCodeAt(index);
    if (inString) {
      if (char === BACKSLASH) index++;
      else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) inString = true;
    else if (char === OPEN_BRACKET || char === OPEN_BRACE) {
      if (++depth > maxDepth) return true;
    } else if (char === CLOSE_BRACKET || char === CLOSE_BRACE) depth--;
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
