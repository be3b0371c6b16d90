import {
  closeKeyScope,
  NOT_CANONICAL,
  openKeyScope,
  skipCanonicalKey,
  skipCanonicalValue,
} from "./canonical-json.js";
import { fixUsageTotal } from "./fix-usage-total.js";
import { isJsonObject } from "./is-json-object.js";
import {
  choiceStateFor,
  fixStreamId,
  type ChatChunkStreamState,
} from "./normalize-chat-completion-chunk.js";

/**
 * Text edits, in flat triples: replace text[start, end) by `text`. An insertion has start = end.
 * They never overlap; pushEdit keeps them in text order.
 */
type Edits = (number | string)[];

const CHUNK_OBJECT = '"chat.completion.chunk"';
// The same character codes as canonical-json.ts, kept local to these hot loops: importing them
// measured no faster, more likely a little slower (normaliser per 23-chunk stream, 6 runs each:
// 53-66 us local, 57-76 us imported).
const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const ABSENT = -1;

// Where the entries of interest of each choice sit in the text, CHOICE_FIELDS numbers a choice
// (ABSENT for a missing entry), filled by the scan and read by the edits that follow it. The
// scan runs to its end before anything else does, so one array serves every call.
const CHOICE_START = 0;
const CHOICE_END = 1;
const INDEX_START = 2;
const INDEX_END = 3;
const DELTA_START = 4;
const DELTA_END = 5;
const FINISH_REASON_KEY = 6;
const ROLE_KEY = 7;
const ROLE_START = 8;
const ROLE_END = 9;
const TOOL_CALLS_START = 10;
const TOOL_CALLS_END = 11;
const CHOICE_FIELDS = 12;
// More choices than this in one chunk take the JSON path.
const MAX_CHOICES = 64;
const choiceSpans = new Int32Array(CHOICE_FIELDS * MAX_CHOICES);
let choiceCount = 0;

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
  if (data.charCodeAt(0) !== OPEN_BRACE) return null;
  // Value spans of the top-level entries of interest; a plain loop, as this runs per chunk.
  let idStart = ABSENT;
  let idEnd = ABSENT;
  let objectStart = ABSENT;
  let objectEnd = ABSENT;
  let createdStart = ABSENT;
  let createdEnd = ABSENT;
  let modelStart = ABSENT;
  let modelEnd = ABSENT;
  let usageStart = ABSENT;
  let usageEnd = ABSENT;
  let hasChoices = false;
  let sameId = false;
  choiceCount = 0;
  let end = NOT_CANONICAL;
  let index = 1;
  const keys = openKeyScope();
  if (data.charCodeAt(index) === CLOSE_BRACE) end = index + 1;
  else {
    for (;;) {
      const keyStart = index;
      const valueStart = skipCanonicalKey(data, keyStart, keys);
      if (valueStart === NOT_CANONICAL) break;
      let valueEnd: number;
      switch (valueStart - keyStart) {
        case 5: // "id":
          if (isKey(data, keyStart, "id")) {
            // The stream's id as last written, with no escape in it, is canonical: no scan.
            const plainId = stream.written.plainIdJson;
            sameId = plainId !== "" && data.startsWith(plainId, valueStart);
            valueEnd = sameId ? valueStart + plainId.length : skipCanonicalValue(data, valueStart);
            idStart = valueStart;
            idEnd = valueEnd;
          } else {
            valueEnd = skipCanonicalValue(data, valueStart);
          }
          break;
        case 8: // "model": "usage": "error":
          valueEnd = skipCanonicalValue(data, valueStart);
          if (isKey(data, keyStart, "model")) {
            modelStart = valueStart;
            modelEnd = valueEnd;
          } else if (isKey(data, keyStart, "usage")) {
            usageStart = valueStart;
            usageEnd = valueEnd;
          }
          // A chunk carrying an error goes to the client as it came: the JSON path does that.
          else if (isKey(data, keyStart, "error") && !isNull(data, valueStart, valueEnd)) {
            valueEnd = NOT_CANONICAL;
          }
          break;
        case 9: // "object":
          valueEnd = skipCanonicalValue(data, valueStart);
          if (isKey(data, keyStart, "object")) {
            objectStart = valueStart;
            objectEnd = valueEnd;
          }
          break;
        case 10: // "created": "choices":
          if (isKey(data, keyStart, "choices")) {
            hasChoices = true;
            // Also left to the JSON path: `choices` that is not an array (taken there for []).
            valueEnd = scanChoices(data, valueStart, stream.knownValues);
          } else {
            valueEnd = skipCanonicalValue(data, valueStart);
            if (isKey(data, keyStart, "created")) {
              createdStart = valueStart;
              createdEnd = valueEnd;
            }
          }
          break;
        default:
          valueEnd = skipCanonicalValue(data, valueStart);
      }
      if (valueEnd === NOT_CANONICAL) break;
      const next = data.charCodeAt(valueEnd);
      if (next !== COMMA) {
        if (next === CLOSE_BRACE) end = valueEnd + 1;
        break;
      }
      index = valueEnd + 1;
    }
  }
  closeKeyScope(keys);
  if (end !== data.length) return null;
  const usageValue: unknown =
    usageStart === ABSENT ? undefined : JSON.parse(data.slice(usageStart, usageEnd));

  // From here on the same steps, in the same order, as the JSON path (createNormalizer).
  // When the chunk repeats what was last written, that stays as it is (and is compared once).
  const sameModel = updateLastModel(stream, data, modelStart, modelEnd);
  const sameCreated = updateLastCreated(stream, data, createdStart, createdEnd);
  if (choiceCount === 0 && !isJsonObject(usageValue)) return undefined;

  const edits: Edits = [];
  const written = stream.written;
  let appended = "";
  // The first chunk sent fixes the id; later ones need not be read.
  const streamId =
    stream.streamId ??
    fixStreamId(stream, idStart === ABSENT ? undefined : readString(data, idStart, idEnd));
  if (written.id !== streamId) {
    written.id = streamId;
    written.idJson = JSON.stringify(streamId);
    written.plainIdJson = written.idJson.includes("\\") ? "" : written.idJson;
  }
  if (!sameId) {
    appended += replaceOrAppend(data, edits, idStart, idEnd, ',"id":', written.idJson);
  }
  appended += replaceOrAppend(data, edits, objectStart, objectEnd, ',"object":', CHUNK_OBJECT);
  const created = stream.lastCreated ?? stream.defaults.created;
  if (written.created !== created) {
    written.created = created;
    written.createdJson = JSON.stringify(created);
  }
  if (!sameCreated) {
    appended += replaceOrAppend(
      data,
      edits,
      createdStart,
      createdEnd,
      ',"created":',
      written.createdJson,
    );
  }
  const model = stream.lastModel ?? stream.defaults.model;
  if (written.model !== model) {
    written.model = model;
    written.modelJson = JSON.stringify(model);
  }
  if (!sameModel) {
    appended += replaceOrAppend(data, edits, modelStart, modelEnd, ',"model":', written.modelJson);
  }
  for (let choice = 0; choice < choiceCount; choice++) {
    normalizeChoice(data, choice * CHOICE_FIELDS, stream, edits);
  }
  if (!hasChoices) appended += ',"choices":[]';
  if (isJsonObject(usageValue)) {
    const fixed = fixUsageTotal(usageValue);
    if (fixed !== usageValue) pushEdit(edits, usageStart, usageEnd, JSON.stringify(fixed));
  }
  appendEntries(edits, 0, end, appended);
  return applyEdits(data, edits);
}

