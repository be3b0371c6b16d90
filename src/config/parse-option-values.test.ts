import { describe, expect, it } from "vitest";
import { messageOf } from "./config-error-message.test-helper.js";
import {
  parseApiKeys,
  parseBoolean,
  parseChoice,
  parseCorsOrigins,
  parseDate,
  parseDuration,
  parseHttpUrl,
  parseInviteCode,
  parseKey,
  parseList,
  parseNonEmpty,
  parsePort,
  parseProxyUrl,
  parseSize,
  parseVersion,
} from "./parse-option-values.js";

describe("parseBoolean", () => {
  it.each([
    ["true", true],
    ["TRUE", true],
    ["1", true],
    ["yes", true],
    [" On ", true],
    ["false", false],
    ["False", false],
    ["0", false],
    ["no", false],
    ["OFF", false],
  ])("reads %j as %j", (raw, expected) => {
    expect(parseBoolean("CACHE", raw)).toBe(expected);
  });

  it("passes commander's booleans through", () => {
    expect(parseBoolean("DEBUG", true)).toBe(true);
    expect(parseBoolean("DEBUG", false)).toBe(false);
  });

  it.each(["maybe", "", "2", "y"])("refuses %j", (raw) => {
    expect(messageOf(() => parseBoolean("DEBUG", raw))).toBe(
      `DEBUG: "${raw}" is not a boolean (true/false, 1/0, yes/no, on/off)`,
    );
  });
});

describe("parsePort", () => {
  it.each([
    ["0", 0],
    ["1", 1],
    ["8080", 8080],
    [" 65535 ", 65535],
  ])("reads %j", (raw, expected) => {
    expect(parsePort("PORT", raw)).toBe(expected);
  });

  it.each(["abc", "65536", "80.5", "-1", "", "1e3", "123456"])("refuses %j", (raw) => {
    expect(messageOf(() => parsePort("PORT", raw))).toBe(
      `PORT: "${raw}" is not a port number (0-65535)`,
    );
  });
});

describe("parseChoice", () => {
  const accountTypes = ["individual", "business", "enterprise"] as const;

  it("accepts a listed value in any case", () => {
    expect(parseChoice("ACCOUNT_TYPE", "Business", accountTypes)).toBe("business");
  });

  it("names the choices when refusing", () => {
    expect(messageOf(() => parseChoice("ACCOUNT_TYPE", "team", accountTypes))).toBe(
      'ACCOUNT_TYPE: "team" is not one of individual, business, enterprise',
    );
  });
});

describe("parseDuration", () => {
  it.each([
    ["250", 250],
    ["250ms", 250],
    ["10s", 10_000],
    ["10S", 10_000],
    ["1.5s", 1500],
    ["5m", 300_000],
    ["2 m", 120_000],
  ])("reads %j as %j ms", (raw, expected) => {
    expect(parseDuration("CONNECT_TIMEOUT", raw, { allowZero: false })).toBe(expected);
  });

  it.each(["abc", "10h", "-5s", "", "s", "1,5s"])("refuses %j", (raw) => {
    expect(messageOf(() => parseDuration("IDLE_TIMEOUT", raw, { allowZero: false }))).toBe(
      `IDLE_TIMEOUT: "${raw}" is not a duration (ms, or a number with ms, s or m)`,
    );
  });

  it("refuses zero unless allowed", () => {
    expect(messageOf(() => parseDuration("HEADERS_TIMEOUT", "0s", { allowZero: false }))).toBe(
      'HEADERS_TIMEOUT: "0s" must be longer than 0 ms',
    );
    expect(parseDuration("MODELS_TTL", "0", { allowZero: true })).toBe(0);
  });
});

