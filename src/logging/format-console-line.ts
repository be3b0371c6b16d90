/**
 * Turns one pino JSON record into a line for people:
 * `15:04:05 INFO  POST /v1/chat/completions 200 412ms gpt-4o stream user req=… cred=…`.
 */
export function formatConsoleLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  return formatConsoleRecord(record);
}

/** The labels of pino's levels, padded to one width; others are computed. */
const LEVEL_LABELS = new Map(
  ["trace", "debug", "info", "warn", "error", "fatal"].map((level) => [
    level,
    level.toUpperCase().padEnd(5),
  ]),
);

/**
 * The same, from the record itself (request lines skip the JSON round trip). The parts are
 * joined by single spaces, leaving out empty ones; this runs once per request, so the line is
 * built by concatenation rather than through an array.
 */
export function formatConsoleRecord(record: Record<string, unknown>): string {
  let line = typeof record.time === "string" ? record.time.slice(11, 19) : "";
  const level = record.level;
  if (typeof level === "string") {
    line = appendPart(line, LEVEL_LABELS.get(level) ?? level.toUpperCase().padEnd(5));
  }
  if (typeof record.method === "string") {
    line = appendPart(
      line,
      `${record.method} ${String(record.path)} ${String(record.status)} ${String(record.ms)}ms`,
    );
    const model = record.model;
    if (typeof model === "string") {
      const used = record.modelUsed;
      line = appendPart(
        line,
        typeof used === "string" && used !== model ? `${model}→${used}` : model,
      );
    }
    if (record.stream === true) line = appendPart(line, "stream");
    if (typeof record.initiator === "string") line = appendPart(line, record.initiator);
    if (typeof record.fallbackFrom === "string") {
      line = appendPart(line, `fallback-from=${record.fallbackFrom}`);
    }
    if (typeof record.key === "string") line = appendPart(line, `key=${record.key}`);
    line = appendPart(line, describeSpend(record.tokens, record.credits, record.creditsSource));
    const msg = record.msg;
    if (typeof msg === "string" && msg !== "request") line = appendPart(line, `— ${msg}`);
    if (typeof record.reqId === "string") line = appendPart(line, `req=${record.reqId}`);
    if (typeof record.cred === "string") line = appendPart(line, `cred=${record.cred}`);
    if (typeof record.githubRequestId === "string") {
      line = appendPart(line, `github-req=${record.githubRequestId}`);
    }
    if (typeof record.copilotRequestId === "string") {
      line = appendPart(line, `copilot-req=${record.copilotRequestId}`);
    }
  } else if (typeof record.msg === "string") {
    line = appendPart(line, record.msg);
  }
  if (record.err !== undefined) line = appendPart(line, `err=${JSON.stringify(record.err)}`);
  if (record.headers !== undefined) {
    line = appendPart(line, `headers=${JSON.stringify(record.headers)}`);
  }
  if (record.responseHeaders !== undefined) {
    line = appendPart(line, `responseHeaders=${JSON.stringify(record.responseHeaders)}`);
  }
  return `${line}\n`;
}

/** `tokens=12+0r+0w→34 credits=0.00093` (input + cache read + cache write → output). */
function describeSpend(tokens: unknown, credits: unknown, source: unknown): string {
  if (typeof tokens !== "object" || tokens === null) return "";
  const { input, cacheRead, cacheWrite, output } = tokens as Record<string, unknown>;
  const counts = `tokens=${String(input)}+${String(cacheRead)}r+${String(cacheWrite)}w→${String(output)}`;
  if (typeof credits !== "string") return counts;
  return `${counts} credits=${credits}${source === "copilot" ? "" : ` (${String(source)})`}`;
}

function appendPart(line: string, part: string): string {
  if (part === "") return line;
  return line === "" ? part : `${line} ${part}`;
}
