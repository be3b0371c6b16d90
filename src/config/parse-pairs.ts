import { ConfigError } from "./config-error.js";

/**
 * Parsers for the two `key:value,key:value` options. Both split each entry at its FIRST colon, so
 * a value may itself contain colons. Share-token messages name entries by number only: keys and
 * GitHub tokens are both credentials.
 */

interface Entry {
  readonly number: number;
  readonly text: string;
}

/** `share-abc:ghu_x,share-def:ghu_y` → share key → GitHub token. */
export function parseShareTokens(
  raw: string,
  warnings: string[],
  option = "SHARE_TOKEN",
): Map<string, string> {
  const tokens = new Map<string, string>();
  const entryNumberByKey = new Map<string, number>();
  for (const entry of splitEntries(raw)) {
    const pair = splitPair(entry.text);
    if (pair === undefined) {
      throw new ConfigError(
        option,
        `entry ${entry.number} is not of the form share-…:<github token>`,
      );
    }
    const [key, githubToken] = pair;
    if (!key.startsWith("share-")) {
      warnings.push(
        `${option}: entry ${entry.number} ignored: share tokens must start with "share-"`,
      );
      continue;
    }
    const earlier = entryNumberByKey.get(key);
    if (earlier !== undefined) {
      throw new ConfigError(option, `entries ${earlier} and ${entry.number} have the same key`);
    }
    entryNumberByKey.set(key, entry.number);
    tokens.set(key, githubToken);
  }
  return tokens;
}

/** `gpt-4:gpt-4.1,claude-sonnet-4-5:claude-sonnet-4.5` → client model name → Copilot model id. */
export function parseModelMap(raw: string, option = "MODEL_MAP"): Map<string, string> {
  const models = new Map<string, string>();
  for (const entry of splitEntries(raw)) {
    const pair = splitPair(entry.text);
    if (pair === undefined) {
      throw new ConfigError(
        option,
        `entry ${entry.number} "${entry.text}" is not of the form from:to`,
      );
    }
    const [from, to] = pair;
    if (models.has(from)) {
      throw new ConfigError(option, `entry ${entry.number} maps "${from}" a second time`);
    }
    models.set(from, to);
  }
  return models;
}

/** Empty entries (`a:b,,c:d`, a trailing comma) are skipped and not counted in entry numbers. */
function splitEntries(raw: string): Entry[] {
  return raw
    .split(",")
    .map((text) => text.trim())
    .filter((text) => text !== "")
    .map((text, index) => ({ number: index + 1, text }));
}

function splitPair(text: string): [string, string] | undefined {
  const colon = text.indexOf(":");
  if (colon === -1) return undefined;
  const key = text.slice(0, colon).trim();
  const value = text.slice(colon + 1).trim();
  return key === "" || value === "" ? undefined : [key, value];
}