describe("parseSize", () => {
  it.each([
    ["1048576", 1_048_576],
    ["512kb", 524_288],
    ["512KB", 524_288],
    ["32mb", 33_554_432],
    ["32 MB", 33_554_432],
    ["1.5kb", 1536],
  ])("reads %j as %j bytes", (raw, expected) => {
    expect(parseSize("BODY_LIMIT", raw)).toBe(expected);
  });

  it.each(["abc", "1gb", "-1", "", "mb"])("refuses %j", (raw) => {
    expect(messageOf(() => parseSize("BODY_LIMIT", raw))).toBe(
      `BODY_LIMIT: "${raw}" is not a size (bytes, or a number with kb or mb)`,
    );
  });

  it("refuses zero", () => {
    expect(messageOf(() => parseSize("BODY_LIMIT", "0kb"))).toBe(
      'BODY_LIMIT: "0kb" must be at least 1 byte',
    );
  });
});

describe("parseHttpUrl", () => {
  it.each([
    ["https://api.github.com", "https://api.github.com"],
    ["https://api.github.com/", "https://api.github.com"],
    ["http://127.0.0.1:8123//", "http://127.0.0.1:8123"],
    ["https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3"],
  ])("reads %j without trailing slashes", (raw, expected) => {
    expect(parseHttpUrl("GITHUB_API_URL", raw)).toBe(expected);
  });

  it.each(["x", "ftp://example.com", "api.github.com", "https://"])("refuses %j", (raw) => {
    expect(messageOf(() => parseHttpUrl("GITHUB_API_URL", raw))).toBe(
      `GITHUB_API_URL: "${raw}" is not an http(s) URL`,
    );
  });
});

describe("parseProxyUrl", () => {
  it.each([
    ["http://proxy:3128", "http://proxy:3128"],
    ["https://user:pass@proxy:443/", "https://user:pass@proxy:443"],
    ["socks://127.0.0.1:1080", "socks://127.0.0.1:1080"],
    ["socks4://127.0.0.1:1080", "socks4://127.0.0.1:1080"],
    ["socks4a://127.0.0.1:1080", "socks4a://127.0.0.1:1080"],
    ["socks5://127.0.0.1:1080", "socks5://127.0.0.1:1080"],
    ["socks5h://user:pw@proxy.local:1080", "socks5h://user:pw@proxy.local:1080"],
  ])("accepts %j", (raw, expected) => {
    expect(parseProxyUrl("PROXY", raw)).toBe(expected);
  });

  it("refuses other schemes", () => {
    expect(messageOf(() => parseProxyUrl("PROXY", "ftp://x"))).toBe(
      'PROXY: "ftp://x" is not an http, https, socks4 or socks5 URL',
    );
  });

  it("never quotes the password of a refused URL", () => {
    expect(messageOf(() => parseProxyUrl("PROXY", "ftp://alice:hunter2@x"))).toBe(
      'PROXY: "ftp://alice:***@x" is not an http, https, socks4 or socks5 URL',
    );
    expect(messageOf(() => parseProxyUrl("PROXY", "alice:hunter2@proxy:3128"))).toBe(
      'PROXY: "***@proxy:3128" is not an http, https, socks4 or socks5 URL',
    );
  });
});

describe("parseList", () => {
  it("splits on commas and spaces, dropping empty entries", () => {
    expect(parseList(" localhost, 127.0.0.1,,.example.com  internal ")).toEqual([
      "localhost",
      "127.0.0.1",
      ".example.com",
      "internal",
    ]);
    expect(parseList("")).toEqual([]);
  });
});

describe("parseCorsOrigins", () => {
  it("accepts * and origins, lower-cased without trailing slash", () => {
    expect(parseCorsOrigins("CORS_ORIGINS", "*")).toEqual(["*"]);
    expect(
      parseCorsOrigins("CORS_ORIGINS", "https://App.Example.com/, http://localhost:5173"),
    ).toEqual(["https://app.example.com", "http://localhost:5173"]);
    expect(parseCorsOrigins("CORS_ORIGINS", "")).toEqual([]);
  });

  it("refuses an entry with a path or without a scheme", () => {
    expect(messageOf(() => parseCorsOrigins("CORS_ORIGINS", "*,https://a.example/app"))).toBe(
      'CORS_ORIGINS: entry 2 "https://a.example/app" is not an origin (* or scheme://host[:port])',
    );
    expect(messageOf(() => parseCorsOrigins("CORS_ORIGINS", "example.com"))).toBe(
      'CORS_ORIGINS: entry 1 "example.com" is not an origin (* or scheme://host[:port])',
    );
  });
});

