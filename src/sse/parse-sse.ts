import { createParser } from "eventsource-parser";
import { createUtf8StreamDecoder } from "./decode-utf8-stream.js";

/** One server-sent event; `data` joins multi-line data fields with "\n". */
export interface SseEvent {
  event: string | undefined;
  data: string;
  id: string | undefined;
}

/**
 * Turns a byte (or text) stream into server-sent events, yielding each event as soon as the
 * blank line that ends it has arrived. Comments, `retry:` lines and unknown fields are ignored,
 * as the SSE spec asks (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 */
export async function* parseSse(
  body: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<SseEvent> {
  // Keeps a multi-byte UTF-8 character that is split across two chunks intact.
  const decoder = createUtf8StreamDecoder();
  const pending: SseEvent[] = [];
  const parser = createParser({
    onEvent: (message) => {
      pending.push({ event: message.event, data: message.data, id: message.id });
    },
  });

  for await (const chunk of body) {
    parser.feed(typeof chunk === "string" ? chunk : decoder.decode(chunk));
    yield* drain(pending);
  }

  // A final event that lacks only its blank line is still delivered (a single "\n" completes
  // it); a line cut off mid-way stays incomplete and is discarded, as the spec says.
  parser.feed(`${decoder.flush()}\n`);
  yield* drain(pending);
}

function drain(pending: SseEvent[]): SseEvent[] {
  return pending.splice(0, pending.length);
}
