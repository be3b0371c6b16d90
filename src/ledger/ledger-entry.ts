import type { DialectName } from "../dialects/dialect.js";
import type { Initiator, UpstreamEndpoint } from "../protocols/copilot.js";

/** Where a request's credit figure comes from. */
export type CreditsSource =
  /** Copilot's own `copilot_usage.total_nano_aiu`. */
  | "copilot"
  /** Tokens × the model's prices, when Copilot reported no cost. */
  | "estimate"
  /** Tokens are known but the model's prices are not: the credits read 0. */
  | "unknown"
  /** No usage to price: the request failed before Copilot answered, or its answer had none. */
  | "none";

/** One answered request, as the ledger keeps it: metadata and counts, never content. */
export interface LedgerEntry {
  /** Epoch milliseconds at the start of the request. */
  readonly time: number;
  readonly requestId: string;
  /** The managed key's name, the configuration entry (`API_KEYS#1`, `SHARE_TOKEN#2`), … */
  readonly keyName: string;
  /** Fingerprint of the GitHub account spent (never the token). */
  readonly account: string;
  readonly dialect: DialectName;
  readonly endpoint: UpstreamEndpoint | undefined;
  readonly modelAsked: string | undefined;
  readonly modelUsed: string | undefined;
  readonly initiator: Initiator | undefined;
  readonly status: number;
  readonly latencyMs: number;
  /** Time to the first byte of the answer (streams), ms. */
  readonly firstByteMs: number | undefined;
  readonly stream: boolean;
  /** false: a stream that broke or was aborted (its counts are what was used until then). */
  readonly complete: boolean;
  /** Input tokens that were neither read from nor written to the prompt cache. */
  readonly inputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly outputTokens: number;
  readonly reasoningTokens: number;
  /** 10⁹ nano-credits = 1 AI credit (US$0.01). */
  readonly nanoCredits: number;
  readonly creditsSource: CreditsSource;
  /** What the request costs an account on request billing (the model's multiplier, user turns). */
  readonly premiumRequests: number;
  /** The model asked for when a fallback served the request instead. */
  readonly fallbackFrom: string | undefined;
  /** Copilot's `x-github-request-id`, for GitHub support. */
  readonly supportId: string | undefined;
  /** The error code when the request failed (for metrics of upstream errors by kind). */
  readonly errorCode?: string | undefined;
}