describe("parseNonEmpty, parseVersion, parseDate", () => {
  it("accept good values, trimmed", () => {
    expect(parseNonEmpty("HOST", " 0.0.0.0 ")).toBe("0.0.0.0");
    expect(parseVersion("EDITOR_VERSION", "1.104.3")).toBe("1.104.3");
    expect(parseVersion("EDITOR_VERSION", "1.105.0-insider")).toBe("1.105.0-insider");
    expect(parseDate("GITHUB_API_VERSION", "2026-08-01")).toBe("2026-08-01");
  });

  it("refuse bad values", () => {
    expect(messageOf(() => parseNonEmpty("HOST", " "))).toBe("HOST: must not be empty");
    expect(messageOf(() => parseVersion("EDITOR_PLUGIN_VERSION", "0.31 beta"))).toBe(
      'EDITOR_PLUGIN_VERSION: "0.31 beta" is not a version like 1.104.3',
    );
    expect(messageOf(() => parseDate("GITHUB_API_VERSION", "2026/08/01"))).toBe(
      'GITHUB_API_VERSION: "2026/08/01" is not a date like 2026-08-01',
    );
  });
});

describe("parseApiKeys", () => {
  it("keeps keys of 16 or more printable ASCII characters", () => {
    expect(parseApiKeys("API_KEYS", "key-0123456789abcdef, share-!#$%&*+-./:;<=>?@")).toEqual([
      "key-0123456789abcdef",
      "share-!#$%&*+-./:;<=>?@",
    ]);
  });

  it.each(["clé-secrète-0123456789", "key-0123456789abcdef€", "ключ-0123456789abcdef"])(
    "refuses %s: a key with other characters could never match",
    (key) => {
      expect(messageOf(() => parseApiKeys("API_KEYS", `key-0123456789abcdef,${key}`))).toBe(
        "API_KEYS: entry 2 has characters other than printable ASCII, which no client can send in a header; use letters, digits and punctuation (cogpt share-token makes such keys)",
      );
    },
  );
});

describe("parseInviteCode", () => {
  it("keeps a code of 8 or more printable ASCII characters; empty is none", () => {
    expect(parseInviteCode("INVITE_CODE", " friends-2026 ")).toBe("friends-2026");
    expect(parseInviteCode("INVITE_CODE", " ")).toBeUndefined();
  });

  it.each([
    ["short", "INVITE_CODE: the code is shorter than 8 characters"],
    [
      "amis de 2026",
      "INVITE_CODE: the code has characters other than printable ASCII; use letters, digits and punctuation",
    ],
  ])("refuses %j", (raw, message) => {
    expect(messageOf(() => parseInviteCode("INVITE_CODE", raw))).toBe(message);
  });
});

describe("parseKey", () => {
  it("keeps one key of 16 or more printable ASCII characters; empty is none", () => {
    expect(parseKey("ADMIN_KEY", " admin-0123456789ab,c ")).toBe("admin-0123456789ab,c");
    expect(parseKey("ADMIN_KEY", "  ")).toBeUndefined();
  });

  it.each([
    ["short-key", "ADMIN_KEY: the key is shorter than 16 characters"],
    [
      "clé-secrète-0123456789",
      "ADMIN_KEY: the key has characters other than printable ASCII, which no client can send in a header; use letters, digits and punctuation (cogpt share-token makes such keys)",
    ],
    [
      "admin 0123456789abcdef",
      "ADMIN_KEY: the key has characters other than printable ASCII, which no client can send in a header; use letters, digits and punctuation (cogpt share-token makes such keys)",
    ],
  ])("refuses %j", (raw, message) => {
    expect(messageOf(() => parseKey("ADMIN_KEY", raw))).toBe(message);
  });
});
