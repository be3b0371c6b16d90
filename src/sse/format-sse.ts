// Any of CR, LF or CRLF ends a line in SSE, so each must start a new `data:` field.
const LINE_BREAK = /\r\n|\r|\n/;

/** One event to send: `data` with an optional `event` name. */
export interface SseMessage {
  readonly event?: string | undefined;
  readonly data: string;
}

/** An Anthropic or Responses event: named by its `type`, its JSON as the data. */
export function typedEventMessage(event: { readonly type: string }): SseMessage {
  return { event: event.type, data: JSON.stringify(event) };
}

/** Renders events, in order, as one text. */
export function formatSseMessages(messages: readonly SseMessage[]): string {
  let text = "";
  for (const message of messages) {
    text +=
      message.event === undefined
        ? formatSseData(message.data)
        : formatSseEvent(message.event, message.data);
  }
  return text;
}

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
