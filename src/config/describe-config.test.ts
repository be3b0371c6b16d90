import { describe, expect, it } from "vitest";
import { defaultMaxConnections } from "./default-max-connections.js";
import { describeConfig, maskShareKey } from "./describe-config.js";
import { loadConfig } from "./load-config.js";

describe("describeConfig", () => {
  it("describes the defaults, one line per option", () => {
    expect(describeConfig(loadConfig({}).config)).toEqual([
      "HOST: localhost",
      "PORT: 8080",
      "CACHE: true (SQLite)",
      "CACHE_PATH: db/cache.sqlite3",
      "DEBUG: false",
      "LOG_LEVEL: info",
      "LOG_FILE: log/cogpt.log",
      "SHARE_TOKEN: (none)",
      "GITHUB_TOKEN: (none)",
      "API_KEYS: (none)",
      "PROXY: (none: direct)",
      "NO_PROXY: (none)",
      "GITHUB_URL: https://github.com",
      "GITHUB_API_URL: https://api.github.com",
      "COPILOT_API_URL: (from the Copilot token, else by account type)",
      "ACCOUNT_TYPE: individual",
      "EDITOR_VERSION: 1.104.3",
      "EDITOR_PLUGIN_VERSION: 0.31.5",
      "GITHUB_API_VERSION: 2026-08-01",
      "MODEL_MAP: (none)",
      "BODY_LIMIT: 32mb",
      "CONNECT_TIMEOUT: 10s",
      "HEADERS_TIMEOUT: 2m",
      "IDLE_TIMEOUT: 2m",
      "CLIENT_TIMEOUT: 30s",
      "RETRIES: 2",
      "RETRY_BUDGET: 15s",
      "RATE_LIMIT_WAIT: 0 (429s are passed on)",
      "CORS_ORIGINS: *",
      "MODELS_TTL: 5m",
      "MAX_LARGE_BODIES: 4",
      `MAX_CONNECTIONS: auto (${defaultMaxConnections()})`,
      "KEEP_ALIVE_TIMEOUT: 5s",
      "UPSTREAM_CONCURRENCY: 1024",
      "CREDENTIAL_CONCURRENCY: 256",
      "QUEUE_TIMEOUT: 10s",
      "STREAM_BUFFER_LIMIT: 64mb",
      "WEB_SEARCH_MODEL: (none: web_search server tool requests get a 400)",
      "USER_AGENT: GitHubCopilotChat/0.31.5",
      "COPILOT_INTEGRATION_ID: vscode-chat",
      "ADMIN_KEY: (none: /metrics for the loopback only)",
      "LEDGER_RETENTION: 90 days",
      "ABORTED_STREAM_WAIT: 0 (Copilot let go at once; cost estimated)",
      "FALLBACK_MODEL: (none: a used-up allowance gets a 429)",
      "INVITE_CODE: (none: /ui/join is off)",
    ]);
  });

  it("masks share tokens and the proxy password", () => {
    const { config } = loadConfig({
      env: {
        CACHE: "false",
        LOG_FILE: "",
        SHARE_TOKEN: "share-abcdefgh:ghu_secret1,share-xy:ghu_secret2",
        GITHUB_TOKEN: "ghu_secret3",
        API_KEYS: "apikey-secret-0123456789",
        HTTPS_PROXY: "http://alice:hunter2@proxy.local:3128",
        NO_PROXY: "localhost,127.0.0.1",
        COPILOT_API_URL: "https://copilot.example.com",
        MODEL_MAP: "gpt-4:gpt-4.1,o1:o3",
        BODY_LIMIT: "1000",
        CONNECT_TIMEOUT: "1500",
        IDLE_TIMEOUT: "90s",
        CORS_ORIGINS: "",
        MODELS_TTL: "0",
        WEB_SEARCH_MODEL: "gpt-5.4",
        ADMIN_KEY: "adminkey-secret-0123456789",
        INVITE_CODE: "invite-secret-2026",
      },
    });
    const lines = describeConfig(config);
    expect(lines).toEqual([
      "HOST: localhost",
      "PORT: 8080",
      "CACHE: false (memory)",
      "CACHE_PATH: db/cache.sqlite3",
      "DEBUG: false",
      "LOG_LEVEL: info",
      "LOG_FILE: (disabled)",
      "SHARE_TOKEN: 2 share tokens (share-ab…, share-…)",
      "GITHUB_TOKEN: (set, hidden)",
      "API_KEYS: 1 key(s), hidden",
      "PROXY: http://alice:***@proxy.local:3128",
      "NO_PROXY: localhost, 127.0.0.1",
      "GITHUB_URL: https://github.com",
      "GITHUB_API_URL: https://api.github.com",
      "COPILOT_API_URL: https://copilot.example.com",
      "ACCOUNT_TYPE: individual",
      "EDITOR_VERSION: 1.104.3",
      "EDITOR_PLUGIN_VERSION: 0.31.5",
      "GITHUB_API_VERSION: 2026-08-01",
      "MODEL_MAP: gpt-4 → gpt-4.1, o1 → o3",
      "BODY_LIMIT: 1000 bytes",
      "CONNECT_TIMEOUT: 1500ms",
      "HEADERS_TIMEOUT: 2m",
      "IDLE_TIMEOUT: 90s",
      "CLIENT_TIMEOUT: 30s",
      "RETRIES: 2",
      "RETRY_BUDGET: 15s",
      "RATE_LIMIT_WAIT: 0 (429s are passed on)",
      "CORS_ORIGINS: (none)",
      "MODELS_TTL: 0ms",
      "MAX_LARGE_BODIES: 4",
      `MAX_CONNECTIONS: auto (${defaultMaxConnections()})`,
      "KEEP_ALIVE_TIMEOUT: 5s",
      "UPSTREAM_CONCURRENCY: 1024",
      "CREDENTIAL_CONCURRENCY: 256",
      "QUEUE_TIMEOUT: 10s",
      "STREAM_BUFFER_LIMIT: 64mb",
      "WEB_SEARCH_MODEL: gpt-5.4",
      "USER_AGENT: GitHubCopilotChat/0.31.5",
      "COPILOT_INTEGRATION_ID: vscode-chat",
      "ADMIN_KEY: (set, hidden)",
      "LEDGER_RETENTION: 90 days",
      "ABORTED_STREAM_WAIT: 0 (Copilot let go at once; cost estimated)",
      "FALLBACK_MODEL: (none: a used-up allowance gets a 429)",
      "INVITE_CODE: (set, hidden)",
    ]);
    const text = lines.join("\n");
    for (const secret of [
      "invite-secret-2026",
      "hunter2",
      "ghu_secret",
      "share-abcdefgh",
      "share-xy",
      "apikey-secret",
      "adminkey-secret",
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe("maskShareKey", () => {
  it.each([
    ["share-abcdefgh", "share-ab…"],
    ["share-abcdefghijklmnop", "share-ab…"],
    ["share-abcdefg", "share-…"],
    ["share-", "share-…"],
  ])("shows %j as %j", (key, expected) => {
    expect(maskShareKey(key)).toBe(expected);
  });
});
