import type { Context } from "hono";
import type { z } from "zod";
import { InvalidRequestError } from "../errors.js";

export interface ParsedBody<T> {
  readonly value: T;
  /** The body as received, so it can be forwarded without re-serialising when unchanged. */
  readonly raw: string;
}

/** Reads a JSON body and validates it; failures are 400s that name the field. */
export async function readJsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<ParsedBody<T>> {
  const raw = await c.req.text();
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
