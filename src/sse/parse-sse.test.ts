import { describe, expect, it } from "vitest";
import { readCopilotFixture } from "../translate/__fixtures__/copilot-fixtures.js";
import { createSseParser, readEventJson, type SseEvent } from "./parse-sse.js";

/** Every event of a stream fed in these chunks, its end included. */
function collectEvents(chunks: Iterable<Uint8Array | string>): SseEvent[] {
  const parser = createSseParser();
  const events: SseEvent[] = [];
  for (const chunk of chunks) events.push(...parser.feed(chunk));
  return [...events, ...parser.end()];
}

function splitBytes(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += size) {
    chunks.push(bytes.subarray(start, start + size));
  }
  return chunks;
}

// Every field kind, CRLF and CR line ends, a BOM, and multi-byte characters (2, 3 and 4 bytes).
const transcript =
  "\uFEFF: keep-alive comment\n" +
  "retry: 3000\n" +
  'data: {"text":"héllo 日本 👋"}\n\n' +
  "event: message_start\r\nid: 7\r\ndata: first line\r\ndata: second line\r\n\r\n" +
  "unknown: field\rdata: after CR\r\r" +
  "data: [DONE]\n\n";

const transcriptEvents: SseEvent[] = [
  { event: undefined, data: '{"text":"héllo 日本 👋"}', id: undefined },
  { event: "message_start", data: "first line\nsecond line", id: "7" },
  { event: undefined, data: "after CR", id: undefined },
  { event: undefined, data: "[DONE]", id: undefined },
];

describe("createSseParser over a whole stream", () => {
  it("parses a whole transcript, ignoring comments, retry and unknown fields", () => {
    expect(collectEvents([new TextEncoder().encode(transcript)])).toEqual(transcriptEvents);
  });

  it("gives identical events whatever byte boundary a chunk ends at", () => {
    const bytes = new TextEncoder().encode(transcript);
    for (let cut = 1; cut < bytes.length; cut++) {
      const events = collectEvents([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(events, `cut at byte ${cut}`).toEqual(transcriptEvents);
    }
  });

  it("gives identical events when fed one byte at a time", () => {
    const bytes = new TextEncoder().encode(transcript);
    expect(collectEvents(splitBytes(bytes, 1))).toEqual(transcriptEvents);
  });

  it("accepts string chunks", () => {
    expect(collectEvents(["data: a\n", "\ndata: b\n\n"])).toEqual([
      { event: undefined, data: "a", id: undefined },
      { event: undefined, data: "b", id: undefined },
    ]);
  });

  it("delivers a final event that lacks only its blank line", () => {
    expect(collectEvents(["data: a\n\ndata: [DONE]\n"])).toEqual([
      { event: undefined, data: "a", id: undefined },
      { event: undefined, data: "[DONE]", id: undefined },
    ]);
  });

  it("discards a final line that was cut off", () => {
    expect(collectEvents(['data: a\n\ndata: {"cho'])).toEqual([
      { event: undefined, data: "a", id: undefined },
    ]);
  });

  it("reads a recorded Copilot stream the same in 7-byte chunks as whole", async () => {
    const bytes = new TextEncoder().encode(
      await readCopilotFixture("chat/chat-stream.gpt-4o-mini.2025-01-11.sse"),
    );
    const whole = collectEvents([bytes]);
    expect(whole.length).toBe(7);
    expect(whole[6]).toEqual({ event: undefined, data: "[DONE]", id: undefined });
    expect(collectEvents(splitBytes(bytes, 7))).toEqual(whole);
  });
});

describe("createSseParser", () => {
  it("gives from each chunk the events it completes, however many", () => {
    const parser = createSseParser();
    expect(parser.feed('data: {"n":1}\n\ndata: {"n":2}\n\ndata: {"n":')).toEqual([
      { event: undefined, data: '{"n":1}', id: undefined },
      { event: undefined, data: '{"n":2}', id: undefined },
    ]);
    expect(parser.feed("3}\n")).toEqual([]);
    expect(parser.feed(new TextEncoder().encode("\nevent: e\ndata: x\n\n"))).toEqual([
      { event: undefined, data: '{"n":3}', id: undefined },
      { event: "e", data: "x", id: undefined },
    ]);
    expect(parser.end()).toEqual([]);
  });

  it("ends with an event that lacks only its blank line, and drops a cut-off line", () => {
    const whole = createSseParser();
    expect(whole.feed("data: [DONE]\n")).toEqual([]);
    expect(whole.end()).toEqual([{ event: undefined, data: "[DONE]", id: undefined }]);
    const cut = createSseParser();
    expect(cut.feed('data: {"cho')).toEqual([]);
    expect(cut.end()).toEqual([]);
  });

  it("keeps a character split across chunks whole, and makes a cut one U+FFFD", () => {
    const parser = createSseParser();
    expect(parser.feed(Buffer.from([0x64, 0x61, 0x74, 0x61, 0x3a, 0x20, 0xe6]))).toEqual([]);
    expect(parser.feed(Buffer.from([0x97, 0xa5, 0x0a, 0x0a]))).toEqual([
      { event: undefined, data: "日", id: undefined },
    ]);
    expect(parser.feed(Buffer.from([0x64, 0x61, 0x74, 0x61, 0x3a, 0x20, 0xe6]))).toEqual([]);
    expect(parser.feed(Buffer.from("\n"))).toEqual([]);
    expect(parser.end()).toEqual([{ event: undefined, data: "\uFFFD", id: undefined }]);
  });
});

describe("readEventJson", () => {
  it("parses an event's data once and gives every reader the same value", () => {
    const [event] = createSseParser().feed('data: {"usage":{"total_tokens":9}}\n\n');
    if (event === undefined) throw new Error("no event");
    const first = readEventJson(event);
    expect(first).toEqual({ usage: { total_tokens: 9 } });
    event.data = "changed: the second reader gets the value parsed before";
    expect(readEventJson(event)).toBe(first);
  });

  it("is undefined for data that is not JSON, every time it is asked", () => {
    const event: SseEvent = { event: undefined, data: "[DONE]", id: undefined };
    expect(readEventJson(event)).toBeUndefined();
    expect(readEventJson(event)).toBeUndefined();
    expect(readEventJson({ event: undefined, data: "null", id: undefined })).toBeNull();
  });
});
