import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { formatCredits } from "../../keys/credit-amount.js";
import type { Logger } from "../../logging/create-logger.js";
import type { Exchange } from "../exchange.js";

const SECRET_HEADERS = new Set(["authorization", "x-api-key", "cookie", "proxy-authorization"]);

/** What a log line reads of a request: an HTTP exchange, or one response.create on a WebSocket. */
export type LoggedRequest = Pick<
  Exchange,
  "requestId" | "method" | "path" | "startedAt" | "log" | "credential" | "headers"
> & { readonly incoming: Pick<IncomingMessage, "headers"> };

/** One line per request: never the credential itself, only its fingerprint. */
export function writeRequestLog(
  logger: Logger,
  exchange: LoggedRequest,
  status: number,
  debug: boolean,
): void {
  const fields = exchange.log;
  const record: Record<string, unknown> = {
    reqId: exchange.requestId,
    method: exchange.method,
    path: exchange.path,
    status,
    ms: Math.round((performance.now() - exchange.startedAt) * 10) / 10,
    model: fields.model,
    modelUsed: fields.modelUsed,
    stream: fields.stream,
    initiator: fields.initiator,
    cred: exchange.credential,
  };
  if (fields.keyName !== undefined) record.key = fields.keyName;
  const cost = fields.cost;
  if (cost !== undefined) {
    record.tokens = {
      input: cost.tokens.input,
      cacheRead: cost.tokens.cache_read,
      cacheWrite: cost.tokens.cache_write,
      output: cost.tokens.output,
      reasoning: cost.reasoningTokens,
    };
    record.credits = formatCredits(cost.nanoCredits);
    record.creditsSource = cost.creditsSource;
  }
  if (fields.fallbackFrom !== undefined) record.fallbackFrom = fields.fallbackFrom;
  if (fields.upstreamRequestId !== undefined) record.githubRequestId = fields.upstreamRequestId;
  if (fields.copilotServiceRequestId !== undefined) {
    record.copilotRequestId = fields.copilotServiceRequestId;
  }
  if (fields.note !== undefined) record.note = fields.note;
  if (debug) {
    record.headers = redactHeaders(exchange.incoming.headers);
    record.responseHeaders = redactHeaders(exchange.headers);
  }
  record.msg = fields.note === undefined ? "request" : fields.note;
  logger.request(status >= 500 ? "error" : status >= 400 ? "warn" : "info", record);
}

export function redactHeaders(
  headers: IncomingHttpHeaders | Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    out[name] = SECRET_HEADERS.has(name)
      ? "[redacted]"
      : Array.isArray(value)
        ? value.join(", ")
        : value;
  }
  return out;
}
