/** The public surface of the fake GitHub + Copilot upstream used by tests and the benchmark. */

export interface FakeAccount {
  /** "individual" (default), "business", "enterprise": decides sku; "no_seat" → 403 no_copilot_access;
   *  "banned" → 403 spammy_user; */
  kind?: "individual" | "business" | "enterprise" | "no_seat" | "banned";
  login?: string;
  /** This account's windows, over the `limits` option's (see FakeLimits). */
  limits?: FakeLimits;
}

/**
 * An account's Copilot allowance and windows (docs/upstream-protocol.md, Billing). The fake bills
 * every answered model request against all three; once one is used up, the next request is
 * refused (402 quota_exceeded for the month unless overage is permitted, 429
 * user_weekly_rate_limited, 429 session_quota_exceeded, checked in that order). A window whose
 * reset time has passed starts again from zero (month: next 1st 00:00 UTC; week: +7 days;
 * session: +5 hours). Times are ISO strings.
 */
export interface FakeLimits {
  /** The monthly allowance (`premium_interactions`), AI credits. Default 300. */
  monthlyCredits?: number;
  /** Already used at the start, nano-AIU. Default 34_500_000_000 (34.5 credits: rem=88.5). */
  monthlyUsedNanoAiu?: number;
  /** Overage permitted: billing goes on past the allowance (header `ov`). Default false. */
  overagePermitted?: boolean;
  /** Default: the 1st of the month after the account's first request, 00:00 UTC. */
  monthlyResetAt?: string;
  /** Rolling session window, nano-AIU. Default 50_000_000_000 (50 credits). */
  sessionNanoAiu?: number;
  /** Default 0. */
  sessionUsedNanoAiu?: number;
  /** Default: 5 hours after the account's first request. */
  sessionResetAt?: string;
  /** Weekly window, nano-AIU. Default 500_000_000_000 (500 credits). */
  weeklyNanoAiu?: number;
  /** Default 0. */
  weeklyUsedNanoAiu?: number;
  /** Default: 7 days after the account's first request. */
  weeklyResetAt?: string;
}

/** A model's prices in nano-AIU per 1,000,000 tokens (10^9 nano-AIU = 1 AI credit). */
export interface FakeTokenPrices {
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
}

/** What the fake billed for one answered model request (`FakeCopilot.billing`). */
export interface FakeBillingRecord {
  /** The Copilot model id the request named. */
  readonly model: string;
  /** "/chat/completions", "/responses" (also over WebSocket) or "/v1/messages". */
  readonly endpoint: ScriptedRoute;
  readonly stream: boolean;
  /** False for a stream that ended before its last event (client gone or a drop fault): then
   *  the output billed is what the events written so far carried. */
  readonly complete: boolean;
  /** The GitHub token whose Copilot token made the request. */
  readonly account: string;
  /** Fresh input: the prompt without the cache reads and writes. */
  readonly inputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly outputTokens: number;
  /** Σ tokens × cost_per_batch / batch_size, rounded to the nearest integer (as copilot_usage). */
  readonly nanoAiu: number;
}

/** The errors Copilot answers when a limit is hit: 402 for the first two, 429 for the rest. */
export type FakeLimitErrorCode =
  | "quota_exceeded"
  | "billing_not_configured"
  | "session_quota_exceeded"
  | "user_weekly_rate_limited"
  | "user_global_rate_limited"
  | "user_model_rate_limited"
  | "integration_rate_limited";

/** The state of one window as the fake bills it (`FakeCopilot.limitState`). */
export interface FakeWindowState {
  /** Credits for "monthly", nano-AIU for "session" and "weekly" (as the headers' `ent`). */
  readonly entitlement: number;
  readonly usedNanoAiu: number;
  readonly resetAt: string;
}

