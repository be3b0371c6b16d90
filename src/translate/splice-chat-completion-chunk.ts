import {
  NOT_CANONICAL,
  scanCanonicalArray,
  scanCanonicalObject,
  skipCanonicalValue,
} from "./canonical-json.js";
import { fixUsageTotal } from "./fix-usage-total.js";
import { isJsonObject, readNonEmptyString, readPositiveNumber } from "./is-json-object.js";
import {
  choiceStateFor,
  fixStreamId,
  type ChatChunkStreamState,
} from "./normalize-chat-completion-chunk.js";

/** Where a `"key":value` entry of interest sits in the text. */
interface Entry {
  readonly keyStart: number;
  readonly valueStart: number;
  valueEnd: number;
}

interface ScannedChoice {
  readonly start: number;
  end: number;
  index?: Entry;
  delta?: Entry;
  finishReason?: Entry;
  /** Set when `delta` is an object. */
  role?: Entry;
  toolCalls?: Entry;
  deltaIsObject: boolean;
}

/**
 * Text edits, in flat triples: replace text[start, end) by `text`. An insertion has start = end.
 * They never overlap; `applyEdits` sorts them.
 */
type Edits = (number | string)[];

const CHUNK_OBJECT = '"chat.completion.chunk"';
const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/**
 * The fast path of createChatChunkNormalizer: a chunk written exactly as JSON.stringify writes
 * it (canonical-json.ts) is edited as text, every change the JSON path would make (fill `id`,
 * `object`, `created`, `model`, `index`, `delta`, `finish_reason`; drop a repeated `role`;
 * renumber tool calls; fix the usage total) made in place, everything else copied as it came.
 * That gives the same bytes as JSON.stringify of the filled-in object. Returns the payload to
 * send, undefined to drop the chunk, or null when the chunk must take the JSON path (not in that
 * form, an `error` chunk, malformed): the stream state is then untouched (but for knownValues,
 * a cache).
 */
export function spliceChatChunk(
  data: string,
  stream: ChatChunkStreamState,
): string | undefined | null {
  const choices: ScannedChoice[] = [];
  let id: Entry | undefined;
  let object: Entry | undefined;
  let created: Entry | undefined;
  let model: Entry | undefined;
  let choicesEntry: Entry | undefined;
  let usage: Entry | undefined;
  const end = scanCanonicalObject(data, 0, (text, keyStart, keyEnd, valueStart) => {
    let entry: Entry | undefined;
    switch (keyEnd - keyStart) {
      case 4: // "id"
        if (text.startsWith('"id"', keyStart)) id = entry = { keyStart, valueStart, valueEnd: 0 };
        break;
      case 7: // "model", "usage", "error"
        if (text.startsWith('"model"', keyStart))
          model = entry = { keyStart, valueStart, valueEnd: 0 };
        else if (text.startsWith('"usage"', keyStart))
          usage = entry = { keyStart, valueStart, valueEnd: 0 };
        // A chunk carrying an error goes to the client as it came: the JSON path does that.
        else if (text.startsWith('"error"', keyStart) && !text.startsWith("null", valueStart)) {
          return NOT_CANONICAL;
        }
        break;
      case 8: // "object"
        if (text.startsWith('"object"', keyStart))
          object = entry = { keyStart, valueStart, valueEnd: 0 };
        break;
      case 9: // "created", "choices"
        if (text.startsWith('"created"', keyStart))
          created = entry = { keyStart, valueStart, valueEnd: 0 };
        else if (text.startsWith('"choices"', keyStart)) {
          choicesEntry = { keyStart, valueStart, valueEnd: 0 };
          // Also left to the JSON path: `choices` that is not an array (taken there for []).
          return (choicesEntry.valueEnd = scanCanonicalArray(text, valueStart, (_, start) => {
            const choice = scanChoice(text, start, stream.knownValues);
            if (choice === undefined) return NOT_CANONICAL;
            choices.push(choice);
            return choice.end;
          }));
        }
        break;
    }
    const valueEnd = skipCanonicalValue(text, valueStart);
    if (entry !== undefined) entry.valueEnd = valueEnd;
    return valueEnd;
  });
  if (end !== data.length) return null;
  const usageValue = usage === undefined ? undefined : readJson(data, usage);

  // From here on the same steps, in the same order, as the JSON path (createNormalizer).
  stream.lastModel = readNonEmptyString(readString(data, model)) ?? stream.lastModel;
  stream.lastCreated = readPositiveNumber(readNumber(data, created)) ?? stream.lastCreated;
  if (choices.length === 0 && !isJsonObject(usageValue)) return undefined;

  const edits: Edits = [];
  let appended = "";
  const streamId = JSON.stringify(fixStreamId(stream, readString(data, id)));
  appended += replaceOrAppend(data, edits, id, "id", streamId);
  appended += replaceOrAppend(data, edits, object, "object", CHUNK_OBJECT);
  const createdValue = JSON.stringify(stream.lastCreated ?? stream.defaults.created);
  appended += replaceOrAppend(data, edits, created, "created", createdValue);
  const modelValue = JSON.stringify(stream.lastModel ?? stream.defaults.model);
  appended += replaceOrAppend(data, edits, model, "model", modelValue);
  for (const choice of choices) normalizeChoice(data, choice, stream, edits);
  if (choicesEntry === undefined) appended += ',"choices":[]';
  if (usage !== undefined && isJsonObject(usageValue)) {
    const fixed = fixUsageTotal(usageValue);
    if (fixed !== usageValue) edits.push(usage.valueStart, usage.valueEnd, JSON.stringify(fixed));
  }
  appendEntries(data, edits, 0, end, appended);
  return applyEdits(data, edits);
}

