/**
 * Whether a model name matches a glob of a key's `--models` list: `*` stands for any run of
 * characters (none too), `?` for exactly one, everything else for itself; the whole name must
 * match, ignoring case (`GPT-*` allows `gpt-4o`).
 *
 * Matched by the two-pointer walk rather than a regular expression, so a pattern with many
 * stars costs at most length × length steps and never backtracks exponentially.
 */
export function matchModelGlob(pattern: string, model: string): boolean {
  const glob = pattern.toLowerCase();
  const name = model.toLowerCase();
  let g = 0;
  let n = 0;
  // Where the last `*` was and how much of the name it has swallowed so far.
  let star = -1;
  let starName = 0;
  while (n < name.length) {
    const token = glob[g];
    if (token === "*") {
      star = g;
      starName = n;
      g += 1;
    } else if (token !== undefined && (token === "?" || token === name[n])) {
      g += 1;
      n += 1;
    } else if (star >= 0) {
      // Let the last star take one more character and try the rest of the pattern again.
      g = star + 1;
      starName += 1;
      n = starName;
    } else {
      return false;
    }
  }
  while (glob[g] === "*") g += 1;
  return g === glob.length;
}

/** Whether any of the globs matches the model. */
export function matchesAnyModelGlob(patterns: readonly string[], model: string): boolean {
  return patterns.some((pattern) => matchModelGlob(pattern, model));
}
