import { describe, expect, it } from "vitest";
import type { Config } from "./config.js";
import { ConfigError, loadConfig } from "./load-config.js";
import type { ConfigSources } from "./load-config.js";

const DEFAULT_CONFIG: Config = {
  host: "localhost",
  port: 8080,
  cache: true,
  cachePath: "db/cache.sqlite3",
  debug: false,
  logLevel: "info",
  logFile: "log/cogpt.log",
  shareTokens: new Map(),
  githubToken: undefined,
  apiKeys: [],
  proxy: undefined,
  noProxy: [],
  githubUrl: "https://github.com",
  githubApiUrl: "https://api.github.com",
  copilotApiUrl: undefined,
  accountType: "individual",
  editorVersion: "1.104.3",
  editorPluginVersion: "0.31.5",
  githubApiVersion: "2026-08-01",
  modelMap: new Map(),
  bodyLimit: 33_554_432,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 120_000,
  idleTimeoutMs: 120_000,
  clientTimeoutMs: 30_000,
  retries: 2,
  retryBudgetMs: 15_000,
  rateLimitWaitMs: 0,
  corsOrigins: ["*"],
  modelsTtlMs: 300_000,
  maxLargeBodies: 4,
  maxConnections: undefined,
  keepAliveTimeoutMs: 5_000,
  upstreamConcurrency: 1024,
  credentialConcurrency: 256,
  queueTimeoutMs: 10_000,
  streamBufferLimit: 67_108_864,
  webSearchModel: undefined,
  userAgent: "GitHubCopilotChat/0.31.5",
  copilotIntegrationId: "vscode-chat",
  adminKey: undefined,
  ledgerRetentionDays: 90,
  fallbackModel: undefined,
  abortedStreamWaitMs: 0,
  inviteCode: undefined,
};

describe("loadConfig defaults", () => {
  it("gives the documented defaults when nothing is set", () => {
    expect(loadConfig({})).toEqual({ config: DEFAULT_CONFIG, warnings: [] });
  });

  it("returns a frozen config", () => {
    const { config } = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.noProxy)).toBe(true);
    expect(Object.isFrozen(config.corsOrigins)).toBe(true);
  });
});