function scanChoice(text: string, start: number, knownValues: string[]): ScannedChoice | undefined {
  // A choice that is not an object is an error the JSON path reports.
  if (text.charCodeAt(start) !== OPEN_BRACE) return undefined;
  const choice: ScannedChoice = { start, end: NOT_CANONICAL, deltaIsObject: false };
  choice.end = scanCanonicalObject(text, start, (_, keyStart, keyEnd, valueStart) => {
    let entry: Entry | undefined;
    const length = keyEnd - keyStart;
    if (length === 7 && text.startsWith('"index"', keyStart)) {
      choice.index = entry = { keyStart, valueStart, valueEnd: 0 };
    } else if (length === 15 && text.startsWith('"finish_reason"', keyStart)) {
      choice.finishReason = entry = { keyStart, valueStart, valueEnd: 0 };
    } else if (length === 7 && text.startsWith('"delta"', keyStart)) {
      choice.delta = entry = { keyStart, valueStart, valueEnd: 0 };
      if (text.charCodeAt(valueStart) === OPEN_BRACE) {
        choice.deltaIsObject = true;
        return (entry.valueEnd = scanCanonicalObject(text, valueStart, (__, key, keyEnd2, value) =>
          scanDeltaEntry(text, choice, key, keyEnd2, value),
        ));
      }
    }
    const valueEnd =
      entry === undefined
        ? skipKnownValue(text, valueStart, knownValues)
        : skipCanonicalValue(text, valueStart);
    if (entry !== undefined) entry.valueEnd = valueEnd;
    return valueEnd;
  });
  return choice.end === NOT_CANONICAL ? undefined : choice;
}

// Content filter results and offsets fill most of a chunk and mostly repeat those of the chunk
// before; objects at least this long are remembered, up to this many per stream.
const MIN_KNOWN_LENGTH = 24;
const MAX_KNOWN_VALUES = 4;

/**
 * skipCanonicalValue for a value the normaliser copies as it is, faster for an object the stream
 * has carried before: text that starts with one already found canonical holds exactly that
 * object there (an object ends at its own closing brace, whatever follows it).
 */
function skipKnownValue(text: string, start: number, knownValues: string[]): number {
  if (text.charCodeAt(start) !== OPEN_BRACE) return skipCanonicalValue(text, start);
  for (const known of knownValues) {
    // A slice and === (a memcmp) beat startsWith here by far.
    if (text.slice(start, start + known.length) === known) return start + known.length;
  }
  const end = skipCanonicalValue(text, start);
  if (end !== NOT_CANONICAL && end - start >= MIN_KNOWN_LENGTH) {
    if (knownValues.length === MAX_KNOWN_VALUES) knownValues.shift();
    knownValues.push(text.slice(start, end));
  }
  return end;
}

function scanDeltaEntry(
  text: string,
  choice: ScannedChoice,
  keyStart: number,
  keyEnd: number,
  valueStart: number,
): number {
  const valueEnd = skipCanonicalValue(text, valueStart);
  const length = keyEnd - keyStart;
  if (length === 6 && text.startsWith('"role"', keyStart)) {
    choice.role = { keyStart, valueStart, valueEnd };
  } else if (length === 12 && text.startsWith('"tool_calls"', keyStart)) {
    choice.toolCalls = { keyStart, valueStart, valueEnd };
  }
  return valueEnd;
}

