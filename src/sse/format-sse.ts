// Any of CR, LF or CRLF ends a line in SSE, so each must start a new `data:` field.
const LINE_BREAK = /\r\n|\r|\n/;

/** Renders one `data:`-only event; text with line breaks becomes several `data:` lines. */
export function formatSseData(data: string): string {
  if (!data.includes("\n") && !data.includes("\r")) return `data: ${data}\n\n`;
  return `${formatDataLines(data)}\n`;
}

/** Renders a named event (`event:` then `data:` lines), as the Anthropic and Responses APIs use. */
export function formatSseEvent(event: string, data: string): string {
  if (!data.includes("\n") && !data.includes("\r")) return `event: ${event}\ndata: ${data}\n\n`;
  return `event: ${event}\n${formatDataLines(data)}\n`;
}

function formatDataLines(data: string): string {
  let lines = "";
  for (const line of data.split(LINE_BREAK)) lines += `data: ${line}\n`;
  return lines;
}