describe("loadConfig reads every option", () => {
  it("from the environment", () => {
    const env = {
      HOST: "0.0.0.0",
      PORT: "9000",
      CACHE: "off",
      CACHE_PATH: "/var/lib/cogpt/cache.db",
      DEBUG: "yes",
      LOG_LEVEL: "debug",
      LOG_FILE: "",
      SHARE_TOKEN: "share-abc:ghu_x,share-def:ghu_y",
      GITHUB_TOKEN: "ghu_server",
      API_KEYS: "key-0123456789abcdef, key-fedcba9876543210",
      HTTPS_PROXY: "socks5://127.0.0.1:1080/",
      NO_PROXY: "localhost,.internal",
      GITHUB_URL: "https://acme.ghe.com/",
      GITHUB_API_URL: "https://api.acme.ghe.com",
      COPILOT_API_URL: "https://copilot-api.acme.ghe.com/",
      ACCOUNT_TYPE: "enterprise",
      EDITOR_VERSION: "1.105.0",
      EDITOR_PLUGIN_VERSION: "0.32.0",
      GITHUB_API_VERSION: "2025-05-01",
      MODEL_MAP: "gpt-4:gpt-4.1",
      BODY_LIMIT: "512kb",
      CONNECT_TIMEOUT: "500ms",
      HEADERS_TIMEOUT: "1m",
      IDLE_TIMEOUT: "30000",
      CLIENT_TIMEOUT: "5s",
      RETRIES: "0",
      RETRY_BUDGET: "2s",
      RATE_LIMIT_WAIT: "3s",
      CORS_ORIGINS: "https://app.example.com,http://localhost:5173",
      MODELS_TTL: "0",
      MAX_LARGE_BODIES: "8",
      MAX_CONNECTIONS: "500",
      KEEP_ALIVE_TIMEOUT: "10s",
      UPSTREAM_CONCURRENCY: "2000",
      CREDENTIAL_CONCURRENCY: "16",
      QUEUE_TIMEOUT: "0",
      STREAM_BUFFER_LIMIT: "8mb",
      WEB_SEARCH_MODEL: " gpt-5.4 ",
      USER_AGENT: "GitHubCopilotChat/0.32.0 (acme build)",
      COPILOT_INTEGRATION_ID: "vscode-chat",
      ADMIN_KEY: " admin-0123456789abcdef ",
      LEDGER_RETENTION: "30",
      FALLBACK_MODEL: " gpt-4.1 ",
      ABORTED_STREAM_WAIT: "30s",
      INVITE_CODE: " friends-2026 ",
    };
    expect(loadConfig({ env })).toEqual({
      config: {
        host: "0.0.0.0",
        port: 9000,
        cache: false,
        cachePath: "/var/lib/cogpt/cache.db",
        debug: true,
        logLevel: "debug",
        logFile: "",
        shareTokens: new Map([
          ["share-abc", "ghu_x"],
          ["share-def", "ghu_y"],
        ]),
        githubToken: "ghu_server",
        apiKeys: ["key-0123456789abcdef", "key-fedcba9876543210"],
        proxy: "socks5://127.0.0.1:1080",
        noProxy: ["localhost", ".internal"],
        githubUrl: "https://acme.ghe.com",
        githubApiUrl: "https://api.acme.ghe.com",
        copilotApiUrl: "https://copilot-api.acme.ghe.com",
        accountType: "enterprise",
        editorVersion: "1.105.0",
        editorPluginVersion: "0.32.0",
        githubApiVersion: "2025-05-01",
        modelMap: new Map([["gpt-4", "gpt-4.1"]]),
        bodyLimit: 524_288,
        connectTimeoutMs: 500,
        headersTimeoutMs: 60_000,
        idleTimeoutMs: 30_000,
        clientTimeoutMs: 5_000,
        retries: 0,
        retryBudgetMs: 2_000,
        rateLimitWaitMs: 3_000,
        corsOrigins: ["https://app.example.com", "http://localhost:5173"],
        modelsTtlMs: 0,
        maxLargeBodies: 8,
        maxConnections: 500,
        keepAliveTimeoutMs: 10_000,
        upstreamConcurrency: 2000,
        credentialConcurrency: 16,
        queueTimeoutMs: 0,
        streamBufferLimit: 8_388_608,
        webSearchModel: "gpt-5.4",
        userAgent: "GitHubCopilotChat/0.32.0 (acme build)",
        copilotIntegrationId: "vscode-chat",
        adminKey: "admin-0123456789abcdef",
        ledgerRetentionDays: 30,
        fallbackModel: "gpt-4.1",
        abortedStreamWaitMs: 30_000,
        inviteCode: "friends-2026",
      },
      warnings: [],
    });
  });

  it("passes on warnings about ignored share-token entries", () => {
    const { config, warnings } = loadConfig({ env: { SHARE_TOKEN: "abc:ghu_x,share-d:ghu_y" } });
    expect([...config.shareTokens]).toEqual([["share-d", "ghu_y"]]);
    expect(warnings).toEqual([
      'SHARE_TOKEN: entry 1 ignored: share tokens must start with "share-"',
    ]);
  });
});

describe("loadConfig precedence: flags > env > .env > default", () => {
  const cases: [string, keyof Config, string | boolean, string, string, unknown[]][] = [
    // option, field, flag, env, dotenv, expected [all, env+dotenv, dotenv only, none]
    ["PORT", "port", "1111", "2222", "3333", [1111, 2222, 3333, 8080]],
    ["LOG_LEVEL", "logLevel", "trace", "warn", "error", ["trace", "warn", "error", "info"]],
    ["DEBUG", "debug", true, "false", "true", [true, false, true, false]],
    ["CACHE", "cache", "0", "1", "no", [false, true, false, true]],
    [
      "GITHUB_API_URL",
      "githubApiUrl",
      "http://127.0.0.1:1",
      "http://127.0.0.1:2",
      "http://127.0.0.1:3",
      ["http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3", "https://api.github.com"],
    ],
    ["MODELS_TTL", "modelsTtlMs", "1s", "2s", "3s", [1000, 2000, 3000, 300_000]],
  ];

  it.each(cases)("%s", (option, field, flag, env, dotenv, expected) => {
    const pick = (sources: ConfigSources): unknown => loadConfig(sources).config[field];
    expect([
      pick({ flags: { [option]: flag }, env: { [option]: env }, dotenv: { [option]: dotenv } }),
      pick({
        flags: { [option]: undefined },
        env: { [option]: env },
        dotenv: { [option]: dotenv },
      }),
      pick({ env: { [option]: undefined }, dotenv: { [option]: dotenv } }),
      pick({}),
    ]).toEqual(expected);
  });

  it("counts an empty environment value as set", () => {
    const dotenv = {
      SHARE_TOKEN: "share-a:ghu_a",
      LOG_FILE: "log/other.log",
      COPILOT_API_URL: "https://copilot.example.com",
      MODEL_MAP: "a:b",
    };
    const env = { SHARE_TOKEN: "", LOG_FILE: "", COPILOT_API_URL: "", MODEL_MAP: "" };
    const { config } = loadConfig({ env, dotenv });
    expect([config.shareTokens, config.logFile, config.copilotApiUrl, config.modelMap]).toEqual([
      new Map(),
      "",
      undefined,
      new Map(),
    ]);
  });

  it("takes a bare boolean flag as true", () => {
    expect(loadConfig({ flags: { DEBUG: true }, env: { DEBUG: "false" } }).config.debug).toBe(true);
  });
});