export interface FakeCopilotOptions {
  /** GitHub tokens the fake GitHub accepts. Default: { [FAKE_GITHUB_TOKEN]: {} }. */
  accounts?: Record<string, FakeAccount>;
  /** Lifetime of issued Copilot tokens, seconds (default 1800); refresh_in = ttl - 300 (min 1). */
  tokenTtlSeconds?: number;
  /** Delay before answering a token exchange, ms (default 0) — lets tests overlap requests. */
  tokenExchangeDelayMs?: number;
  /** Delay between streamed chunks, ms (default 0). */
  chunkDelayMs?: number;
  /** Number of content chunks in a generated stream (default: one per word of the answer). */
  streamChunks?: number;
  /** The /models answer (default: fixture models/models.2026-03-28.json), with each entry's
   *  `billing.tokenPrices` set to the prices the fake bills (see tokenPrices). */
  models?: unknown;
  /** X-Github-Api-Version values older than this (string compare of YYYY-MM-DD) get 466. Default "2025-04-01". */
  minApiVersion?: string;
  /** Editor-Plugin-Version `copilot-chat/X.Y.Z` older than this X.Y.Z gets 466. Default "0.26.0". */
  minEditorPluginVersion?: string;
  /** Prompt limits by model id, in the fake's tokens (one per word, see countPromptTokens), in
   *  place of the model list's `capabilities.limits.max_prompt_tokens`; a longer prompt gets
   *  400 model_max_prompt_tokens_exceeded. */
  maxPromptTokens?: Record<string, number>;
  /** /responses stream ids: "rotating" (default, as Copilot: response.id, item ids and
   *  output_item ids change from event to event) or "stable" (one id per item, as OpenAI). */
  responsesItemIds?: "rotating" | "stable";
  /** Models whose /responses accepts the `web_search` tool (default: every /responses model);
   *  the others answer 400 "The use of the web search tool is not supported". */
  webSearchModels?: readonly string[];
  /** Prices by model id, over the defaults; a partial entry keeps the default for the rest.
   *  Default for every model of the list: its `billing.tokenPrices` if it has some, else
   *  Sonnet-like prices (input 300e9, cache read 30e9, cache write 375e9, output 1500e9 nano-AIU
   *  per 1M tokens) times its `billing.multiplier` (a 0 multiplier counts as 0.1, a missing one as
   *  1). The /models answer lists them as `billing.tokenPrices`
   *  (`[{token_type, cost_per_batch, batch_size}]`). */
  tokenPrices?: Record<string, Partial<FakeTokenPrices>>;
  /** Leave `copilot_usage` out of answers: all of them (true) or those for these model ids; the
   *  fake still bills them (`billing`), so a gateway's estimate can be checked. Default false. */
  omitCopilotUsage?: boolean | readonly string[];
  /** Prompt caching on every answer (a scripted answer's `cache` wins): these many tokens are
   *  read from / written to the cache ON TOP of the fake's prompt count, which stays the fresh
   *  input. Usage reports the prompt including them (Copilot's convention). Default none. */
  cacheTokens?: FakeCacheTokens;
  /** Windows for every account (FakeAccount.limits overrides per account). */
  limits?: FakeLimits;
  /** Limit refusals carry `retry-after` (seconds to the window's reset). Default false: the
   *  matching quota header's `rst` tells the reset. A scripted refusal's retryAfterSeconds wins. */
  limitRetryAfter?: boolean;
  /** Extra: the clock in ms (default Date.now); drives `created`, `expires_at` and token expiry. */
  now?: () => number;
  /** Extra: fixed ports (default 0 = any free port), for the CLI. */
  githubPort?: number;
  copilotPort?: number;
  /** Extra: keep every request in `requests` (default true); the CLI turns it off so a long
   *  benchmark or soak run does not grow without bound. */
  recordRequests?: boolean;
  /** Extra: the fixtures folder (default COGPT_FIXTURES_DIR, else test/fixtures/copilot). */
  fixturesDir?: string;
  /** Extra: faults drawn at random for POST /chat/completions and /embeddings (the soak run).
   *  A fault queued with injectFault() wins over a random one. */
  randomFaults?: RandomFaultOptions;
}

/** What a random fault does: answer that status, reset the connection before answering, or
 *  (streamed chat only) drop the connection after 1 to 8 SSE events. */
export type RandomFaultKind = "500" | "502" | "503" | "429" | "reset" | "drop";

export interface RandomFaultOptions {
  /** Probability that a request gets a fault, 0 to 1. */
  rate: number;
  /** Kinds to draw from, equally likely; "drop" counts only for streamed chat requests. */
  kinds: readonly RandomFaultKind[];
  /** Seed of the fake's own PRNG, to repeat a sequence of draws (default: a random seed). */
  seed?: number;
  /** Told about each fault just before it is applied. */
  onFault?: (event: RandomFaultEvent) => void;
}

export interface RandomFaultEvent {
  readonly kind: RandomFaultKind;
  readonly path: string;
  /** The request's x-request-id header: the gateway sends its own request id there. */
  readonly requestId: string | undefined;
}

export interface RecordedRequest {
  server: "github" | "copilot";
  /** "WS" for a response.create frame on a Responses WebSocket (its upgrade is a "GET"). */
  method: string;
  /** Path without query. */
  path: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Raw body text. */
  body: string;
}

