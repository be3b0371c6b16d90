// The text path must give exactly the bytes of the JSON path (parse, fill in, JSON.stringify).
import { readdir } from "node:fs/promises";
import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixturesDir } from "../../test/fixtures-dir.js";
import { readCopilotFixtureSseData } from "./__fixtures__/copilot-fixtures.js";
import {
  createChatChunkNormalizer,
  createChatChunkObjectNormalizer,
  createChatChunkStreamState,
  type ChatChunkDefaults,
  type ChatChunkNormalizer,
} from "./normalize-chat-completion-chunk.js";
import { spliceChatChunk } from "./splice-chat-completion-chunk.js";

const defaults = { model: "gpt-4o", created: 1700000000, id: "chatcmpl-default" };

/** The JSON path alone, as createChatChunkNormalizer ran before the text path existed. */
function createJsonNormalizer(options: ChatChunkDefaults): ChatChunkNormalizer {
  const normalize = createChatChunkObjectNormalizer(options);
  return (data) => {
    const chunk = normalize(data);
    if (chunk === undefined) return undefined;
    return "error" in chunk && chunk.error !== null ? data : JSON.stringify(chunk);
  };
}

type Outcome = string | undefined | { error: string };

function run(normalize: ChatChunkNormalizer, payloads: readonly string[]): Outcome[] {
  return payloads.map((data) => {
    try {
      return normalize(data);
    } catch (error) {
      return { error: String(error) };
    }
  });
}

async function readChatStreams(): Promise<Map<string, string[]>> {
  const names = (await readdir(path.join(fixturesDir, "chat"))).filter((name) =>
    name.endsWith(".sse"),
  );
  const streams = new Map<string, string[]>();
  for (const name of names.sort()) {
    const payloads = await readCopilotFixtureSseData(`chat/${name}`);
    streams.set(
      name,
      payloads.filter((data) => data !== "[DONE]"),
    );
  }
  return streams;
}

