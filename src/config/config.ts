/** The validated, frozen configuration every part of CoGPT is built from. */
export type AccountType = "individual" | "business" | "enterprise";

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";

export interface Config {
  readonly host: string;
  readonly port: number;
  /** true: SQLite token cache at `cachePath`; false: memory only. */
  readonly cache: boolean;
  readonly cachePath: string;
  readonly debug: boolean;
  readonly logLevel: LogLevel;
  /** JSON-lines log file; empty string disables it. */
  readonly logFile: string;
  /** share token (`share-…`) → GitHub token. */
  readonly shareTokens: ReadonlyMap<string, string>;
  /** GITHUB_TOKEN: a server-held GitHub token for clients that bring none. */
  readonly githubToken: string | undefined;
  /** Keys clients may present to use the server-held account. */
  readonly apiKeys: readonly string[];
  /** Outbound proxy URL (http, https, socks5, socks5h, socks4), or undefined for direct. */
  readonly proxy: string | undefined;
  /** Hosts that bypass the proxy (NO_PROXY syntax, already split). */
  readonly noProxy: readonly string[];
  /** GitHub web base URL (device flow). */
  readonly githubUrl: string;
  /** GitHub API base URL (token exchange, user, quota). */
  readonly githubApiUrl: string;
  /** Copilot API base URL override; undefined means `endpoints.api` from the token answer. */
  readonly copilotApiUrl: string | undefined;
  readonly accountType: AccountType;
  /** e.g. `1.104.3` (sent as `vscode/<editorVersion>`). */
  readonly editorVersion: string;
  /** e.g. `0.31.5` (sent as `copilot-chat/<…>` and `GitHubCopilotChat/<…>`). */
  readonly editorPluginVersion: string;
  /** `X-Github-Api-Version` date string. */
  readonly githubApiVersion: string;
  /** Client model name → Copilot model id. */
  readonly modelMap: ReadonlyMap<string, string>;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimit: number;
  /** Upstream connect timeout, ms. */
  readonly connectTimeoutMs: number;
  /** Upstream time to response headers (first byte), ms. */
  readonly headersTimeoutMs: number;
  /** Upstream idle time between body chunks, ms. */
  readonly idleTimeoutMs: number;
  /** Time a client has to send its request headers and body, ms. */
  readonly clientTimeoutMs: number;
  /** Retries of an upstream 500/502/503 or failed connection, before any byte reached the client. */
  readonly retries: number;
  /** Total time the retries of one request may take, ms. */
  readonly retryBudgetMs: number;
  /** A 429 whose retry-after is at most this (ms) is waited out and retried once; 0: never. */
  readonly rateLimitWaitMs: number;
  /** Allowed CORS origins; `["*"]` allows any. */
  readonly corsOrigins: readonly string[];
  /** How long a model list is reused per account, ms. */
  readonly modelsTtlMs: number;
  /** How many request bodies over 256 KB are read and parsed at once. */
  readonly maxLargeBodies: number;
  /** Most client connections open at once; undefined: derived from the open-file limit. */
  readonly maxConnections: number | undefined;
  /** Time an idle keep-alive client connection stays open, ms. */
  readonly keepAliveTimeoutMs: number;
  /** Requests served at once (holding an upstream call), all credentials together. */
  readonly upstreamConcurrency: number;
  /** Requests one credential is served at once; as many more may wait. */
  readonly credentialConcurrency: number;
  /** Longest wait for a credential's turn, ms. */
  readonly queueTimeoutMs: number;
  /** Bytes of streamed answers held for slow readers, all streams together. */
  readonly streamBufferLimit: number;
  /**
   * The model (it must serve `/responses` with its `web_search` tool) that runs the searches of
   * Anthropic's `web_search` server tool; undefined: such requests get a 400 naming the setting.
   */
  readonly webSearchModel: string | undefined;
  /** `User-Agent` sent to GitHub and Copilot (default `GitHubCopilotChat/<editorPluginVersion>`). */
  readonly userAgent: string;
  /** `Copilot-Integration-Id` sent to Copilot. */
  readonly copilotIntegrationId: string;
  /** ADMIN_KEY: opens /metrics and the admin API off the loopback; undefined: loopback only. */
  readonly adminKey: string | undefined;
  /** Days each ledger row is kept (daily totals stay). */
  readonly ledgerRetentionDays: number;
  /** The model that serves while an account's allowance is used up; undefined: none. */
  readonly fallbackModel: string | undefined;
  /**
   * How long a stream whose client left is still read for Copilot's own cost, in its final usage
   * event, ms; 0: Copilot is let go at once and the stream's cost is an estimate.
   */
  readonly abortedStreamWaitMs: number;
  /** INVITE_CODE: lets a friend join with their own Copilot seat at /ui/join; undefined: off. */
  readonly inviteCode: string | undefined;
}