/**
 * As `readNonEmptyString(chunk.model) ?? stream.lastModel`, without reading an unchanged one.
 * True when the chunk's model is the stream's, as last written: it stays as it is.
 */
function updateLastModel(
  stream: ChatChunkStreamState,
  text: string,
  start: number,
  end: number,
): boolean {
  // Canonical text: `""` is the only empty string.
  if (start === ABSENT || text.charCodeAt(start) !== QUOTE || end - start === 2) return false;
  const written = stream.written;
  const same =
    stream.lastModel !== undefined &&
    stream.lastModel === written.model &&
    isText(text, start, end, written.modelJson);
  if (!same) stream.lastModel = readString(text, start, end);
  return same;
}

/** As `readPositiveNumber(chunk.created) ?? stream.lastCreated`, the same way. */
function updateLastCreated(
  stream: ChatChunkStreamState,
  text: string,
  start: number,
  end: number,
): boolean {
  if (start === ABSENT) return false;
  const written = stream.written;
  const same =
    stream.lastCreated !== undefined &&
    stream.lastCreated === written.created &&
    isText(text, start, end, written.createdJson);
  if (same) return true;
  const created = readNumber(text, start, end);
  // A canonical number is finite.
  if (created !== undefined && created > 0) stream.lastCreated = created;
  return false;
}

