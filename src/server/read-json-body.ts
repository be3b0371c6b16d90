import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { GatewayError, InvalidRequestError } from "../errors.js";
import type { Exchange } from "./exchange.js";
import { measureJson } from "./measure-json.js";

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

/**
 * More values than any real request holds (a long agent conversation with its tool schemas has
 * tens of thousands; text and images are one value each), and few enough that the parsed body
 * stays within a few hundred MB however its values are shaped: 32 MB of `{},` would otherwise
 * become ten million objects.
 */
export const MAX_JSON_NODES = 500_000;

// JSON must be UTF-8 (RFC 8259 §8.1): replacing bad bytes with U+FFFD would alter the user's text
// without telling them.
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a JSON body of at most `limit` bytes and validates it; failures are 400s that name the
 * field, an oversized body a 413 (checked on the declared length first, then while reading).
 */
export async function readJsonBody<T>(
  exchange: Exchange,
  schema: z.ZodType<T>,
  limit: number,
): Promise<ParsedBody<T>> {
  try {
    return parseJsonBody(await readBodyBytes(exchange.incoming, limit), schema);
  } finally {
    exchange.releaseBody();
  }
}

/** Checks and parses a JSON body already in memory (an HTTP body, a WebSocket frame). */
export function parseJsonBody<T>(bytes: Buffer, schema: z.ZodType<T>): ParsedBody<T> {
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
  // Measured on the text, before JSON.parse builds a value per node.
  const shape = measureJson(raw, { maxDepth: MAX_JSON_DEPTH, maxNodes: MAX_JSON_NODES });
  if (shape.depth > MAX_JSON_DEPTH) {
    throw new InvalidRequestError(
      `The request body is nested more than ${MAX_JSON_DEPTH} levels deep`,
      { code: "json_too_deep" },
    );
  }
  if (shape.nodes > MAX_JSON_NODES) {
    throw new InvalidRequestError(
      `The request body holds more than ${MAX_JSON_NODES} JSON values`,
      { code: "json_too_large" },
    );
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

/**
 * The raw body, read straight from Node's request stream (events rather than an async iterator:
 * one promise per body instead of one per chunk); 413 once it passes `limit`. A client that hangs
 * up mid-body makes it fail with Node's error.
 */
function readBodyBytes(incoming: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(incoming.headers["content-length"]);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(
        chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, size),
      );
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(incoming.errored ?? new Error("The client closed the connection during the body"));
    };
    const cleanup = () => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
      incoming.off("close", onClose);
    };
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onError);
    incoming.on("close", onClose);
  });
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError(
    413,
    "payload_too_large",
    `The request body is larger than the limit of ${limit} bytes (BODY_LIMIT)`,
    { code: "request_too_large" },
  );
}
