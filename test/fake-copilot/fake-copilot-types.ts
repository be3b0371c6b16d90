/** The public surface of the fake GitHub + Copilot upstream used by tests and the benchmark. */

export interface FakeAccount {
  /** "individual" (default), "business", "enterprise": decides sku; "no_seat" → 403 no_copilot_access;
   *  "banned" → 403 spammy_user; */
  kind?: "individual" | "business" | "enterprise" | "no_seat" | "banned";
  login?: string;
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
  /** The /models answer (default: fixture models/models.2026-03-28.json, verbatim). */
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
  scriptNext(route: ScriptedRoute, answer: ScriptedAnswer, match?: ScriptedMatch): void;
  /** Forget recorded requests, queued faults, replays and scripted answers (accounts and tokens stay). */
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
export type ScriptedAnswer =
  | { text: string }
  | { toolCalls: readonly { name: string; arguments: Record<string, unknown> | string }[] }
  | { degenerateToolCall: { name: string; whitespaceCharacters: number } };

/** Which request a scripted answer is for; every given field must fit (default: the next one). */
export interface ScriptedMatch {
  /** The request's `model`, exactly as the gateway sends it upstream. */
  model?: string;
  /** A tool the request offers (Responses namespace tools count by their nested names too). */
  tool?: string;
}
