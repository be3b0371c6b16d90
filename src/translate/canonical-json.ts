/**
 * A scanner for JSON text written exactly as JSON.stringify writes it: no whitespace, strings
 * escaped as JSON.stringify escapes them, numbers as Number#toString writes them, and no object
 * key that JSON.parse would merge (a duplicate) or move (an integer-like key goes first). For
 * such text `JSON.stringify(JSON.parse(text)) === text`, and the same holds for every value in
 * it, so a value that needs no change can be copied as text instead of parsed and written again.
 *
 * Every function takes the index where a value starts and returns the index just past it, or
 * NOT_CANONICAL when the value is not in that form (or not JSON at all: the caller then falls
 * back to JSON.parse, which reports the error).
 */
export const NOT_CANONICAL = -1;

/** Called for each entry of an object; must return the index just past the entry's value. */
export type EntryVisitor = (
  text: string,
  keyStart: number,
  keyEnd: number,
  valueStart: number,
) => number;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

// Spans of the keys of the objects being scanned (nested ones above outer ones), for the
// duplicate check without slicing every key out of the text. Deeper than this is left to JSON.
const keySpans = new Int32Array(2048);
let keyTop = 0;

export function skipCanonicalValue(text: string, start: number): number {
  switch (text.charCodeAt(start)) {
    case QUOTE:
      return skipCanonicalString(text, start);
    case OPEN_BRACE:
      return scanCanonicalObject(text, start, undefined);
    case OPEN_BRACKET:
      return scanCanonicalArray(text, start, skipCanonicalValue);
    case 0x74: // t
      return text.startsWith("true", start) ? start + 4 : NOT_CANONICAL;
    case 0x66: // f
      return text.startsWith("false", start) ? start + 5 : NOT_CANONICAL;
    case 0x6e: // n
      return text.startsWith("null", start) ? start + 4 : NOT_CANONICAL;
    default:
      return skipCanonicalNumber(text, start);
  }
}

/**
 * Scans an object, handing each entry to `visit` (which skips or inspects the value), or
 * skipping every value when there is none. Keys must be unique and must not start with a digit.
 */
export function scanCanonicalObject(
  text: string,
  start: number,
  visit: EntryVisitor | undefined,
): number {
  if (text.charCodeAt(start) !== OPEN_BRACE) return NOT_CANONICAL;
  let index = start + 1;
  if (text.charCodeAt(index) === CLOSE_BRACE) return index + 1;
  const keys = openKeyScope();
  for (;;) {
    const valueStart = skipCanonicalKey(text, index, keys);
    if (valueStart === NOT_CANONICAL) break;
    index =
      visit === undefined
        ? skipCanonicalValue(text, valueStart)
        : visit(text, index, valueStart - 1, valueStart);
    const next = index === NOT_CANONICAL ? NaN : text.charCodeAt(index);
    if (next === COMMA) {
      index++;
      continue;
    }
    closeKeyScope(keys);
    return next === CLOSE_BRACE ? index + 1 : NOT_CANONICAL;
  }
  closeKeyScope(keys);
  return NOT_CANONICAL;
}

/**
 * For a caller that walks an object's entries itself: opens the scope of its keys (for the
 * duplicate check) and returns it. Every exit must close it again with closeKeyScope.
 */
export function openKeyScope(): number {
  return keyTop;
}

export function closeKeyScope(scope: number): void {
  keyTop = scope;
}

/**
 * Checks the `"key":` at `keyStart` of the object whose key scope is `scope` and returns the
 * index of its value: NOT_CANONICAL for a key not a canonical string, starting with a digit,
 * repeating one before it in the object, or without its colon.
 */
export function skipCanonicalKey(text: string, keyStart: number, scope: number): number {
  const keyEnd = text.charCodeAt(keyStart) === QUOTE ? skipCanonicalString(text, keyStart) : -1;
  const first = text.charCodeAt(keyStart + 1);
  if (
    keyEnd === NOT_CANONICAL ||
    text.charCodeAt(keyEnd) !== COLON ||
    (first >= DIGIT_0 && first <= DIGIT_9) ||
    keyTop === keySpans.length ||
    isDuplicateKey(text, keyStart, keyEnd, scope)
  ) {
    return NOT_CANONICAL;
  }
  keySpans[keyTop++] = keyStart;
  keySpans[keyTop++] = keyEnd;
  return keyEnd + 1;
}

function isDuplicateKey(text: string, keyStart: number, keyEnd: number, base: number): boolean {
  const length = keyEnd - keyStart;
  for (let span = base; span < keyTop; span += 2) {
    const otherStart = keySpans[span] as number;
    if ((keySpans[span + 1] as number) - otherStart !== length) continue;
    // From the end: keys of one length tend to differ there (content_filter_offsets and
    // content_filter_results, choices and created).
    let same = true;
    for (let offset = length - 2; offset > 0 && same; offset--) {
      same = text.charCodeAt(keyStart + offset) === text.charCodeAt(otherStart + offset);
    }
    if (same) return true;
  }
  return false;
}

