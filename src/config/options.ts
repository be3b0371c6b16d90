/**
 * Every configuration option, once. The CLI builds its commander options from this table,
 * `.env.example` and the README table are rendered from it, and `loadConfig` reads its
 * defaults from it, so an option cannot exist in one place and be missing in another.
 *
 * Boolean flags take an optional value: `--debug` alone means true, `--debug=false` (or
 * `--debug false`) sets false. The `=` form is the safe one when a positional argument follows.
 */
export interface OptionDescriptor {
  /** Name in the environment and `.env`; also the key of `loadConfig`'s `flags` and of messages. */
  readonly env: string;
  /**
   * Variables actually read, first set one wins, when they differ from `env` (the proxy
   * follows the curl convention of several variables, upper-case before lower-case).
   */
  readonly envNames?: readonly string[];
  /** commander flag: `--port <port>` for values, `--cache [bool]` for booleans. */
  readonly flag: string;
  readonly type: "string" | "boolean";
  /** One line, for `--help`. */
  readonly description: string;
  /** The default as a user writes it (parsed like any other value). */
  readonly defaultValue: string;
  /** Holds credentials: never logged, never shown in help output with its value. */
  readonly secret: boolean;
}

const DURATION_HINT = "ms, or a number with ms, s or m";

export const OPTIONS: readonly OptionDescriptor[] = [
  option("HOST", "--host <host>", "address to listen on", "localhost"),
  option("PORT", "--port <port>", "port to listen on (0 picks a free one)", "8080"),
  booleanOption("CACHE", "--cache [bool]", "keep Copilot tokens in SQLite (false: memory)", "true"),
  option("CACHE_PATH", "--cache-path <path>", "SQLite token cache file", "db/cache.sqlite3"),
  booleanOption("DEBUG", "--debug [bool]", "log request and response headers (redacted)", "false"),
  option(
    "LOG_LEVEL",
    "--log-level <level>",
    "log level: trace, debug, info, warn, error, fatal or silent",
    "info",
  ),
  option("LOG_FILE", "--log-file <path>", "JSON-lines log file (empty disables)", "log/cogpt.log"),
  {
    ...option(
      "SHARE_TOKEN",
      "--share-token <pairs>",
      "share keys clients may use: share-abc:ghu_x,share-def:ghu_y",
      "",
    ),
    secret: true,
  },
  {
    ...option(
      "GITHUB_TOKEN",
      "--github-token <token>",
      "a server-held GitHub token for clients that bring none (else the one `cogpt login --save` stored)",
      "",
    ),
    secret: true,
  },
  {
    ...option(
      "API_KEYS",
      "--api-keys <keys>",
      "comma list of keys clients may present to use the server-held account (required off loopback)",
      "",
    ),
    secret: true,
  },
  {
    ...option(
      "PROXY",
      "--proxy <url>",
      "outbound proxy (http, https, socks4, socks5); from ALL_PROXY, HTTPS_PROXY, HTTP_PROXY",
      "",
    ),
    envNames: ["ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"],
    // A proxy URL may carry a password.
    secret: true,
  },
  {
    ...option("NO_PROXY", "--noproxy <hosts>", "comma list of hosts that bypass the proxy", ""),
    envNames: ["NO_PROXY", "no_proxy"],
  },
  option("GITHUB_URL", "--github-url <url>", "GitHub web URL (device login)", "https://github.com"),
  option(
    "GITHUB_API_URL",
    "--github-api-url <url>",
    "GitHub API URL (token exchange, user, quota)",
    "https://api.github.com",
  ),
  option(
    "COPILOT_API_URL",
    "--copilot-api-url <url>",
    "Copilot API URL (empty: from the token, else by ACCOUNT_TYPE)",
    "",
  ),
  option(
    "ACCOUNT_TYPE",
    "--account-type <type>",
    "Copilot plan: individual, business or enterprise",
    "individual",
  ),
  option(
    "EDITOR_VERSION",
    "--editor-version <version>",
    "VS Code version sent to Copilot (Editor-Version)",
    "1.104.3",
  ),
  option(
    "EDITOR_PLUGIN_VERSION",
    "--editor-plugin-version <version>",
    "Copilot Chat version sent to Copilot (Editor-Plugin-Version)",
    "0.31.5",
  ),
  option(
    "GITHUB_API_VERSION",
    "--github-api-version <date>",
    "X-Github-Api-Version sent to Copilot (YYYY-MM-DD)",
    "2026-08-01",
  ),
  option("MODEL_MAP", "--model-map <pairs>", "model aliases: from:to,from:to", ""),
  option("BODY_LIMIT", "--body-limit <size>", "largest request body: bytes, or kb/mb", "32mb"),
  option(
    "CONNECT_TIMEOUT",
    "--connect-timeout <duration>",
    `upstream connect timeout (${DURATION_HINT})`,
    "10s",
  ),
  option(
    "HEADERS_TIMEOUT",
    "--headers-timeout <duration>",
    `upstream time to first byte (${DURATION_HINT})`,
    "120s",
  ),
  option(
    "IDLE_TIMEOUT",
    "--idle-timeout <duration>",
    `upstream time between chunks (${DURATION_HINT})`,
    "120s",
  ),
  option(
    "CLIENT_TIMEOUT",
    "--client-timeout <duration>",
    `time a client has to send its request headers and body (${DURATION_HINT})`,
    "30s",
  ),
  option(
    "RETRIES",
    "--retries <count>",
    "retries of an upstream 500/502/503 or failed connection before any byte reached the client (0-10)",
    "2",
  ),
  option(
    "RETRY_BUDGET",
    "--retry-budget <duration>",
    `total time the retries of one request may take (${DURATION_HINT})`,
    "15s",
  ),
  option(
    "RATE_LIMIT_WAIT",
    "--rate-limit-wait <duration>",
    `on a 429 whose retry-after is at most this, wait and retry once; 0 passes every 429 on (${DURATION_HINT})`,
    "0",
  ),
  option("CORS_ORIGINS", "--cors-origins <origins>", "comma list of allowed origins", "*"),
  option(
    "MODELS_TTL",
    "--models-ttl <duration>",
    `how long a model list is reused per account (${DURATION_HINT})`,
    "5m",
  ),
  option(
    "MAX_LARGE_BODIES",
    "--max-large-bodies <count>",
    "request bodies over 256 KB read and parsed at once; more wait up to 5 s, then get 503",
    "4",
  ),
  option(
    "MAX_CONNECTIONS",
    "--max-connections <count>",
    "open client connections; past it the longest-idle one is closed (auto: from the open-file limit)",
    "auto",
  ),
  option(
    "KEEP_ALIVE_TIMEOUT",
    "--keep-alive-timeout <duration>",
    `time an idle keep-alive client connection stays open (${DURATION_HINT})`,
    "5s",
  ),
  option(
    "UPSTREAM_CONCURRENCY",
    "--upstream-concurrency <count>",
    "requests served at once, all clients together; past it a new one gets 503 with Retry-After",
    "1024",
  ),
  option(
    "CREDENTIAL_CONCURRENCY",
    "--credential-concurrency <count>",
    "requests one credential is served at once; as many more wait (QUEUE_TIMEOUT), then 503",
    "256",
  ),
  option(
    "QUEUE_TIMEOUT",
    "--queue-timeout <duration>",
    `longest wait for a credential's turn before 503 with Retry-After (${DURATION_HINT})`,
    "10s",
  ),
  option(
    "STREAM_BUFFER_LIMIT",
    "--stream-buffer-limit <size>",
    "answer bytes held for clients that read slowly, all streams together; past it the slowest are cut",
    "64mb",
  ),
  option(
    "WEB_SEARCH_MODEL",
    "--web-search-model <model>",
    "model whose Responses web_search tool runs Anthropic web_search requests; empty: they get a 400",
    "",
  ),
  option(
    "USER_AGENT",
    "--user-agent <value>",
    "User-Agent sent to GitHub and Copilot (empty: GitHubCopilotChat/<EDITOR_PLUGIN_VERSION>)",
    "",
  ),
  option(
    "COPILOT_INTEGRATION_ID",
    "--copilot-integration-id <id>",
    "Copilot-Integration-Id sent to Copilot",
    "vscode-chat",
  ),
  {
    ...option(
      "ADMIN_KEY",
      "--admin-key <key>",
      "key for /metrics and the admin API, as Authorization: Bearer <key> (empty: loopback only)",
      "",
    ),
    secret: true,
  },
  option(
    "LEDGER_RETENTION",
    "--ledger-retention <days>",
    "days the ledger keeps each request's row; daily totals per key and model are kept beyond",
    "90",
  ),
  option(
    "ABORTED_STREAM_WAIT",
    "--aborted-stream-wait <duration>",
    `how long a stream whose client left is read on for Copilot's own cost (the rest of the answer is generated and billed); 0: Copilot is let go at once, the cost estimated (${DURATION_HINT})`,
    "0",
  ),
  option(
    "FALLBACK_MODEL",
    "--fallback-model <model>",
    "model that serves while the account's allowance is used up (keys may set their own); empty: none",
    "",
  ),
  {
    ...option(
      "INVITE_CODE",
      "--invite-code <code>",
      "code a friend enters at /ui/join to sign in to GitHub and get a key spending their own Copilot seat (empty: no joining)",
      "",
    ),
    secret: true,
  },
];

