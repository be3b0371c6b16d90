import { Command, Option } from "commander";
import { describe, expect, it } from "vitest";
import {
  OPTIONS,
  getFlagAttributeName,
  listEnvNames,
  mapFlagValues,
  renderEnvExample,
  renderOptionsMarkdownTable,
} from "./options.js";

describe("OPTIONS", () => {
  it("lists every option once, in a stable order", () => {
    expect(OPTIONS.map((descriptor) => descriptor.env)).toEqual([
      "HOST",
      "PORT",
      "CACHE",
      "CACHE_PATH",
      "DEBUG",
      "LOG_LEVEL",
      "LOG_FILE",
      "SHARE_TOKEN",
      "GITHUB_TOKEN",
      "API_KEYS",
      "PROXY",
      "NO_PROXY",
      "GITHUB_URL",
      "GITHUB_API_URL",
      "COPILOT_API_URL",
      "ACCOUNT_TYPE",
      "EDITOR_VERSION",
      "EDITOR_PLUGIN_VERSION",
      "GITHUB_API_VERSION",
      "MODEL_MAP",
      "BODY_LIMIT",
      "CONNECT_TIMEOUT",
      "HEADERS_TIMEOUT",
      "IDLE_TIMEOUT",
      "CLIENT_TIMEOUT",
      "RETRIES",
      "RETRY_BUDGET",
      "RATE_LIMIT_WAIT",
      "CORS_ORIGINS",
      "MODELS_TTL",
      "MAX_LARGE_BODIES",
      "MAX_CONNECTIONS",
      "KEEP_ALIVE_TIMEOUT",
      "UPSTREAM_CONCURRENCY",
      "CREDENTIAL_CONCURRENCY",
      "QUEUE_TIMEOUT",
      "STREAM_BUFFER_LIMIT",
      "WEB_SEARCH_MODEL",
      "USER_AGENT",
      "COPILOT_INTEGRATION_ID",
      "ADMIN_KEY",
      "LEDGER_RETENTION",
      "ABORTED_STREAM_WAIT",
      "FALLBACK_MODEL",
      "INVITE_CODE",
    ]);
  });

  it("marks the secrets", () => {
    expect(OPTIONS.filter((d) => d.secret).map((d) => d.env)).toEqual([
      "SHARE_TOKEN",
      "GITHUB_TOKEN",
      "API_KEYS",
      "PROXY",
      "ADMIN_KEY",
      "INVITE_CODE",
    ]);
  });

  it("gives booleans an optional [bool] value and every other option a required one", () => {
    for (const descriptor of OPTIONS) {
      const placeholder = descriptor.flag.split(" ")[1];
      expect([descriptor.env, placeholder]).toEqual([
        descriptor.env,
        descriptor.type === "boolean" ? "[bool]" : expect.stringMatching(/^<[a-z]+>$/),
      ]);
    }
  });

  it("reads the proxy from the curl variables, upper case before lower case", () => {
    const proxy = OPTIONS.find((descriptor) => descriptor.env === "PROXY");
    expect(proxy === undefined ? [] : listEnvNames(proxy)).toEqual([
      "ALL_PROXY",
      "all_proxy",
      "HTTPS_PROXY",
      "https_proxy",
      "HTTP_PROXY",
      "http_proxy",
    ]);
  });
});

describe("commander integration", () => {
  it("computes the attribute names commander uses", () => {
    for (const descriptor of OPTIONS) {
      const option = new Option(descriptor.flag, descriptor.description);
      expect(getFlagAttributeName(descriptor)).toBe(option.attributeName());
      // `--no-…` flags would be negations in commander; none may start that way.
      expect(option.negate).toBe(false);
    }
  });

  it("maps parsed values to env names, leaving unset options out", () => {
    const program = new Command().exitOverride();
    for (const descriptor of OPTIONS) program.addOption(new Option(descriptor.flag));
    program.parse(
      ["--port", "9000", "--debug", "--cache=false", "--noproxy", "a,b", "--cache-path", "x.db"],
      { from: "user" },
    );
    expect(mapFlagValues(program.opts())).toEqual({
      PORT: "9000",
      DEBUG: true,
      CACHE: "false",
      NO_PROXY: "a,b",
      CACHE_PATH: "x.db",
    });
  });
});

describe("renderEnvExample", () => {
  // After changing OPTIONS, regenerate the file with `npx vitest run src/config -u`.
  it("matches the committed .env.example", async () => {
    await expect(renderEnvExample()).toMatchFileSnapshot("../../.env.example");
  });

  it("renders each option as a comment and a commented-out default", () => {
    const text = renderEnvExample();
    expect(text).toContain(
      "# Port to listen on (0 picks a free one). Flag: --port <port>\n# PORT=8080\n",
    );
    expect(text).toContain("# ALL_PROXY=\n# HTTPS_PROXY=\n# HTTP_PROXY=\n");
  });
});

describe("renderOptionsMarkdownTable", () => {
  it("has a header and one row per option", () => {
    const lines = renderOptionsMarkdownTable().split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "| Environment | Flag | Default | Description |",
      "| --- | --- | --- | --- |",
      "| `HOST` | `--host <host>` | `localhost` | Address to listen on. |",
    ]);
    expect(lines).toHaveLength(OPTIONS.length + 2);
    expect(lines.find((line) => line.includes("--proxy"))).toBe(
      "| `ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY` | `--proxy <url>` | (empty) | Outbound proxy (http, https, socks4, socks5); from ALL_PROXY, HTTPS_PROXY, HTTP_PROXY. Secret: masked in logs. |",
    );
  });
});
