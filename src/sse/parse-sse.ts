import { createParser } from "eventsource-parser";
import { createUtf8StreamDecoder } from "./decode-utf8-stream.js";

/** One server-sent event; `data` joins multi-line data fields with "\n". */
export interface SseEvent {
  event: string | undefined;
  data: string;
  id: string | undefined;
  /** `data` as JSON, kept by `readEventJson` for the event's next reader (undefined: not yet). */
  json?: unknown;
}

/**
 * The event's `data` parsed as JSON, parsed once however many read it (the ledger's usage
 * reader, then the translator): undefined when the data is not JSON (each reader says what
 * that means for it). The value is shared: a reader that changes it in place reads last.
 */
export function readEventJson(event: SseEvent): unknown {
  if (event.json === undefined) {
    try {
      event.json = JSON.parse(event.data) as unknown;
    } catch {
      return undefined;
    }
  }
  return event.json;
}

/**
 * Turns the chunks of a byte (or text) stream into server-sent events, synchronously: each
 * chunk gives the events its bytes complete. Comments, `retry:` lines and unknown fields are
 * ignored, as the SSE spec asks (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 */
export interface SseParser {
  /** The events whose blank line is in this chunk, in order (often none, often several). */
  feed(chunk: Uint8Array | string): readonly SseEvent[];
  /**
   * The stream ended: a final event that lacks only its blank line is still delivered; a line
   * cut off mid-way stays incomplete and is discarded, as the spec says.
   */
  end(): readonly SseEvent[];
}

export function createSseParser(): SseParser {
  const decoder = createUtf8StreamDecoder();
  let events: SseEvent[] = [];
  const parser = createParser({
    onEvent: (message) => {
      events.push({ event: message.event, data: message.data, id: message.id, json: undefined });
    },
  });
  const take = (): SseEvent[] => {
    const taken = events;
    events = [];
    return taken;
  };
  return {
    feed(chunk) {
      parser.feed(typeof chunk === "string" ? chunk : decoder.decode(chunk));
      return events.length === 0 ? NO_EVENTS : take();
    },
    end() {
      // A single "\n" completes an event that lacks only its blank line.
      parser.feed(`${decoder.flush()}\n`);
      return take();
    },
  };
}

// Many chunks complete no event: that answer need not be a new array.
const NO_EVENTS: readonly SseEvent[] = Object.freeze([]);
