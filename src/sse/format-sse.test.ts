import { describe, expect, it } from "vitest";
import { formatSseData, formatSseEvent } from "./format-sse.js";
import { createSseParser, type SseEvent } from "./parse-sse.js";

function parseText(text: string): SseEvent[] {
  const parser = createSseParser();
  return [...parser.feed(text), ...parser.end()];
}

describe("formatSseData", () => {
  it("writes one data line", () => {
    expect(formatSseData('{"a":1}')).toBe('data: {"a":1}\n\n');
    expect(formatSseData("[DONE]")).toBe("data: [DONE]\n\n");
    expect(formatSseData("")).toBe("data: \n\n");
  });

  it("splits text with line breaks into several data lines", () => {
    expect(formatSseData("a\nb\r\nc\rd")).toBe("data: a\ndata: b\ndata: c\ndata: d\n\n");
    expect(formatSseData("a\n")).toBe("data: a\ndata: \n\n");
  });
});

describe("formatSseEvent", () => {
  it("writes the event line then the data lines", () => {
    expect(formatSseEvent("ping", '{"type":"ping"}')).toBe(
      'event: ping\ndata: {"type":"ping"}\n\n',
    );
    expect(formatSseEvent("note", "x\ny")).toBe("event: note\ndata: x\ndata: y\n\n");
  });
});

describe("formatSse round trip", () => {
  it("parses back to the same data", () => {
    const text =
      formatSseData("line one\nline two") +
      formatSseEvent("message_stop", '{"type":"message_stop"}') +
      formatSseData("a\n");
    expect(parseText(text)).toEqual([
      { event: undefined, data: "line one\nline two", id: undefined },
      { event: "message_stop", data: '{"type":"message_stop"}', id: undefined },
      { event: undefined, data: "a\n", id: undefined },
    ]);
  });
});