/** Scans an array, handing each element's start to `visit` (which returns its end). */
export function scanCanonicalArray(
  text: string,
  start: number,
  visit: (text: string, elementStart: number) => number,
): number {
  if (text.charCodeAt(start) !== OPEN_BRACKET) return NOT_CANONICAL;
  let index = start + 1;
  if (text.charCodeAt(index) === CLOSE_BRACKET) return index + 1;
  for (;;) {
    index = visit(text, index);
    if (index === NOT_CANONICAL) return NOT_CANONICAL;
    const next = text.charCodeAt(index);
    if (next === CLOSE_BRACKET) return index + 1;
    if (next !== COMMA) return NOT_CANONICAL;
    index++;
  }
}

/**
 * JSON.stringify escapes `"`, `\` and control characters (as \b \t \n \f \r, else \u00xx in
 * lower case) and lone surrogates (\udxxx); it writes every other character as it is.
 */
export function skipCanonicalString(text: string, start: number): number {
  if (text.charCodeAt(start) !== QUOTE) return NOT_CANONICAL;
  for (let index = start + 1; ; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) return index + 1;
    // Past the end charCodeAt gives NaN, which fails every comparison but this one.
    if (code < 0x20 || code !== code) return NOT_CANONICAL;
    if (code === BACKSLASH) {
      const escaped = text.charCodeAt(++index);
      if (escaped === 0x75 /* u */) {
        if (!isCanonicalUnicodeEscape(text, index + 1)) return NOT_CANONICAL;
        index += 4;
      } else if (!isShortEscape(escaped)) return NOT_CANONICAL;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      // A pair stays as it is; a lone surrogate would come back escaped.
      const low = text.charCodeAt(index + 1);
      if (code >= 0xdc00 || !(low >= 0xdc00 && low <= 0xdfff)) return NOT_CANONICAL;
      index++;
    }
  }
}

function isShortEscape(code: number): boolean {
  // " \ b f n r t
  return (
    code === QUOTE ||
    code === BACKSLASH ||
    code === 0x62 ||
    code === 0x66 ||
    code === 0x6e ||
    code === 0x72 ||
    code === 0x74
  );
}

/** `\u00xx` for a control character that has no short escape, hex digits in lower case. */
function isCanonicalUnicodeEscape(text: string, start: number): boolean {
  if (!text.startsWith("00", start)) return false;
  const high = text.charCodeAt(start + 2);
  const low = text.charCodeAt(start + 3);
  const lowValue =
    low >= DIGIT_0 && low <= DIGIT_9 ? low - DIGIT_0 : low >= 0x61 && low <= 0x66 ? low - 0x57 : -1;
  if (lowValue < 0 || (high !== DIGIT_0 && high !== DIGIT_0 + 1)) return false;
  const code = (high - DIGIT_0) * 16 + lowValue;
  // \b \t \n \f \r have short forms.
  return code !== 0x08 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d;
}

/** A JSON number that Number#toString writes back the same (`1.0`, `1e2`, `-0` are not). */
export function skipCanonicalNumber(text: string, start: number): number {
  let index = start;
  if (text.charCodeAt(index) === MINUS) index++;
  const integerStart = index;
  index = skipDigits(text, index);
  const integerDigits = index - integerStart;
  if (integerDigits === 0) return NOT_CANONICAL;
  const next = text.charCodeAt(index);
  const simple = next !== 0x2e /* . */ && next !== 0x65 /* e */ && next !== 0x45; /* E */
  // Up to 15 digits, no leading zero and not "-0": exact, and written back as it is.
  if (simple && integerDigits <= 15) {
    const leadingZero = text.charCodeAt(integerStart) === DIGIT_0;
    if (!leadingZero || (integerDigits === 1 && integerStart === start)) return index;
    return NOT_CANONICAL;
  }
  if (next === 0x2e) {
    const fractionStart = index + 1;
    index = skipDigits(text, fractionStart);
    if (index === fractionStart) return NOT_CANONICAL;
  }
  const exponent = text.charCodeAt(index);
  if (exponent === 0x65 || exponent === 0x45) {
    index++;
    const sign = text.charCodeAt(index);
    if (sign === 0x2b || sign === MINUS) index++;
    const digitsStart = index;
    index = skipDigits(text, index);
    if (index === digitsStart) return NOT_CANONICAL;
  }
  const literal = text.slice(start, index);
  return String(Number(literal)) === literal ? index : NOT_CANONICAL;
}

function skipDigits(text: string, start: number): number {
  let index = start;
  for (;;) {
    const code = text.charCodeAt(index);
    if (code < DIGIT_0 || code > DIGIT_9 || code !== code) return index;
    index++;
  }
}