describe("loadConfig proxy", () => {
  const proxyOf = (sources: ConfigSources): string | undefined => loadConfig(sources).config.proxy;
  const all = "http://all:1";
  const https = "http://https:2";
  const http = "http://http:3";

  it.each<[string, Record<string, string>, string | undefined]>([
    ["ALL_PROXY first", { ALL_PROXY: all, HTTPS_PROXY: https, HTTP_PROXY: http }, all],
    ["then HTTPS_PROXY", { HTTPS_PROXY: https, HTTP_PROXY: http }, https],
    ["then HTTP_PROXY", { HTTP_PROXY: http }, http],
    ["lower case alone", { https_proxy: https }, https],
    ["upper before lower of the same name", { https_proxy: http, HTTPS_PROXY: https }, https],
    ["name before case", { all_proxy: all, HTTPS_PROXY: https }, all],
    ["empty means unset", { ALL_PROXY: "", all_proxy: " ", HTTPS_PROXY: https }, https],
    ["none", {}, undefined],
  ])("%s", (_name, env, expected) => {
    expect(proxyOf({ env })).toBe(expected);
  });

  it("takes the flag over every variable, and ignores an empty flag", () => {
    const env = { ALL_PROXY: all, HTTPS_PROXY: https };
    expect(proxyOf({ flags: { PROXY: "socks5h://flag:4" }, env })).toBe("socks5h://flag:4");
    expect(proxyOf({ flags: { PROXY: "" }, env })).toBe(all);
  });

  it("ranks the environment above .env whatever the variable names", () => {
    expect(proxyOf({ env: { HTTP_PROXY: http }, dotenv: { ALL_PROXY: all } })).toBe(http);
    expect(proxyOf({ env: { HTTP_PROXY: "" }, dotenv: { ALL_PROXY: all } })).toBe(all);
  });

  it("splits NO_PROXY, upper case first, empty meaning unset", () => {
    const noProxyOf = (sources: ConfigSources): readonly string[] =>
      loadConfig(sources).config.noProxy;
    expect(noProxyOf({ env: { NO_PROXY: "a.example, b.example", no_proxy: "c" } })).toEqual([
      "a.example",
      "b.example",
    ]);
    expect(noProxyOf({ env: { NO_PROXY: "", no_proxy: "c" } })).toEqual(["c"]);
    expect(noProxyOf({ flags: { NO_PROXY: "*" }, env: { NO_PROXY: "a" } })).toEqual(["*"]);
    expect(noProxyOf({ dotenv: { no_proxy: "localhost" } })).toEqual(["localhost"]);
  });
});

