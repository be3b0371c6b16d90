import { ConfigError } from "./config-error.js";
import { redactUrlCredentials } from "./redact-url.js";

/**
 * Parsers for single option values. Each takes the option's env name (for the message) and the
 * raw text, and returns the typed value or throws a ConfigError. Values are never secret here,
 * except the proxy URL, whose credentials are redacted before quoting.
 */

const TRUE_WORDS = new Set(["true", "1", "yes", "on"]);
const FALSE_WORDS = new Set(["false", "0", "no", "off"]);

export function parseBoolean(option: string, raw: string | boolean): boolean {
  if (typeof raw === "boolean") return raw;
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new ConfigError(option, `"${raw}" is not a boolean (true/false, 1/0, yes/no, on/off)`);
}

export function parseNonEmpty(option: string, raw: string): string {
  const text = raw.trim();
  if (text === "") throw new ConfigError(option, "must not be empty");
  return text;
}

export function parsePort(option: string, raw: string): number {
  const text = raw.trim();
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new ConfigError(option, `"${raw}" is not a port number (0-65535)`);
  }
  return port;
}

export function parseInteger(option: string, raw: string, min: number, max: number): number {
  const text = raw.trim();
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) {
    throw new ConfigError(option, `"${raw}" is not a whole number from ${min} to ${max}`);
  }
  return value;
}

export function parseChoice<const Choice extends string>(
  option: string,
  raw: string,
  choices: readonly Choice[],
): Choice {
  const word = raw.trim().toLowerCase();
  const found = choices.find((choice) => choice === word);
  if (found === undefined) {
    throw new ConfigError(option, `"${raw}" is not one of ${choices.join(", ")}`);
  }
  return found;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { "": 1, ms: 1, s: 1000, m: 60_000 };

/** `250`, `250ms`, `10s`, `1.5m` → milliseconds. */
export function parseDuration(
  option: string,
  raw: string,
  options: { allowZero: boolean },
): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/i.exec(raw.trim());
  const unit = DURATION_UNITS[(match?.[2] ?? "").toLowerCase()];
  if (match === null || unit === undefined) {
    throw new ConfigError(option, `"${raw}" is not a duration (ms, or a number with ms, s or m)`);
  }
  const milliseconds = Math.round(Number(match[1]) * unit);
  if (milliseconds === 0 && !options.allowZero) {
    throw new ConfigError(option, `"${raw}" must be longer than 0 ms`);
  }
  return milliseconds;
}

const SIZE_UNITS: Readonly<Record<string, number>> = { "": 1, kb: 1024, mb: 1024 * 1024 };

/** `1048576`, `512kb`, `32MB` → bytes (1024-based). */
export function parseSize(option: string, raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(kb|mb)?$/i.exec(raw.trim());
  const unit = SIZE_UNITS[(match?.[2] ?? "").toLowerCase()];
  if (match === null || unit === undefined) {
    throw new ConfigError(option, `"${raw}" is not a size (bytes, or a number with kb or mb)`);
  }
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < 1) throw new ConfigError(option, `"${raw}" must be at least 1 byte`);
  return bytes;
}

/** An http(s) base URL, without trailing slashes (callers append `/path`). */
export function parseHttpUrl(option: string, raw: string): string {
  const text = stripTrailingSlashes(raw.trim());
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url === undefined || !["http:", "https:"].includes(url.protocol) || url.hostname === "") {
    throw new ConfigError(option, `"${raw}" is not an http(s) URL`);
  }
  return text;
}

const PROXY_PROTOCOLS = ["http:", "https:", "socks:", "socks4:", "socks4a:", "socks5:", "socks5h:"];

/** A proxy URL as written (scheme kept, trailing slashes dropped). */
export function parseProxyUrl(option: string, raw: string): string {
  const text = stripTrailingSlashes(raw.trim());
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url === undefined || !PROXY_PROTOCOLS.includes(url.protocol) || url.hostname === "") {
    const shown = redactUrlCredentials(raw);
    throw new ConfigError(option, `"${shown}" is not an http, https, socks4 or socks5 URL`);
  }
  return text;
}

/** Splits a comma (or whitespace) separated list, dropping empty entries. */
export function parseList(raw: string): string[] {
  return raw.split(/[\s,]+/).filter((entry) => entry !== "");
}

/** `*` or origins such as `https://app.example.com:8443` (compared with the `Origin` header). */
export function parseCorsOrigins(option: string, raw: string): string[] {
  return parseList(raw).map((entry, index) => {
    if (entry === "*") return entry;
    const origin = stripTrailingSlashes(entry);
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#@]+$/i.test(origin)) {
      throw new ConfigError(
        option,
        `entry ${index + 1} "${entry}" is not an origin (* or scheme://host[:port])`,
      );
    }
    // Browsers send the Origin header in lower case.
    return origin.toLowerCase();
  });
}

/** A version string sent in a header: letters, digits, `.`, `-`, `+` (`1.104.3`, `1.105.0-insider`). */
export function parseVersion(option: string, raw: string): string {
  const text = raw.trim();
  if (!/^[0-9A-Za-z][0-9A-Za-z.+-]*$/.test(text)) {
    throw new ConfigError(option, `"${raw}" is not a version like 1.104.3`);
  }
  return text;
}

/**
 * A value sent as an HTTP header (`User-Agent`, `Copilot-Integration-Id`): printable ASCII, at
 * most 200 characters, so it cannot break the request or smuggle another header.
 */
export function parseHeaderValue(option: string, raw: string): string {
  const text = raw.trim();
  if (!/^[\x21-\x7e](?:[\x20-\x7e]{0,198}[\x21-\x7e])?$/.test(text)) {
    throw new ConfigError(
      option,
      `"${raw}" is not a header value (printable ASCII, 1–200 characters)`,
    );
  }
  return text;
}

export function parseDate(option: string, raw: string): string {
  const text = raw.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    throw new ConfigError(option, `"${raw}" is not a date like 2026-08-01`);
  }
  return text;
}

function stripTrailingSlashes(text: string): string {
  return text.replace(/\/+$/, "");
}

/** API keys: a comma list; each at least 16 characters, so that none is guessable. */
export function parseApiKeys(option: string, raw: string): string[] {
  const keys = parseList(raw);
  keys.forEach((key, index) => checkKey(option, key, `entry ${index + 1}`));
  return keys;
}

/** One key (ADMIN_KEY), held to the rules of API keys; empty: none. */
export function parseKey(option: string, raw: string): string | undefined {
  const key = raw.trim();
  if (key === "") return undefined;
  checkKey(option, key, "the key");
  return key;
}

/**
 * The invite code of /ui/join: typed by a person, so shorter than a key, but long enough that
 * guessing it at the join page's rate limit takes years; empty: none.
 */
export function parseInviteCode(option: string, raw: string): string | undefined {
  const code = raw.trim();
  if (code === "") return undefined;
  if (code.length < 8) throw new ConfigError(option, "the code is shorter than 8 characters");
  if (!/^[\x21-\x7e]+$/.test(code)) {
    throw new ConfigError(
      option,
      "the code has characters other than printable ASCII; use letters, digits and punctuation",
    );
  }
  return code;
}

function checkKey(option: string, key: string, subject: string): void {
  if (key.length < 16) {
    throw new ConfigError(option, `${subject} is shorter than 16 characters`);
  }
  // Node reads header values as Latin-1, so a key with other characters could never match.
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw new ConfigError(
      option,
      `${subject} has characters other than printable ASCII, which no client can send in a header; use letters, digits and punctuation (cogpt share-token makes such keys)`,
    );
  }
}
