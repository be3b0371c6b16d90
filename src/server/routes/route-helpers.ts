import type { IncomingHttpHeaders } from "node:http";
import type { Context } from "hono";
import type { Logger } from "../../logging/create-logger.js";
import type { AppEnv } from "../app-env.js";
import type { StreamOutcome } from "../event-stream.js";
import { writeRequestLog } from "../middleware/request-log.js";

/**
 * A streamed answer is logged when the stream ends (with why, if it ended early), not when the
 * handler returns.
 */
export function logWhenStreamEnds(
  c: Context<AppEnv>,
  logger: Logger,
  debug: boolean,
): (outcome: StreamOutcome) => void {
  c.get("log").deferred = true;
  return (outcome) => {
    if (!outcome.complete && outcome.reason !== undefined) c.get("log").note = outcome.reason;
    writeRequestLog(logger, c, 200, debug);
  };
}

/** Copilot's premium-request state travels back to the client, for honest accounting. */
export function copyQuotaHeaders(c: Context<AppEnv>, headers: IncomingHttpHeaders): void {
  for (const name in headers) {
    if (name.startsWith("x-quota-snapshot-")) {
      const value = headers[name];
      if (typeof value === "string") c.header(name, value);
    }
  }
}