function scanChoices(text: string, start: number, knownValues: string[]): number {
  if (text.charCodeAt(start) !== OPEN_BRACKET) return NOT_CANONICAL;
  let index = start + 1;
  if (text.charCodeAt(index) === CLOSE_BRACKET) return index + 1;
  for (;;) {
    if (choiceCount === MAX_CHOICES) return NOT_CANONICAL;
    index = scanChoice(text, index, knownValues, choiceCount * CHOICE_FIELDS);
    if (index === NOT_CANONICAL) return NOT_CANONICAL;
    choiceCount++;
    const next = text.charCodeAt(index);
    if (next === CLOSE_BRACKET) return index + 1;
    if (next !== COMMA) return NOT_CANONICAL;
    index++;
  }
}

/** Scans the choice at `start` into choiceSpans[at…]; returns where it ends. */
function scanChoice(text: string, start: number, knownValues: string[], at: number): number {
  // A choice that is not an object is an error the JSON path reports.
  if (text.charCodeAt(start) !== OPEN_BRACE) return NOT_CANONICAL;
  const spans = choiceSpans;
  spans[at + CHOICE_START] = start;
  for (let field = CHOICE_END; field < CHOICE_FIELDS; field++) spans[at + field] = ABSENT;
  let index = start + 1;
  if (text.charCodeAt(index) === CLOSE_BRACE) return (spans[at + CHOICE_END] = index + 1);
  let end = NOT_CANONICAL;
  const keys = openKeyScope();
  for (;;) {
    const keyStart = index;
    const valueStart = skipCanonicalKey(text, keyStart, keys);
    if (valueStart === NOT_CANONICAL) break;
    const keyLength = valueStart - keyStart;
    let valueEnd: number;
    if (keyLength === 8 && isKey(text, keyStart, "index")) {
      valueEnd = skipCanonicalValue(text, valueStart);
      spans[at + INDEX_START] = valueStart;
      spans[at + INDEX_END] = valueEnd;
    } else if (keyLength === 16 && isKey(text, keyStart, "finish_reason")) {
      valueEnd = skipCanonicalValue(text, valueStart);
      spans[at + FINISH_REASON_KEY] = keyStart;
    } else if (keyLength === 8 && isKey(text, keyStart, "delta")) {
      valueEnd =
        text.charCodeAt(valueStart) === OPEN_BRACE
          ? scanDelta(text, valueStart, at)
          : skipCanonicalValue(text, valueStart);
      spans[at + DELTA_START] = valueStart;
      spans[at + DELTA_END] = valueEnd;
    } else {
      valueEnd = skipKnownValue(text, valueStart, knownValues);
    }
    if (valueEnd === NOT_CANONICAL) break;
    const next = text.charCodeAt(valueEnd);
    if (next !== COMMA) {
      if (next === CLOSE_BRACE) end = valueEnd + 1;
      break;
    }
    index = valueEnd + 1;
  }
  closeKeyScope(keys);
  return (spans[at + CHOICE_END] = end);
}

