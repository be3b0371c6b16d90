import type { IncomingHttpHeaders } from "node:http";
import type { CopilotClient, CopilotResponse } from "../../copilot/copilot-client.js";
import type { Initiator } from "../../copilot/copilot-headers.js";
import type { Logger } from "../../logging/create-logger.js";
import type { StreamOutcome } from "../event-stream.js";
import type { Exchange } from "../exchange.js";
import { writeRequestLog } from "../middleware/request-log.js";

/**
 * A streamed answer is logged when the stream ends (with why, if it ended early), not when the
 * handler returns.
 */
export function logWhenStreamEnds(
  exchange: Exchange,
  logger: Logger,
  debug: boolean,
): (outcome: StreamOutcome) => void {
  exchange.log.deferred = true;
  return (outcome) => {
    if (!outcome.complete && outcome.reason !== undefined) exchange.log.note = outcome.reason;
    writeRequestLog(logger, exchange, 200, debug);
  };
}

/** Copilot's premium-request state travels back to the client, for honest accounting. */
export function copyQuotaHeaders(exchange: Exchange, headers: IncomingHttpHeaders): void {
  for (const name in headers) {
    if (name.startsWith("x-quota-snapshot-")) {
      const value = headers[name];
      if (typeof value === "string") exchange.setHeader(name, value);
    }
  }
}

/**
 * The request's Copilot call with everything but the path, the body and protocol headers fixed.
 * One object literal per call: on Node 20, adding keys to a spread copy costs microseconds.
 */
export function copilotCallerFor(
  copilot: CopilotClient,
  exchange: Exchange,
  traits: { readonly initiator: Initiator; readonly vision: boolean },
): (
  path: string,
  payload: string,
  protocolHeaders?: Record<string, string>,
) => Promise<CopilotResponse> {
  const { initiator, vision } = traits;
  return (path, payload, protocolHeaders) =>
    copilot.call({
      githubToken: exchange.githubToken,
      method: "POST",
      path,
      body: payload,
      initiator,
      vision,
      requestId: exchange.requestId,
      signal: exchange.signal,
      protocolHeaders,
    });
}
