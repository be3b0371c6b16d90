/** How far a JSON text nests and how many values it holds, measured on the text itself. */
export interface JsonMeasure {
  /** Deepest nesting of arrays and objects (0 for a lone string or number). */
  readonly depth: number;
  /** Values of every kind (objects, arrays, strings, numbers, literals), object keys included. */
  readonly nodes: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * Measures a JSON text before it is parsed, so that a body which would cost far more memory as
 * values than as text (a million empty objects, a thousand levels of arrays) is refused without
 * allocating anything per value: one pass over the characters, strings skipped with `indexOf`.
 * Stops counting as soon as either limit is passed (the caller only needs to know that).
 * Malformed text is measured as far as it goes; JSON.parse reports what is wrong with it.
 */
export function measureJson(
  text: string,
  limits: { readonly maxDepth: number; readonly maxNodes: number },
): JsonMeasure {
  let depth = 0;
  let deepest = 0;
  let nodes = 0;
  // A number or literal (true, false, null) starts a value only where a value may start.
  let expectingValue = true;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = endOfString(text, i);
      nodes++;
      expectingValue = false;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      nodes++;
      depth++;
      if (depth > deepest) deepest = depth;
      expectingValue = true;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
      expectingValue = false;
    } else if (code === COMMA || code === COLON) {
      expectingValue = true;
    } else if (expectingValue && code > 0x20) {
      // The first character of a number or a literal; the rest of it follows without a comma.
      nodes++;
      expectingValue = false;
    }
    if (deepest > limits.maxDepth || nodes > limits.maxNodes) break;
  }
  return { depth: deepest, nodes };
}

/** The index of the quote that closes the string opened at `start` (the text's end if none). */
function endOfString(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote === -1) return text.length;
    // The quote is escaped when an odd number of backslashes stands right before it.
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}
