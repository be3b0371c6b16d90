import type { CopilotResponse } from "../copilot/copilot-client.js";
import { readUpstreamRequestIds } from "../copilot/copilot-errors.js";
import { UPSTREAM_MALFORMED, UpstreamConnectionError, UpstreamError } from "../errors.js";
import { describeNetworkError } from "../http/network-errors.js";

/*
 * A 2xx from Copilot is still untrusted: a body that is not JSON, or JSON of the wrong shape, is
 * Copilot's failure (502 upstream_error in the client's dialect), never the gateway's 500 and
 * never a success passed on.
 */

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

function malformedAnswerError(message: string, upstream: CopilotResponse): UpstreamError {
  return new UpstreamError(502, message, {
    code: UPSTREAM_MALFORMED,
    ...readUpstreamRequestIds(upstream.headers),
  });
}
