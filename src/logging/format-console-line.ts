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

/** The same, from the record itself (request lines skip the JSON round trip). */
export function formatConsoleRecord(record: Record<string, unknown>): string {
  const time = typeof record.time === "string" ? record.time.slice(11, 19) : "";
  const level = typeof record.level === "string" ? record.level.toUpperCase().padEnd(5) : "";
  const parts: string[] = [time, level];
  if (typeof record.method === "string") {
    parts.push(
      `${record.method} ${String(record.path)} ${String(record.status)} ${String(record.ms)}ms`,
    );
    if (typeof record.model === "string") {
      const used = record.modelUsed;
      parts.push(
        typeof used === "string" && used !== record.model
          ? `${record.model}→${used}`
          : record.model,
      );
    }
    if (record.stream === true) parts.push("stream");
    if (typeof record.initiator === "string") parts.push(record.initiator);
    if (typeof record.msg === "string" && record.msg !== "request") parts.push(`— ${record.msg}`);
    if (typeof record.reqId === "string") parts.push(`req=${record.reqId}`);
    if (typeof record.cred === "string") parts.push(`cred=${record.cred}`);
  } else {
    parts.push(typeof record.msg === "string" ? record.msg : "");
  }
  for (const key of ["err", "headers", "responseHeaders"] as const) {
    if (record[key] !== undefined) parts.push(`${key}=${JSON.stringify(record[key])}`);
  }
  return `${parts.filter((part) => part !== "").join(" ")}\n`;
}