/** Scans a delta object, noting where its `role` and `tool_calls` sit. */
function scanDelta(text: string, start: number, at: number): number {
  let index = start + 1;
  if (text.charCodeAt(index) === CLOSE_BRACE) return index + 1;
  const spans = choiceSpans;
  let end = NOT_CANONICAL;
  const keys = openKeyScope();
  for (;;) {
    const keyStart = index;
    const valueStart = skipCanonicalKey(text, keyStart, keys);
    if (valueStart === NOT_CANONICAL) break;
    const valueEnd = skipCanonicalValue(text, valueStart);
    if (valueEnd === NOT_CANONICAL) break;
    const keyLength = valueStart - keyStart;
    if (keyLength === 7 && isKey(text, keyStart, "role")) {
      spans[at + ROLE_KEY] = keyStart;
      spans[at + ROLE_START] = valueStart;
      spans[at + ROLE_END] = valueEnd;
    } else if (keyLength === 13 && isKey(text, keyStart, "tool_calls")) {
      spans[at + TOOL_CALLS_START] = valueStart;
      spans[at + TOOL_CALLS_END] = valueEnd;
    }
    const next = text.charCodeAt(valueEnd);
    if (next !== COMMA) {
      if (next === CLOSE_BRACE) end = valueEnd + 1;
      break;
    }
    index = valueEnd + 1;
  }
  closeKeyScope(keys);
  return end;
}

/**
 * Whether the key at `keyStart` (its length already checked) is `"name"`: char codes compared
 * one by one cost less than startsWith for keys this short.
 */
function isKey(text: string, keyStart: number, name: string): boolean {
  for (let offset = 0; offset < name.length; offset++) {
    if (text.charCodeAt(keyStart + 1 + offset) !== name.charCodeAt(offset)) return false;
  }
  return true;
}

/** Whether text[start, end) (a canonical value) is null. */
function isNull(text: string, start: number, end: number): boolean {
  return end - start === 4 && text.charCodeAt(start) === 0x6e; /* n */
}

/** Whether text[start, end) reads `value`. */
function isText(text: string, start: number, end: number, value: string): boolean {
  return value.length === end - start && text.startsWith(value, start);
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
    const end = start + known.length;
    // A slice and === (a memcmp) beat startsWith here by far; two char codes first (the last,
    // the first key's first) spare the slice for most other objects.
    if (
      text.charCodeAt(end - 1) === CLOSE_BRACE &&
      text.charCodeAt(start + 2) === known.charCodeAt(2) &&
      text.slice(start, end) === known
    ) {
      return end;
    }
  }
  const end = skipCanonicalValue(text, start);
  if (end !== NOT_CANONICAL && end - start >= MIN_KNOWN_LENGTH) {
    if (knownValues.length === MAX_KNOWN_VALUES) knownValues.shift();
    knownValues.push(text.slice(start, end));
  }
  return end;
}