describe("loadConfig errors", () => {
  it.each<[ConfigSources, string]>([
    [{ flags: { PORT: "abc" } }, 'PORT: "abc" is not a port number (0-65535)'],
    [{ flags: { PORT: true } }, "PORT: needs a value"],
    [{ env: { HOST: "" } }, "HOST: must not be empty"],
    [
      { env: { CACHE: "sometimes" } },
      'CACHE: "sometimes" is not a boolean (true/false, 1/0, yes/no, on/off)',
    ],
    [{ env: { CACHE_PATH: "" } }, "CACHE_PATH: must not be empty"],
    [
      { env: { LOG_LEVEL: "verbose" } },
      'LOG_LEVEL: "verbose" is not one of trace, debug, info, warn, error, fatal, silent',
    ],
    [
      { env: { ACCOUNT_TYPE: "team" } },
      'ACCOUNT_TYPE: "team" is not one of individual, business, enterprise',
    ],
    [
      { env: { SHARE_TOKEN: "share-a:ghu_a,share-b" } },
      "SHARE_TOKEN: entry 2 is not of the form share-…:<github token>",
    ],
    [
      { env: { SHARE_TOKEN: "share-a:ghu_a,share-a:ghu_b" } },
      "SHARE_TOKEN: entries 1 and 2 have the same key",
    ],
    [
      { dotenv: { HTTPS_PROXY: "ftp://x" } },
      'PROXY: "ftp://x" is not an http, https, socks4 or socks5 URL',
    ],
    [
      { flags: { PROXY: "ftp://u:secret@x" } },
      'PROXY: "ftp://u:***@x" is not an http, https, socks4 or socks5 URL',
    ],
    [{ env: { GITHUB_URL: "github.com" } }, 'GITHUB_URL: "github.com" is not an http(s) URL'],
    [{ env: { GITHUB_API_URL: "x" } }, 'GITHUB_API_URL: "x" is not an http(s) URL'],
    [{ env: { COPILOT_API_URL: "ws://x" } }, 'COPILOT_API_URL: "ws://x" is not an http(s) URL'],
    [
      { env: { EDITOR_VERSION: "vscode/1.104.3" } },
      'EDITOR_VERSION: "vscode/1.104.3" is not a version like 1.104.3',
    ],
    [
      { env: { EDITOR_PLUGIN_VERSION: "" } },
      'EDITOR_PLUGIN_VERSION: "" is not a version like 1.104.3',
    ],
    [
      { env: { GITHUB_API_VERSION: "latest" } },
      'GITHUB_API_VERSION: "latest" is not a date like 2026-08-01',
    ],
    [
      { env: { USER_AGENT: "GitHubCopilotChat/1\r\nX-Evil: 1" } },
      'USER_AGENT: "GitHubCopilotChat/1\r\nX-Evil: 1" is not a header value (printable ASCII, 1–200 characters)',
    ],
    [
      { env: { COPILOT_INTEGRATION_ID: "" } },
      'COPILOT_INTEGRATION_ID: "" is not a header value (printable ASCII, 1–200 characters)',
    ],
    [{ env: { MODEL_MAP: "gpt-4" } }, 'MODEL_MAP: entry 1 "gpt-4" is not of the form from:to'],
    [
      { env: { BODY_LIMIT: "1gb" } },
      'BODY_LIMIT: "1gb" is not a size (bytes, or a number with kb or mb)',
    ],
    [
      { env: { CONNECT_TIMEOUT: "soon" } },
      'CONNECT_TIMEOUT: "soon" is not a duration (ms, or a number with ms, s or m)',
    ],
    [{ env: { HEADERS_TIMEOUT: "0" } }, 'HEADERS_TIMEOUT: "0" must be longer than 0 ms'],
    [
      { env: { IDLE_TIMEOUT: "2h" } },
      'IDLE_TIMEOUT: "2h" is not a duration (ms, or a number with ms, s or m)',
    ],
    [
      { env: { CORS_ORIGINS: "example.com" } },
      'CORS_ORIGINS: entry 1 "example.com" is not an origin (* or scheme://host[:port])',
    ],
    [{ env: { RETRIES: "11" } }, 'RETRIES: "11" is not a whole number from 0 to 10'],
    [
      { env: { API_KEYS: "long-enough-key-123,short" } },
      "API_KEYS: entry 2 is shorter than 16 characters",
    ],
    [{ env: { ADMIN_KEY: "admin" } }, "ADMIN_KEY: the key is shorter than 16 characters"],
    [
      { env: { MODELS_TTL: "forever" } },
      'MODELS_TTL: "forever" is not a duration (ms, or a number with ms, s or m)',
    ],
  ])("%j", (sources, expected) => {
    let caught: unknown;
    try {
      loadConfig(sources);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(caught instanceof ConfigError ? caught.message : undefined).toBe(expected);
  });

  it("derives USER_AGENT from EDITOR_PLUGIN_VERSION unless it is set", () => {
    const derived = loadConfig({ env: { EDITOR_PLUGIN_VERSION: "0.40.1" } }).config;
    expect([derived.userAgent, derived.copilotIntegrationId]).toEqual([
      "GitHubCopilotChat/0.40.1",
      "vscode-chat",
    ]);
    const set = loadConfig({
      env: {
        EDITOR_PLUGIN_VERSION: "0.40.1",
        USER_AGENT: " Custom/1 ",
        COPILOT_INTEGRATION_ID: "x",
      },
    }).config;
    expect([set.userAgent, set.copilotIntegrationId]).toEqual(["Custom/1", "x"]);
  });
});
