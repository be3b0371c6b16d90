// The dashboard's JSON API (docs/ui-api.md, Shapes): what the server sends under /ui/api/ and
// what the page reads. The one copy of these shapes, imported by the server (src/server/ui) and
// by the page (src/ui, built by Vite with its own tsconfig), so this file imports nothing.
// Credits are given twice: `credits` (decimal string, exact) and nano-credits (integer); times
// are ISO strings.

/** Who a dashboard session belongs to: the owner, or a friend signed in with a managed key. */
export type UiRole = "admin" | "friend";

/** `GET`/`POST /ui/api/session`; with the ADMIN_KEY bearer (no session) both are null. */
export interface UiSessionInfo {
  readonly role: UiRole;
  /** The managed key a friend signed in with; null for the owner. */
  readonly keyName: string | null;
  readonly csrfToken: string | null;
  readonly expiresAt: string | null;
}

/** The premium-request allowance of an account's plan (`premium_interactions`). */
export interface UiAllowance {
  readonly entitlement: number;
  readonly remaining: number;
  readonly percentRemaining: number;
  readonly overagePermitted: boolean;
  readonly resetsAt: string | null;
}

/** A rate-limit window Copilot reported for an account. */
export interface UiQuotaWindow {
  readonly name: string;
  readonly percentRemaining: number;
  readonly entitlement: number;
  readonly resetsAt: string | null;
  readonly secondsToReset: number | null;
}

export interface UiAccount {
  /** The token's fingerprint, e.g. `ghu:ab12cd34`. */
  readonly account: string;
  readonly login: string | null;
  /** `copilot_plan`. */
  readonly plan: string | null;
  /** `token_based_billing`. */
  readonly billing: "credits" | "requests" | null;
  readonly allowance: UiAllowance | null;
  readonly windows: readonly UiQuotaWindow[];
  readonly exhausted: { readonly code: string; readonly until: string } | null;
}

/** `GET /ui/api/overview`. */
export interface UiOverview {
  readonly version: string;
  readonly uptimeSeconds: number;
  readonly accounts: readonly UiAccount[];
  readonly last24h: {
    readonly requests: number;
    readonly errors: number;
    readonly errorRate: number;
    readonly credits: string;
    readonly nanoCredits: number;
  };
  readonly streamsOpen: number;
}

export type UiSpendGrouping = "key" | "model";

/** One key's or model's totals over the days of a spend answer. */
export interface UiSpendTotal {
  readonly name: string;
  readonly requests: number;
  readonly errors: number;
  readonly inputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly outputTokens: number;
  readonly reasoningTokens: number;
  readonly nanoCredits: number;
  readonly credits: string;
  readonly premiumRequests: number;
}

/** `GET /ui/api/spend`: a series per name with a value for every day, and the totals. */
export interface UiSpend {
  readonly by: UiSpendGrouping;
  /** `2026-11-08` … today, UTC. */
  readonly days: readonly string[];
  readonly series: readonly {
    readonly name: string;
    readonly nanoCredits: readonly number[];
    readonly credits: readonly string[];
  }[];
  readonly totals: readonly UiSpendTotal[];
}

/** A ledger entry, metadata only (`GET /ui/api/requests` and its event stream). */
export interface UiRequest {
  readonly time: string;
  readonly requestId: string;
  readonly key: string;
  readonly modelAsked: string | null;
  readonly modelUsed: string | null;
  readonly endpoint: string | null;
  readonly dialect: string;
  readonly status: number;
  readonly latencyMs: number;
  readonly stream: boolean;
  readonly complete: boolean;
  readonly inputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly outputTokens: number;
  readonly reasoningTokens: number;
  readonly nanoCredits: number;
  readonly credits: string;
  readonly creditsSource: "copilot" | "estimate" | "unknown" | "none";
  readonly supportId: string | null;
  readonly fallbackFrom: string | null;
}

/** `GET /ui/api/requests`, newest first. */
export interface UiRequestList {
  readonly requests: readonly UiRequest[];
}

