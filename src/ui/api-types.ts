// The shapes of the dashboard's JSON API, as docs/ui-api.md defines them.

export type Role = "admin" | "friend";

export interface Session {
  readonly role: Role;
  readonly keyName: string | null;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export interface Allowance {
  readonly entitlement: number;
  readonly remaining: number;
  readonly percentRemaining: number;
  readonly overagePermitted: boolean;
  readonly resetsAt: string | null;
}

export interface QuotaWindow {
  readonly name: string;
  readonly percentRemaining: number;
  readonly entitlement: number;
  readonly resetsAt: string | null;
  readonly secondsToReset: number | null;
}

export interface Account {
  readonly account: string;
  readonly login: string | null;
  readonly plan: string | null;
  readonly billing: "credits" | "requests" | null;
  readonly allowance: Allowance | null;
  readonly windows: readonly QuotaWindow[];
  readonly exhausted: { readonly code: string; readonly until: string } | null;
}

export interface Overview {
  readonly version: string;
  readonly uptimeSeconds: number;
  readonly accounts: readonly Account[];
  readonly last24h: {
    readonly requests: number;
    readonly errors: number;
    readonly errorRate: number;
    readonly credits: string;
    readonly nanoCredits: number;
  };
  readonly streamsOpen: number;
}

export type SpendGrouping = "key" | "model";

export interface SpendTotal {
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

export interface Spend {
  readonly by: SpendGrouping;
  readonly days: readonly string[];
  readonly series: readonly {
    readonly name: string;
    readonly nanoCredits: readonly number[];
    readonly credits: readonly string[];
  }[];
  readonly totals: readonly SpendTotal[];
}

export interface RequestEntry {
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

export interface KeyLimits {
  readonly creditsPerDay: string | null;
  readonly creditsPerMonth: string | null;
  readonly requestsPerMinute: number | null;
  readonly concurrency: number | null;
  readonly models: readonly string[] | null;
  readonly fallbackModel: string | null;
}

export interface Key {
  readonly name: string;
  readonly id: string | null;
  readonly source: "managed" | "API_KEYS" | "SHARE_TOKEN";
  readonly fingerprint: string | null;
  readonly account: string | null;
  readonly createdAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly status: "active" | "expired" | "revoked";
  readonly limits: KeyLimits;
  readonly spend: {
    readonly today: string;
    readonly todayNano: number;
    readonly month: string;
    readonly monthNano: number;
  };
}

export interface KeyInput {
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

export interface Snippets {
  readonly openai: string;
  readonly claudeCode: string;
  readonly codex: string;
}

export interface CreatedKey {
  readonly key: Key;
  readonly secret: string;
  readonly snippets: Snippets;
}

export interface Model {
  readonly id: string;
  readonly name: string | null;
  readonly vendor: string | null;
  readonly endpoints: readonly string[];
  readonly contextWindow: number | null;
  readonly maxOutputTokens: number | null;
  readonly multiplier: number | null;
  readonly prices: {
    readonly input: number | null;
    readonly cacheRead: number | null;
    readonly cacheWrite: number | null;
    readonly output: number | null;
    readonly per: number;
  } | null;
  readonly pricesSource: "copilot" | "catalog" | null;
  readonly policy: "enabled" | "disabled" | "unconfigured" | null;
}

export interface Health {
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

export interface JoinStart {
  readonly joinId: string;
  readonly userCode: string;
  readonly verificationUri: string;
  readonly expiresAt: string;
  readonly interval: number;
}

export type JoinPoll =
  | { readonly status: "pending" }
  | {
      readonly status: "done";
      readonly key: Key;
      readonly secret: string;
      readonly snippets?: Snippets;
    }
  | { readonly status: "expired" | "denied"; readonly message: string };
