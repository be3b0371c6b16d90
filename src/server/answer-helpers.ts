import type { IncomingHttpHeaders } from "node:http";
import type { Logger } from "../logging/create-logger.js";
import type { StreamOutcome } from "./event-stream.js";
import type { Exchange } from "./exchange.js";
import { writeRequestLog } from "./middleware/request-log.js";

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