/** As the JSON path's normalizeChoice and normalizeDelta, on text. */
function normalizeChoice(
  text: string,
  choice: ScannedChoice,
  stream: ChatChunkStreamState,
  edits: Edits,
): void {
  const index = readNumber(text, choice.index) ?? 0;
  const state = choiceStateFor(stream, index);
  let appended = replaceOrAppend(text, edits, choice.index, "index", JSON.stringify(index));

  if (!choice.deltaIsObject) {
    appended += replaceOrAppend(text, edits, choice.delta, "delta", "{}");
  } else {
    // Claude repeats the role on every delta; only the first delta that has one keeps it.
    const role = choice.role;
    if (role !== undefined) {
      if (text.charCodeAt(role.valueStart) === QUOTE && !state.hasSentRole) {
        state.hasSentRole = true;
      } else if (text.charCodeAt(role.valueEnd) === COMMA) {
        edits.push(role.keyStart, role.valueEnd + 1, "");
      } else if (text.charCodeAt(role.keyStart - 1) === COMMA) {
        edits.push(role.keyStart - 1, role.valueEnd, "");
      } else {
        edits.push(role.keyStart, role.valueEnd, "");
      }
    }
    const toolCalls = choice.toolCalls;
    if (toolCalls !== undefined && text.charCodeAt(toolCalls.valueStart) === OPEN_BRACKET) {
      const upstream = readJson(text, toolCalls) as unknown[];
      const indexed = state.indexToolCalls(upstream);
      if (indexed.some((toolCall, position) => toolCall !== upstream[position])) {
        edits.push(toolCalls.valueStart, toolCalls.valueEnd, JSON.stringify(indexed));
      }
    }
  }

  // `finish_reason` stays where it is (null or not); only a missing one is added, as null.
  if (choice.finishReason === undefined) appended += ',"finish_reason":null';
  appendEntries(text, edits, choice.start, choice.end, appended);
}

/**
 * Replaces the value of `entry` unless it already reads `value`; for a missing entry returns
 * `,"key":value` for the caller to append at the end of the object.
 */
function replaceOrAppend(
  text: string,
  edits: Edits,
  entry: Entry | undefined,
  key: string,
  value: string,
): string {
  if (entry === undefined) return `,"${key}":${value}`;
  const same =
    value.length === entry.valueEnd - entry.valueStart && text.startsWith(value, entry.valueStart);
  if (!same) edits.push(entry.valueStart, entry.valueEnd, value);
  return "";
}

/** Inserts `entries` (each led by a comma) before the closing brace of text[start, end). */
function appendEntries(text: string, edits: Edits, start: number, end: number, entries: string) {
  if (entries === "") return;
  // An empty object takes them without the first comma.
  edits.push(end - 1, end - 1, end - start === 2 ? entries.slice(1) : entries);
}

function applyEdits(text: string, edits: Edits): string {
  if (edits.length === 0) return text;
  const order: number[] = [];
  for (let edit = 0; edit < edits.length; edit += 3) order.push(edit);
  order.sort((a, b) => (edits[a] as number) - (edits[b] as number));
  let written = "";
  let copied = 0;
  for (const edit of order) {
    const start = edits[edit] as number;
    written += text.slice(copied, start) + (edits[edit + 2] as string);
    copied = edits[edit + 1] as number;
  }
  return written + text.slice(copied);
}

function readJson(text: string, entry: Entry): unknown {
  return JSON.parse(text.slice(entry.valueStart, entry.valueEnd));
}

/** The value of a string entry (undefined if absent or not a string). */
function readString(text: string, entry: Entry | undefined): string | undefined {
  if (entry === undefined || text.charCodeAt(entry.valueStart) !== QUOTE) return undefined;
  const inner = text.slice(entry.valueStart + 1, entry.valueEnd - 1);
  return inner.includes("\\") ? (readJson(text, entry) as string) : inner;
}

/** The value of a number entry (undefined if absent or not a number). */
function readNumber(text: string, entry: Entry | undefined): number | undefined {
  if (entry === undefined) return undefined;
  const first = text.charCodeAt(entry.valueStart);
  if (first !== 0x2d && !(first >= 0x30 && first <= 0x39)) return undefined;
  return Number(text.slice(entry.valueStart, entry.valueEnd));
}