export type FakeFault =
  | { path: string; status: number; body: string; headers?: Record<string, string>; times?: number }
  | { path: string; reset: true; times?: number }
  | { path: string; dropAfterChunks: number; times?: number }
  | { path: string; delayMs: number; times?: number };

export interface FakeCopilot {
  /** Base URL of the fake GitHub (web + API routes), http://127.0.0.1:PORT. */
  readonly githubUrl: string;
  /** Base URL of the fake Copilot API (a second server), returned as endpoints.api. */
  readonly copilotUrl: string;
  /** Everything received, in order (both servers). */
  readonly requests: RecordedRequest[];
  /** Number of token exchanges so far (optionally for one GitHub token). */
  tokenExchangeCount(githubToken?: string): number;
  addAccount(githubToken: string, account?: FakeAccount): void;
  /** Every Copilot token issued so far now answers 401 "unauthorized: token expired". */
  expireAllTokens(): void;
  /** Queue a fault; consumed in FIFO order by the first requests whose path matches (`times` default 1). */
  injectFault(fault: FakeFault): void;
  /** Answer the next request on `path` with these exact fixture bytes (relative to the fixtures dir). */
  replayNext(path: string, fixture: string): void;
  /** Decide what the "model" answers next on `route` (FIFO), in that route's wire format,
   *  streamed or not as the request asks; `match` keeps it for the request it is meant for. */
  scriptNext(
    route: ScriptedRoute,
    answer: ScriptedAnswer | ScriptedRefusal,
    match?: ScriptedMatch,
  ): void;
  /** What the fake billed, in order, one record per answered model request (refused and failed
   *  requests bill nothing). */
  readonly billing: FakeBillingRecord[];
  /** Change an account's windows now (default: FAKE_GITHUB_TOKEN's), until reset(): given
   *  fields replace the current ones; a `…UsedNanoAiu` sets the usage. */
  setLimits(limits: FakeLimits, githubToken?: string): void;
  /** The account's windows as billed so far (default: FAKE_GITHUB_TOKEN's). */
  limitState(githubToken?: string): {
    monthly: FakeWindowState & { overagePermitted: boolean };
    session: FakeWindowState;
    weekly: FakeWindowState;
  };
  /** Forget recorded requests, queued faults, replays, scripted answers and billing records, and
   *  put every account's windows back to their configured start (accounts and tokens stay). */
  reset(): void;
  close(): Promise<void>;
}

/** A GitHub app user token as the device flow gives ("ghu_" + 36 characters). */
export const FAKE_GITHUB_TOKEN = "ghu_FakeCopilotGithubTokenForTests000001";

/** The model routes whose answers a test can script. */
export type ScriptedRoute = "/chat/completions" | "/responses" | "/v1/messages";

/** A scripted answer: text, or one or more tool calls (arguments as an object or raw JSON text),
 *  or (/responses streams only) a tool call whose arguments degenerate into whitespace-only
 *  deltas until the output limit, as Copilot's models sometimes do: `{"` then that many
 *  whitespace characters, ending in response.incomplete (max_output_tokens). */
export type ScriptedAnswer = (
  | { text: string }
  | { toolCalls: readonly { name: string; arguments: Record<string, unknown> | string }[] }
  | { degenerateToolCall: { name: string; whitespaceCharacters: number } }
) & {
  /** Prompt caching for this answer (see FakeCopilotOptions.cacheTokens). */
  cache?: FakeCacheTokens;
  /** Streamed: this answer's own pause between events (see FakeCopilotOptions.chunkDelayMs). */
  chunkDelayMs?: number;
};

/** Tokens read from / written to the prompt cache, on top of the fake's prompt count. */
export interface FakeCacheTokens {
  readTokens?: number;
  writeTokens?: number;
}

/** A scripted limit refusal: the next `times` (default 1) matching requests on the route get
 *  Copilot's error for `refuse` (402 or 429, text/plain JSON) with the quota headers; nothing is
 *  billed. `message` replaces the fake's wording; `retryAfterSeconds` adds `retry-after`. */
export interface ScriptedRefusal {
  refuse: FakeLimitErrorCode;
  times?: number;
  message?: string;
  retryAfterSeconds?: number;
}

/** Which request a scripted answer is for; every given field must fit (default: the next one). */
export interface ScriptedMatch {
  /** The request's `model`, exactly as the gateway sends it upstream. */
  model?: string;
  /** A tool the request offers (Responses namespace tools count by their nested names too). */
  tool?: string;
}
