import { describe, expect, it } from "vitest";
import { readCopilotFixture } from "../../translate/__fixtures__/copilot-fixtures.js";
import { createResponsesIdPinner } from "./create-responses-id-pinner.js";

const ROTATION =
  "responses/responses-stream.gpt-5.3-codex.id-rotation.2026-08-06.vercel-ai.chunks.txt";

interface Event {
  type: string;
  output_index?: number;
  item_id?: string;
  item?: { id: string };
  response?: { id: string; output: { id: string }[] };
}

async function pinRecording(): Promise<{ before: string[]; after: string[] }> {
  const before = (await readCopilotFixture(ROTATION)).split("\n").filter((line) => line !== "");
  const pin = createResponsesIdPinner();
  const after = before.map((data) => pin((JSON.parse(data) as Event).type, data));
  return { before, after };
}

/** [type, output_index, the id the event carries] of each event. */
function idsOf(lines: readonly string[]): [string, number | null, string][] {
  return lines.map((line) => {
    const event = JSON.parse(line) as Event;
    const id = event.item_id ?? event.item?.id ?? event.response?.id ?? "";
    return [event.type, event.output_index ?? null, id];
  });
}

describe("createResponsesIdPinner over the recorded id-rotation stream", () => {
  it("gives every event of an item the id it was announced with, and the response one id", async () => {
    const { before, after } = await pinRecording();
    // The recording: a new id in each of its 69 events.
    expect(new Set(idsOf(before).map(([, , id]) => id)).size).toBe(69);
    const pinned = idsOf(after);
    expect(pinned.slice(0, 10)).toEqual([
      ["response.created", null, "capture-id-1"],
      ["response.in_progress", null, "capture-id-1"],
      ["response.output_item.added", 0, "capture-id-3"],
      ["response.reasoning_summary_part.added", 0, "capture-id-3"],
      ["response.reasoning_summary_text.delta", 0, "capture-id-3"],
      ["response.reasoning_summary_text.done", 0, "capture-id-3"],
      ["response.reasoning_summary_part.done", 0, "capture-id-3"],
      ["response.output_item.done", 0, "capture-id-3"],
      ["response.output_item.added", 1, "capture-id-9"],
      ["response.content_part.added", 1, "capture-id-9"],
    ]);
    expect(new Set(pinned.filter(([, index]) => index === 1).map(([, , id]) => id))).toEqual(
      new Set(["capture-id-9"]),
    );
    const completed = JSON.parse(after.at(-1) ?? "") as Event;
    expect(completed.response?.id).toBe("capture-id-1");
    expect(completed.response?.output.map((item) => item.id)).toEqual([
      "capture-id-3",
      "capture-id-9",
    ]);
  });

  it("changes nothing but the ids: the rest of each event is byte for byte the same", async () => {
    const { before, after } = await pinRecording();
    const strip = (line: string) => line.replace(/"capture-id-\d+"/g, '"ID"');
    expect(after.map(strip)).toEqual(before.map(strip));
    // A delta is spliced, not re-serialised.
    expect(after[10]).toBe(before[10]?.replace('"capture-id-11"', '"capture-id-9"'));
  });
});

describe("createResponsesIdPinner", () => {
  it("relays events without ids, and text that only looks like an id key, unchanged", () => {
    const pin = createResponsesIdPinner();
    pin("response.output_item.added", '{"output_index":0,"item":{"id":"a","type":"message"}}');
    const keepalive = '{"type":"keepalive","sequence_number":3}';
    expect(pin("keepalive", keepalive)).toBe(keepalive);
    const tricky =
      '{"type":"response.output_text.delta","delta":"\\"item_id\\":\\"x\\"","item_id":"b","output_index":0}';
    expect(pin("response.output_text.delta", tricky)).toBe(
      '{"type":"response.output_text.delta","delta":"\\"item_id\\":\\"x\\"","item_id":"a","output_index":0}',
    );
    expect(pin("response.output_text.delta", "not json")).toBe("not json");
  });
});