/** As the JSON path's normalizeChoice and normalizeDelta, on text. */
function normalizeChoice(
  text: string,
  at: number,
  stream: ChatChunkStreamState,
  edits: Edits,
): void {
  const spans = choiceSpans;
  const indexStart = spans[at + INDEX_START] as number;
  const indexEnd = spans[at + INDEX_END] as number;
  const number = indexStart === ABSENT ? undefined : readNumber(text, indexStart, indexEnd);
  const state = choiceStateFor(stream, number ?? 0);
  let appended = "";
  // A number written canonically is written back the same: only another value is replaced.
  if (number === undefined)
    appended += replaceOrAppend(text, edits, indexStart, indexEnd, ',"index":', "0");

  const deltaStart = spans[at + DELTA_START] as number;
  if (deltaStart === ABSENT || text.charCodeAt(deltaStart) !== OPEN_BRACE) {
    appended += replaceOrAppend(
      text,
      edits,
      deltaStart,
      spans[at + DELTA_END] as number,
      ',"delta":',
      "{}",
    );
  } else {
    // Claude repeats the role on every delta; only the first delta that has one keeps it.
    const roleKey = spans[at + ROLE_KEY] as number;
    if (roleKey !== ABSENT) {
      const roleEnd = spans[at + ROLE_END] as number;
      if (text.charCodeAt(spans[at + ROLE_START] as number) === QUOTE && !state.hasSentRole) {
        state.hasSentRole = true;
      } else if (text.charCodeAt(roleEnd) === COMMA) {
        pushEdit(edits, roleKey, roleEnd + 1, "");
      } else if (text.charCodeAt(roleKey - 1) === COMMA) {
        pushEdit(edits, roleKey - 1, roleEnd, "");
      } else {
        pushEdit(edits, roleKey, roleEnd, "");
      }
    }
    const toolCallsStart = spans[at + TOOL_CALLS_START] as number;
    if (toolCallsStart !== ABSENT && text.charCodeAt(toolCallsStart) === OPEN_BRACKET) {
      const toolCallsEnd = spans[at + TOOL_CALLS_END] as number;
      const upstream = JSON.parse(text.slice(toolCallsStart, toolCallsEnd)) as unknown[];
      const indexed = state.indexToolCalls(upstream);
      if (indexed.some((toolCall, position) => toolCall !== upstream[position])) {
        pushEdit(edits, toolCallsStart, toolCallsEnd, JSON.stringify(indexed));
      }
    }
  }

  // `finish_reason` stays where it is (null or not); only a missing one is added, as null.
  if (spans[at + FINISH_REASON_KEY] === ABSENT) appended += ',"finish_reason":null';
  appendEntries(
    edits,
    spans[at + CHOICE_START] as number,
    spans[at + CHOICE_END] as number,
    appended,
  );
}

/**
 * Replaces the value at text[start, end) unless it already reads `value`; for a missing entry
 * (start ABSENT) returns `entry` (`,"key":`) and value for the caller to append at the end of
 * the object.
 */
function replaceOrAppend(
  text: string,
  edits: Edits,
  start: number,
  end: number,
  entry: string,
  value: string,
): string {
  if (start === ABSENT) return entry + value;
  if (!isText(text, start, end, value)) pushEdit(edits, start, end, value);
  return "";
}

/** Inserts `entries` (each led by a comma) before the closing brace of text[start, end). */
function appendEntries(edits: Edits, start: number, end: number, entries: string): void {
  if (entries === "") return;
  // An empty object takes them without the first comma.
  pushEdit(edits, end - 1, end - 1, end - start === 2 ? entries.slice(1) : entries);
}

/** Adds an edit after every edit that starts at or before it (they come mostly in order). */
function pushEdit(edits: Edits, start: number, end: number, text: string): void {
  let at = edits.length;
  while (at > 0 && (edits[at - 3] as number) > start) at -= 3;
  if (at === edits.length) edits.push(start, end, text);
  else edits.splice(at, 0, start, end, text);
}

function applyEdits(text: string, edits: Edits): string {
  if (edits.length === 0) return text;
  let written = "";
  let copied = 0;
  for (let edit = 0; edit < edits.length; edit += 3) {
    written += text.slice(copied, edits[edit] as number) + (edits[edit + 2] as string);
    copied = edits[edit + 1] as number;
  }
  return written + text.slice(copied);
}

/** The value of the canonical string text[start, end) (undefined if not a string). */
function readString(text: string, start: number, end: number): string | undefined {
  if (text.charCodeAt(start) !== QUOTE) return undefined;
  const inner = text.slice(start + 1, end - 1);
  return inner.includes("\\") ? (JSON.parse(text.slice(start, end)) as string) : inner;
}

/** The value of the canonical number text[start, end) (undefined if not a number). */
function readNumber(text: string, start: number, end: number): number | undefined {
  const first = text.charCodeAt(start);
  if (first !== MINUS && !(first >= DIGIT_0 && first <= DIGIT_9)) return undefined;
  // Most are one digit: a choice index.
  return end - start === 1 ? first - DIGIT_0 : Number(text.slice(start, end));
}
