import { randomUUID } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { Logger } from "../../logging/create-logger.js";
import type { AppEnv } from "../app-env.js";

const SECRET_HEADERS = new Set(["authorization", "x-api-key", "cookie", "proxy-authorization"]);

/** Gives each request an id and writes one log line when it is done. */
export function createRequestLog(options: {
  readonly logger: Logger;
  readonly debug: boolean;
}): MiddlewareHandler<AppEnv> {
  const { logger, debug } = options;
  return async (c, next) => {
    const requestId = randomUUID();
    c.set("requestId", requestId);
    c.set("startedAt", performance.now());
    c.set("log", {});
    c.header("x-request-id", requestId);
    await next();
    if (c.get("log").deferred !== true) writeRequestLog(logger, c, c.res.status, debug);
  };
}

/** One line per request: never the credential itself, only its fingerprint. */
export function writeRequestLog(
  logger: Logger,
  c: Context<AppEnv>,
  status: number,
  debug: boolean,
): void {
  const fields = c.get("log");
  const record: Record<string, unknown> = {
    reqId: c.get("requestId"),
    method: c.req.method,
    path: c.req.path,
    status,
    ms: Math.round((performance.now() - c.get("startedAt")) * 10) / 10,
    model: fields.model,
    modelUsed: fields.modelUsed,
    stream: fields.stream,
    initiator: fields.initiator,
    cred: c.get("credential"),
  };
  if (fields.note !== undefined) record.note = fields.note;
  if (debug) {
    record.headers = redactHeaders(c.req.raw.headers);
    record.responseHeaders = redactHeaders(c.res.headers);
  }
  record.msg = fields.note === undefined ? "request" : fields.note;
  logger.request(status >= 500 ? "error" : status >= 400 ? "warn" : "info", record);
}

export function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = SECRET_HEADERS.has(name) ? "[redacted]" : value;
  });
  return out;
}