describe("spliceChatChunk", () => {
  it("gives the JSON path's bytes for every recorded Copilot stream", async () => {
    const streams = await readChatStreams();
    expect(streams.size).toBe(15);
    for (const [name, payloads] of streams) {
      expect(run(createChatChunkNormalizer(defaults), payloads), name).toEqual(
        run(createJsonNormalizer(defaults), payloads),
      );
    }
  });

  it("takes the text path for every chunk of the recorded streams but the hand-edited one", async () => {
    const streams = await readChatStreams();
    const jsonPathChunks: Record<string, number> = {};
    for (const [name, payloads] of streams) {
      const stream = createChatChunkStreamState(defaults);
      const count = payloads.filter((data) => spliceChatChunk(data, stream) === null).length;
      if (count > 0) jsonPathChunks[name] = count;
    }
    // All but its leading filter chunk have spaces (`{ "index": 0, …`) JSON.stringify would remove.
    expect(jsonPathChunks).toEqual({
      "chat-stream.gpt-4o.tool-call.copilot_annotations.EDITED.sse": 49,
    });
  });

  it("edits a Copilot chunk in place and appends what is missing, as JSON.stringify would", () => {
    const stream = createChatChunkStreamState(defaults);
    expect(
      spliceChatChunk(
        '{"choices":[{"index":0,"content_filter_results":{},"delta":{"content":"Hi","role":"assistant"}}],"created":1747592466,"id":"chatcmpl-1","model":"gpt-4o-2024-11-20","system_fingerprint":"fp_1"}',
        stream,
      ),
    ).toBe(
      '{"choices":[{"index":0,"content_filter_results":{},"delta":{"content":"Hi","role":"assistant"},"finish_reason":null}],"created":1747592466,"id":"chatcmpl-1","model":"gpt-4o-2024-11-20","system_fingerprint":"fp_1","object":"chat.completion.chunk"}',
    );
    // The repeated role goes (first, middle and only entry), the stream's id and model stay.
    expect(
      spliceChatChunk(
        '{"choices":[{"delta":{"role":"assistant","content":"a"}},{"index":1,"delta":{"content":"b","role":"assistant","x":1}},{"index":1,"delta":{"role":"assistant"},"finish_reason":"stop"}],"id":"other","created":0}',
        stream,
      ),
    ).toBe(
      '{"choices":[{"delta":{"content":"a"},"index":0,"finish_reason":null},{"index":1,"delta":{"content":"b","role":"assistant","x":1},"finish_reason":null},{"index":1,"delta":{},"finish_reason":"stop"}],"id":"chatcmpl-1","created":1747592466,"object":"chat.completion.chunk","model":"gpt-4o-2024-11-20"}',
    );
  });

  it("fills a missing or odd index and delta, renumbers tool calls, fixes the usage total", () => {
    const stream = createChatChunkStreamState(defaults);
    expect(
      spliceChatChunk(
        '{"choices":[{"index":"0","delta":"x"},{"finish_reason":null},{"index":2,"delta":{"tool_calls":[{"id":"a","index":0},{"id":"b","index":0}]}}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":0}}',
        stream,
      ),
    ).toBe(
      '{"choices":[{"index":0,"delta":{},"finish_reason":null},{"finish_reason":null,"index":0,"delta":{}},{"index":2,"delta":{"tool_calls":[{"id":"a","index":0},{"id":"b","index":1}]},"finish_reason":null}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7},"id":"chatcmpl-default","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o"}',
    );
  });

  it("drops the leading filter chunk, but keeps what it says about model and created", () => {
    const stream = createChatChunkStreamState(defaults);
    expect(
      spliceChatChunk(
        '{"choices":[],"created":1,"id":"","model":"m","prompt_filter_results":[]}',
        stream,
      ),
    ).toBeUndefined();
    expect(spliceChatChunk('{"choices":[{"index":0,"delta":{}}]}', stream)).toBe(
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"id":"chatcmpl-default","object":"chat.completion.chunk","created":1,"model":"m"}',
    );
  });

  it("skips a filter object seen before by comparing text, and checks any other text in full", () => {
    const stream = createChatChunkStreamState(defaults);
    const chunk = (filter: string) =>
      `{"choices":[{"index":0,"content_filter_results":${filter},"delta":{}}],"id":"c"}`;
    const filter = '{"hate":{"filtered":false,"severity":"safe"}}';
    expect(spliceChatChunk(chunk(filter), stream)).toBe(
      '{"choices":[{"index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"delta":{},"finish_reason":null}],"id":"c","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o"}',
    );
    expect(stream.knownValues).toEqual([filter]);
    expect(spliceChatChunk(chunk(filter), stream)).toBe(
      '{"choices":[{"index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"delta":{},"finish_reason":null}],"id":"c","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o"}',
    );
    // Same length, one character apart: scanned in full (and remembered).
    expect(spliceChatChunk(chunk('{"hate":{"filtered":false,"severity":"safx"}}'), stream)).toBe(
      '{"choices":[{"index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safx"}},"delta":{},"finish_reason":null}],"id":"c","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o"}',
    );
    expect(stream.knownValues).toEqual([filter, '{"hate":{"filtered":false,"severity":"safx"}}']);
    // Starts as the known object does, but a duplicate key follows.
    expect(
      spliceChatChunk(chunk('{"hate":{"filtered":false,"severity":"safe"},"hate":1}'), stream),
    ).toBeNull();
    // The known object, then more than the choice allows.
    expect(spliceChatChunk(chunk(`${filter}}`), stream)).toBeNull();
    expect(
      spliceChatChunk(chunk(`${filter},"x":{"filtered":false,"severity":"safe"}`), stream),
    ).toBe(
      '{"choices":[{"index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"x":{"filtered":false,"severity":"safe"},"delta":{},"finish_reason":null}],"id":"c","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o"}',
    );
  });

  it("follows the model and created of each chunk, to a new value and back", () => {
    const payloads = [
      '{"choices":[{"index":0,"delta":{}}],"id":"a","created":5,"model":"m1"}',
      '{"choices":[{"index":0,"delta":{}}],"id":"b","created":6,"model":"m2"}',
      '{"choices":[{"index":0,"delta":{}}],"created":5,"model":"m1"}',
      '{"choices":[{"index":0,"delta":{}}],"created":0,"model":""}',
      '{"choices":[{"index":0,"delta":{}}],"created":6,"model":"m\\"2"}',
      // Dropped, yet it changes model and created; the next chunk changes them back.
      '{"choices":[],"created":7,"model":"m3"}',
      '{"choices":[{"index":0,"delta":{}}],"created":6,"model":"m\\"2"}',
      '{"choices":[{"index":0,"delta":{}}]}',
    ];
    const expected = [
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"id":"a","created":5,"model":"m1","object":"chat.completion.chunk"}',
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"id":"a","created":6,"model":"m2","object":"chat.completion.chunk"}',
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"created":5,"model":"m1","id":"a","object":"chat.completion.chunk"}',
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"created":5,"model":"m1","id":"a","object":"chat.completion.chunk"}',
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"created":6,"model":"m\\"2","id":"a","object":"chat.completion.chunk"}',
      undefined,
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"created":6,"model":"m\\"2","id":"a","object":"chat.completion.chunk"}',
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"id":"a","object":"chat.completion.chunk","created":6,"model":"m\\"2"}',
    ];
    const stream = createChatChunkStreamState(defaults);
    expect(payloads.map((data) => spliceChatChunk(data, stream))).toEqual(expected);
    expect(run(createJsonNormalizer(defaults), payloads)).toEqual(expected);
  });

  it("keeps the stream's id, escaped or not, and replaces any other", () => {
    for (const id of ["chatcmpl-1", 'a"b\\c']) {
      const written = JSON.stringify(id);
      const payloads = [written, written, JSON.stringify(`${id}x`), '"x"', written].map(
        (value) => `{"choices":[{"index":0,"delta":{}}],"id":${value},"created":5,"model":"m"}`,
      );
      const expected = `{"choices":[{"index":0,"delta":{},"finish_reason":null}],"id":${written},"created":5,"model":"m","object":"chat.completion.chunk"}`;
      const stream = createChatChunkStreamState(defaults);
      expect(payloads.map((data) => spliceChatChunk(data, stream))).toEqual(
        payloads.map(() => expected),
      );
      expect(run(createJsonNormalizer(defaults), payloads)).toEqual(payloads.map(() => expected));
    }
  });

  it("leaves an escaped lone surrogate to the JSON path, even as the stream's own id", () => {
    const stream = createChatChunkStreamState({ ...defaults, id: "\ud800" });
    expect(spliceChatChunk('{"choices":[{"index":0,"delta":{}}]}', stream)).toBe(
      '{"choices":[{"index":0,"delta":{},"finish_reason":null}],"id":"\\ud800","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o"}',
    );
    expect(
      spliceChatChunk('{"choices":[{"index":0,"delta":{}}],"id":"\\ud800"}', stream),
    ).toBeNull();
  });

  it("leaves a chunk of more than 64 choices to the JSON path", () => {
    const chunk = (count: number) =>
      `{"choices":[${Array(count).fill('{"index":0,"delta":{}}').join(",")}],"id":"a"}`;
    const stream = createChatChunkStreamState(defaults);
    expect(spliceChatChunk(chunk(65), stream)).toBeNull();
    expect(spliceChatChunk(chunk(64), stream)).toBe(
      `{"choices":[${Array(64).fill('{"index":0,"delta":{},"finish_reason":null}').join(",")}],"id":"a","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o"}`,
    );
    expect(createChatChunkNormalizer(defaults)(chunk(65))).toBe(
      createJsonNormalizer(defaults)(chunk(65)),
    );
  });

  it("leaves to the JSON path, untouched, what is not written as JSON.stringify writes", () => {
    for (const data of [
      '{"choices":[{"index":0,"delta":{"content":"\\u00e9"}}]}',
      '{"choices": [{"index":0,"delta":{}}]}',
      '{"choices":[{"index":0,"delta":{}}],"created":1.0}',
      '{"choices":[{"index":0,"delta":{}}],"id":"a","id":"b"}',
      '{"choices":[{"index":0,"delta":{}}],"error":{"message":"boom"}}',
      '{"choices":[1]}',
      '{"choices":{}}',
      '{"choices":[{"index":0,"delta":{}}]',
      "[]",
      "",
    ]) {
      const stream = createChatChunkStreamState(defaults);
      expect(spliceChatChunk(data, stream), data).toBeNull();
      expect(stream, data).toEqual(createChatChunkStreamState(defaults));
    }
  });

  it("gives the JSON path's bytes, and errors, for any sequence of chunks", () => {
    const role = fc.constantFrom("assistant", null, 1, "");
    const text = fc.constantFrom("a", "é👋", 'q"\\\n\u0001', "");
    const toolCall = entries({
      index: fc.constantFrom(0, 1, 2, "0"),
      id: fc.constantFrom("t1", "t2", "", null),
      type: fc.constant("function"),
      function: entries({ name: text, arguments: text }),
    });
    const delta = fc.oneof(
      entries({
        content: fc.oneof(text, fc.constant(null)),
        role,
        tool_calls: fc.oneof(fc.array(toolCall, { maxLength: 3 }), fc.constant(null)),
        x: fc.jsonValue(),
      }),
      fc.constantFrom(null, "x", [], 3),
    );
    const filterResults = fc.constantFrom(
      { hate: { filtered: false, severity: "safe" }, violence: { filtered: false } },
      { hate: { filtered: false, severity: "safe" } },
      { check_offset: 0, start_offset: 0, end_offset: 31 },
      { check_offset: 0, start_offset: 0, end_offset: 3 },
      { error: { code: "", message: "é👋\n" }, list: [1, { a: null }] },
    );
    const choice = fc.oneof(
      {
        weight: 9,
        arbitrary: entries({
          index: fc.constantFrom(0, 1, 1.5, -1, "1", null),
          // Repeated objects, as Copilot repeats them, exercise the stream's known values.
          content_filter_results: fc.oneof(fc.jsonValue(), filterResults),
          content_filter_offsets: filterResults,
          delta,
          finish_reason: fc.constantFrom(null, "stop", "tool_calls", 0),
        }),
      },
      { weight: 1, arbitrary: fc.constantFrom(null, 1, "c") },
    );
    const chunk = entries({
      choices: fc.oneof(
        { weight: 9, arbitrary: fc.array(choice, { maxLength: 3 }) },
        { weight: 1, arbitrary: fc.constantFrom(null, {}, "x") },
      ),
      created: fc.constantFrom(0, 1747592466, 1747592467, -5, 1.5, "1", null),
      id: fc.constantFrom("", "chatcmpl-1", "msg_2", "\u2028", null, 7),
      model: fc.constantFrom("", "gpt-4o", "claude", "m\\u", null),
      object: fc.constantFrom("chat.completion.chunk", "", null),
      usage: fc.oneof(
        entries({
          prompt_tokens: fc.constantFrom(1, 2, "3"),
          completion_tokens: fc.constantFrom(4, 5),
          total_tokens: fc.constantFrom(0, 9, null),
        }),
        fc.constantFrom(null, 3),
      ),
      error: fc.constantFrom(null, { message: "m" }, "e"),
      system_fingerprint: fc.constantFrom("fp_1"),
      __proto__: fc.constantFrom(1),
    });
    // Some chunks as JSON.stringify writes them, some bent out of that form (or out of JSON).
    const payload = fc.oneof(
      { weight: 6, arbitrary: chunk.map((value) => JSON.stringify(value)) },
      {
        weight: 4,
        arbitrary: fc
          .tuple(
            chunk,
            fc.nat(),
            fc.constantFrom(" ", "1.0", '"a":1,', '"\\u00e9"', "}", "\\/", ","),
          )
          .map(([value, at, insert]) => {
            const written = JSON.stringify(value);
            const cut = at % (written.length + 1);
            return written.slice(0, cut) + insert + written.slice(cut);
          }),
      },
    );
    fc.assert(
      fc.property(fc.array(payload, { maxLength: 8 }), (payloads) => {
        expect(run(createChatChunkNormalizer(defaults), payloads)).toEqual(
          run(createJsonNormalizer(defaults), payloads),
        );
      }),
      { numRuns: 3000 },
    );
  });
});

/** An object with some of these keys, in any order (JSON.parse keeps the order). */
function entries(
  fields: Record<string, fc.Arbitrary<unknown>>,
): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(fields);
  return fc
    .shuffledSubarray(keys)
    .chain((chosen) =>
      fc.tuple(
        ...chosen.map((key) =>
          (fields[key] as fc.Arbitrary<unknown>).map((value) => [key, value] as const),
        ),
      ),
    )
    .map((pairs) => {
      const object: Record<string, unknown> = {};
      for (const [key, value] of pairs)
        Object.defineProperty(object, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return object;
    });
}
