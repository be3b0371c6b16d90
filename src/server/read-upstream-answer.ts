import type { z } from "zod";
import type { CopilotResponse } from "../copilot/copilot-client.js";
import { UpstreamConnectionError, UpstreamError } from "../errors.js";
import { describeNetworkError } from "../http/network-errors.js";

/*
 * A 2xx from Copilot is still untrusted: a body that is not JSON, or JSON of the wrong shape, is
 * Copilot's failure (502 upstream_error in the client's dialect), never the gateway's 500 and
 * never a success passed on.
 */

const MALFORMED = "upstream_malformed_response";

/** The whole body as text; a body that breaks off is a connection failure. */
export async function readUpstreamText(upstream: CopilotResponse, what: string): Promise<string> {
  try {
    return await upstream.body.text();
  } catch (error) {
    throw new UpstreamConnectionError(
      `Copilot's ${what} broke off before it was complete: ${describeNetworkError(error)}`,
      { cause: error, retryable: false },
    );
  }
}

/** The body parsed as JSON, and checked against `schema` when one is given. */
export async function readUpstreamJson(
  upstream: CopilotResponse,
  what: string,
  schema?: z.ZodType,
): Promise<unknown> {
  return parseUpstreamJson(await readUpstreamText(upstream, what), upstream, what, schema);
}

export function parseUpstreamJson(
  text: string,
  upstream: CopilotResponse,
  what: string,
  schema?: z.ZodType,
): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw malformedAnswerError(`Copilot's ${what} is not JSON`, upstream);
  }
  if (schema !== undefined) {
    const result = schema.safeParse(json);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where =
        issue === undefined || issue.path.length === 0 ? "" : ` at ${issue.path.join(".")}`;
      throw malformedAnswerError(
        `Copilot's ${what} was not understood${where}: ${issue?.message ?? "invalid"}`,
        upstream,
      );
    }
  }
  return json;
}

/**
 * Before a stream starts: Copilot must answer a streamed request with an event stream. Anything
 * else (a JSON answer, an HTML page) is refused while a status can still say so.
 */
export async function expectEventStream(upstream: CopilotResponse, what: string): Promise<void> {
  const type = upstream.headers["content-type"];
  if (typeof type === "string" && /^\s*text\/event-stream\s*(;|$)/i.test(type)) return;
  await upstream.body.dump().catch(() => undefined);
  throw malformedAnswerError(
    `Copilot answered a streamed ${what} with ${type === undefined ? "no content type" : `content type "${String(type)}"`} instead of an event stream`,
    upstream,
  );
}

/** One event's `data` in a stream the gateway must read (translated streams). */
export function parseUpstreamEventData(data: string, what: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new UpstreamError(502, `Copilot sent a ${what} event whose data is not JSON`, {
      code: MALFORMED,
    });
  }
}

function malformedAnswerError(message: string, upstream: CopilotResponse): UpstreamError {
  const requestId = upstream.headers["x-github-request-id"];
  return new UpstreamError(502, message, {
    code: MALFORMED,
    upstreamRequestId: typeof requestId === "string" ? requestId : undefined,
  });
}
