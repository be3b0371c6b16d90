// What createChatChunkNormalizer promises of every chunk, checked on every recorded Copilot stream
// and on generated sequences of chunks (well-formed, bent out of shape, or not JSON at all).
import { readdir } from "node:fs/promises";
import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixturesDir } from "../../test/fixtures-dir.js";
import { UpstreamError } from "../errors.js";
import { readCopilotFixtureSseData } from "./__fixtures__/copilot-fixtures.js";
import { isJsonObject, type JsonObject } from "./is-json-object.js";
import { createChatChunkNormalizer } from "./normalize-chat-completion-chunk.js";

const defaults = { model: "gpt-4o", created: 1700000000, id: "chatcmpl-default" };

/** Keys first as the chunk has them, then the missing ones in the order given. */
function keysAfterFilling(value: JsonObject, filled: readonly string[]): string[] {
  const keys = Object.keys(value);
  return [...keys, ...filled.filter((key) => !keys.includes(key))];
}

function without(value: JsonObject, keys: readonly string[]): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

function parseOrUndefined(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

function expectMalformed(error: unknown, data: string): void {
  expect(error, data).toBeInstanceOf(UpstreamError);
  expect((error as UpstreamError).code, data).toBe("upstream_malformed_response");
}

/**
 * Feeds one stream's payloads (not `[DONE]`) through one normaliser and checks each outcome
 * against what it must be, chunk by chunk. Expects every choice of a JSON chunk to be an object.
 */
function checkStream(payloads: readonly string[]): void {
  const normalize = createChatChunkNormalizer(defaults);
  let model = defaults.model;
  let created = defaults.created;
  let id: string | undefined;
  // Per choice index: whether a role was sent, and the index given to each tool call id.
  const rolesSent = new Set<number>();
  const toolCallIndexes = new Map<number, { byId: Map<string, number>; used: Set<number> }>();

  for (const data of payloads) {
    let output: string | undefined;
    let error: unknown;
    try {
      output = normalize(data);
    } catch (caught) {
      error = caught;
    }
    const input = parseOrUndefined(data);
    if (!isJsonObject(input)) {
      expectMalformed(error, data);
      continue;
    }
    expect(error, data).toBeUndefined();
    if (input.error !== undefined && input.error !== null) {
      expect(output, data).toBe(data);
      continue;
    }
    if (typeof input.model === "string" && input.model !== "") model = input.model;
    if (typeof input.created === "number" && input.created > 0) created = input.created;
    const choices = (input.choices ?? []) as JsonObject[];
    if (choices.length === 0 && !isJsonObject(input.usage)) {
      expect(output, data).toBeUndefined();
      continue;
    }
    id ??= typeof input.id === "string" && input.id !== "" ? input.id : defaults.id;

    expect(output, data).toBeTypeOf("string");
    const text = output as string;
    const chunk = JSON.parse(text) as JsonObject;
    expect(JSON.stringify(chunk), data).toBe(text);
    expect(Object.keys(chunk), data).toEqual(
      keysAfterFilling(input, ["id", "object", "created", "model", "choices"]),
    );
    expect(chunk.id, data).toBe(id);
    expect(chunk.object, data).toBe("chat.completion.chunk");
    expect(chunk.created, data).toBe(created);
    expect(chunk.model, data).toBe(model);
    const filled = ["id", "object", "created", "model", "choices", "usage"];
    expect(without(chunk, filled), data).toEqual(without(input, filled));
    if (isJsonObject(input.usage)) expect(chunk.usage, data).toEqual(fixedUsage(input.usage));
    else expect(chunk.usage, data).toEqual(input.usage);

    const outputChoices = chunk.choices as JsonObject[];
    expect(outputChoices.length, data).toBe(choices.length);
    choices.forEach((choice, position) => {
      const written = outputChoices[position] as JsonObject;
      const index = typeof choice.index === "number" ? choice.index : 0;
      expect(Object.keys(written), data).toEqual(
        keysAfterFilling(choice, ["index", "delta", "finish_reason"]),
      );
      expect(written.index, data).toBe(index);
      expect(written.finish_reason, data).toEqual(choice.finish_reason ?? null);
      const filledChoice = ["index", "delta", "finish_reason"];
      expect(without(written, filledChoice), data).toEqual(without(choice, filledChoice));

      const delta = written.delta as JsonObject;
      if (!isJsonObject(choice.delta)) {
        expect(delta, data).toEqual({});
        return;
      }
      // The role stays on the first delta of a choice that has one as a string, and only there.
      const keepsRole = typeof choice.delta.role === "string" && !rolesSent.has(index);
      if (keepsRole) rolesSent.add(index);
      const deltaKeys = Object.keys(choice.delta).filter((key) => key !== "role" || keepsRole);
      expect(Object.keys(delta), data).toEqual(deltaKeys);
      expect(without(delta, ["tool_calls"]), data).toEqual(
        without(choice.delta, ["tool_calls", ...(keepsRole ? [] : ["role"])]),
      );
      if (!Array.isArray(choice.delta.tool_calls)) {
        expect(delta.tool_calls, data).toEqual(choice.delta.tool_calls);
        return;
      }
      let indexes = toolCallIndexes.get(index);
      if (indexes === undefined) {
        indexes = { byId: new Map(), used: new Set() };
        toolCallIndexes.set(index, indexes);
      }
      checkToolCalls(choice.delta.tool_calls, delta.tool_calls, indexes, data);
    });
  }
}

/** Each call keeps its fields but `index`; an id keeps one index, and a new id gets a free one. */
function checkToolCalls(
  upstream: readonly unknown[],
  written: unknown,
  indexes: { byId: Map<string, number>; used: Set<number> },
  data: string,
): void {
  expect(Array.isArray(written), data).toBe(true);
  const calls = written as unknown[];
  expect(calls.length, data).toBe(upstream.length);
  upstream.forEach((call, position) => {
    const writtenCall = calls[position];
    if (!isJsonObject(call)) {
      expect(writtenCall, data).toEqual(call);
      return;
    }
    expect(isJsonObject(writtenCall), data).toBe(true);
    const index = (writtenCall as JsonObject).index;
    expect(index, data).toBeTypeOf("number");
    expect(writtenCall, data).toEqual({ ...call, index });
    if (typeof call.id === "string" && call.id !== "") {
      const known = indexes.byId.get(call.id);
      if (known === undefined) {
        expect(indexes.used.has(index as number), data).toBe(false);
        indexes.byId.set(call.id, index as number);
      } else expect(index, data).toBe(known);
    }
    indexes.used.add(index as number);
  });
}

/** Copilot's Claude answers may report total_tokens 0: the total becomes the sum. */
function fixedUsage(usage: JsonObject): JsonObject {
  const { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total } = usage;
  if (typeof prompt !== "number" || typeof completion !== "number") return usage;
  if (typeof total === "number" && total > 0) return usage;
  return { ...usage, total_tokens: prompt + completion };
}

describe("createChatChunkNormalizer properties", () => {
  it("holds for every recorded Copilot chat stream", async () => {
    const names = (await readdir(path.join(fixturesDir, "chat")))
      .filter((name) => name.endsWith(".sse"))
      .sort();
    expect(names.length).toBe(15);
    for (const name of names) {
      const payloads = await readCopilotFixtureSseData(`chat/${name}`);
      checkStream(payloads.filter((data) => data !== "[DONE]"));
    }
  });

  it("holds for any sequence of chunks, in or out of shape", () => {
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
        tool_calls: fc.oneof(
          fc.array(fc.oneof(toolCall, fc.constant(3)), { maxLength: 3 }),
          fc.constant(null),
        ),
        x: fc.jsonValue(),
      }),
      fc.constantFrom(null, "x", [], 3),
    );
    const filterResults = fc.constantFrom(
      { hate: { filtered: false, severity: "safe" }, violence: { filtered: false } },
      { check_offset: 0, start_offset: 0, end_offset: 31 },
      { error: { code: "", message: "é👋\n" }, list: [1, { a: null }] },
    );
    const choice = entries({
      index: fc.constantFrom(0, 1, 1.5, -1, "1", null),
      content_filter_results: fc.oneof(fc.jsonValue(), filterResults),
      content_filter_offsets: filterResults,
      delta,
      finish_reason: fc.constantFrom(null, "stop", "tool_calls", 0),
    });
    const chunk = entries({
      choices: fc.array(choice, { maxLength: 3 }),
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
    // Some chunks as JSON.stringify writes them, some bent (spaces, escapes) or broken.
    const payload = fc.oneof(
      { weight: 6, arbitrary: chunk.map((value) => JSON.stringify(value)) },
      {
        weight: 4,
        arbitrary: fc
          .tuple(chunk, fc.nat(), fc.constantFrom(" ", "1.0", '"a":1,', '"\\u00e9"', "}", ","))
          .map(([value, at, insert]) => {
            const written = JSON.stringify(value);
            const cut = at % (written.length + 1);
            return written.slice(0, cut) + insert + written.slice(cut);
          }),
      },
    );
    fc.assert(
      fc.property(fc.array(payload, { maxLength: 8 }), (payloads) => {
        // A bent payload may parse into a chunk whose `choices` is not a list of objects: the
        // unit tests cover those; here they are left out.
        const kept = payloads.filter((data) => {
          const parsed = parseOrUndefined(data);
          if (!isJsonObject(parsed) || (parsed.error !== undefined && parsed.error !== null)) {
            return true;
          }
          const choices = parsed.choices;
          return choices === undefined || (Array.isArray(choices) && choices.every(isJsonObject));
        });
        checkStream(kept);
      }),
      { numRuns: 2000 },
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
      // defineProperty, so that a `__proto__` key is an own key as JSON.parse makes it.
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
