import { describe, expect, it } from "vitest";
import { createPrewarmEvents } from "./create-prewarm-events.js";

describe("createPrewarmEvents", () => {
  it("is a created and a completed response with no output", () => {
    const events = createPrewarmEvents(
      { model: "gpt-5.4", input: [], generate: false },
      { id: "resp_1", createdAt: 1_700_000_000, model: "gpt-5.4" },
    );
    expect(events.map((event) => [event.type, event.sequence_number])).toEqual([
      ["response.created", 0],
      ["response.completed", 1],
    ]);
    expect(events[1]).toMatchObject({
      response: { id: "resp_1", status: "completed", output: [], model: "gpt-5.4", usage: null },
    });
    expect(events[0]).toMatchObject({ response: { id: "resp_1", status: "in_progress" } });
  });
});