export interface UiKeyLimits {
  readonly creditsPerDay: string | null;
  readonly creditsPerMonth: string | null;
  readonly requestsPerMinute: number | null;
  readonly concurrency: number | null;
  readonly models: readonly string[] | null;
  readonly fallbackModel: string | null;
}

/** What a key spent in the UTC day and month so far. */
export interface UiKeySpend {
  readonly today: string;
  readonly todayNano: number;
  readonly month: string;
  readonly monthNano: number;
}

/** A managed key, or a key of the configuration (read-only, its secret only a fingerprint). */
export interface UiKey {
  readonly name: string;
  readonly id: string | null;
  readonly source: "managed" | "API_KEYS" | "SHARE_TOKEN";
  readonly fingerprint: string | null;
  readonly account: string | null;
  readonly createdAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly status: "active" | "expired" | "revoked";
  readonly limits: UiKeyLimits;
  readonly spend: UiKeySpend;
}

/** `GET /ui/api/keys`. */
export interface UiKeyList {
  readonly keys: readonly UiKey[];
}

/** `POST /ui/api/keys/update` and `/keys/revoke`. */
export interface UiKeyChanged {
  readonly key: UiKey;
}

/** The body of `POST /ui/api/keys` (with `name`) and `/keys/update`; null clears a limit. */
export interface UiKeyInput {
  name?: string;
  account?: string | null;
  expiresAt?: string | null;
  creditsPerDay?: string | null;
  creditsPerMonth?: string | null;
  requestsPerMinute?: number | null;
  concurrency?: number | null;
  models?: string[] | null;
  fallbackModel?: string | null;
}

/** Ready-to-paste settings for a new key, shown once beside its secret. */
export interface UiKeySnippets {
  readonly openai: string;
  readonly claudeCode: string;
  readonly codex: string;
}

/** `POST /ui/api/keys`: the only answer that holds a key's secret. */
export interface UiCreatedKey {
  readonly key: UiKey;
  readonly secret: string;
  readonly snippets: UiKeySnippets;
}

/** One entry of the model catalog. */
export interface UiModel {
  readonly id: string;
  readonly name: string | null;
  readonly vendor: string | null;
  readonly endpoints: readonly string[];
  readonly contextWindow: number | null;
  readonly maxOutputTokens: number | null;
  readonly multiplier: number | null;
  /** Nano-credits per `per` tokens. */
  readonly prices: {
    readonly input: number | null;
    readonly cacheRead: number | null;
    readonly cacheWrite: number | null;
    readonly output: number | null;
    readonly per: number;
  } | null;
  readonly pricesSource: "copilot" | "catalog" | null;
  /** `unconfigured`: to be enabled in GitHub's settings. */
  readonly policy: "enabled" | "disabled" | "unconfigured" | null;
}

/** `GET /ui/api/models`. */
export interface UiModelList {
  readonly models: readonly UiModel[];
}

/** `GET /ui/api/health`. */
export interface UiHealth {
  readonly version: string;
  readonly node: string;
  readonly uptimeSeconds: number;
  readonly cache: string;
  readonly cacheError: string | null;
  readonly storageDriver: string;
  readonly tokenExchanges: { readonly ok: number; readonly failed: number };
  readonly upstreamErrors: readonly { readonly kind: string; readonly count: number }[];
  readonly streamsOpen: number;
  readonly identity: {
    readonly editorVersion: string;
    readonly editorPluginVersion: string;
    readonly githubApiVersion: string;
    readonly userAgent: string;
    readonly integrationId: string;
  };
}

/** `GET /ui/api/join`: whether INVITE_CODE is set. */
export interface UiJoinEnabled {
  readonly enabled: boolean;
}

/** `POST /ui/api/join/start`: the device-flow code the friend enters at GitHub. */
export interface UiJoinStart {
  readonly joinId: string;
  readonly userCode: string;
  readonly verificationUri: string;
  readonly expiresAt: string;
  readonly interval: number;
}

/** `POST /ui/api/join/poll`. */
export type UiJoinPoll =
  | { readonly status: "pending" }
  | {
      readonly status: "done";
      readonly key: UiKey;
      readonly secret: string;
      readonly snippets: UiKeySnippets;
    }
  | { readonly status: "expired" | "denied"; readonly message: string };