function option(
  env: string,
  flag: string,
  description: string,
  defaultValue: string,
): OptionDescriptor {
  return { env, flag, type: "string", description, defaultValue, secret: false };
}

function booleanOption(
  env: string,
  flag: string,
  description: string,
  defaultValue: string,
): OptionDescriptor {
  return { ...option(env, flag, description, defaultValue), type: "boolean" };
}

/** The variables read for an option, in precedence order. */
export function listEnvNames(descriptor: OptionDescriptor): readonly string[] {
  return descriptor.envNames ?? [descriptor.env];
}

/** The key commander stores a flag's value under (`--cache-path <path>` → `cachePath`). */
export function getFlagAttributeName(descriptor: OptionDescriptor): string {
  const long = descriptor.flag.split(" ")[0] ?? "";
  return long
    .replace(/^--/, "")
    .replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/**
 * Turns commander's parsed option values into `loadConfig` flags, keyed by env name. Declare the
 * commander options WITHOUT defaults: a commander default would count as a flag and beat the
 * environment (show `defaultValue` in the help text instead).
 */
export function mapFlagValues(
  commanderValues: Readonly<Record<string, unknown>>,
): Record<string, string | boolean | undefined> {
  const flags: Record<string, string | boolean | undefined> = {};
  for (const descriptor of OPTIONS) {
    const value = commanderValues[getFlagAttributeName(descriptor)];
    if (typeof value === "string" || typeof value === "boolean") flags[descriptor.env] = value;
  }
  return flags;
}

/** The committed `.env.example`: every option commented out at its default. */
export function renderEnvExample(): string {
  const header = [
    "# CoGPT configuration. Copy to .env (in the directory you start cogpt from) and uncomment",
    "# what you change. Precedence: command-line flags > environment > .env > defaults.",
    "# Booleans: true/false, 1/0, yes/no, on/off. Durations: plain ms, or ms/s/m suffix.",
    "# On the command line a boolean flag alone means true (--debug); write --debug=false to unset.",
    "",
  ];
  const blocks = OPTIONS.map((descriptor) => {
    const names = listEnvNames(descriptor).filter((name) => name === name.toUpperCase());
    return [
      `# ${capitalize(descriptor.description)}. Flag: ${descriptor.flag}`,
      ...names.map((name) => `# ${name}=${descriptor.defaultValue}`),
      "",
    ].join("\n");
  });
  return header.join("\n") + "\n" + blocks.join("\n");
}

/** The README's option table (GitHub-flavoured Markdown). */
export function renderOptionsMarkdownTable(): string {
  const rows = OPTIONS.map((descriptor) => {
    const names = listEnvNames(descriptor)
      .filter((name) => name === name.toUpperCase())
      .map((name) => `\`${name}\``)
      .join(", ");
    const flag = `\`${descriptor.flag}\``;
    const shown = descriptor.defaultValue === "" ? "(empty)" : `\`${descriptor.defaultValue}\``;
    const secret = descriptor.secret ? " Secret: masked in logs." : "";
    const description = `${capitalize(descriptor.description)}.${secret}`;
    return `| ${[names, flag, shown, description].map(escapeCell).join(" | ")} |`;
  });
  return [
    "| Environment | Flag | Default | Description |",
    "| --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|");
}
