import { createHmac, randomBytes } from "node:crypto";
import type { AccountUsage } from "./account-limits.js";
import { defaultTokenPrices, readTokenPricesWire, tokenPricesWire } from "./billing.js";
import type {
  FakeAccount,
  FakeBillingRecord,
  FakeCacheTokens,
  FakeCopilotOptions,
  FakeLimits,
  FakeTokenPrices,
} from "./fake-copilot-types.js";
import { FAKE_GITHUB_TOKEN } from "./fake-copilot-types.js";
import type { FakeFixtures } from "./fixtures.js";
import type { QueuedScriptedAnswer } from "./scripted-answers.js";

export type AccountKind = NonNullable<FakeAccount["kind"]>;

export interface RegisteredAccount {
  readonly kind: AccountKind;
  readonly login: string;
  readonly id: number;
  readonly limits: FakeLimits;
}

export interface FakeModel {
  readonly id: string;
  readonly vendor: string;
  readonly type: string;
  /** Missing in the recording means chat/completions only. */
  readonly supportedEndpoints: readonly string[] | undefined;
  /** capabilities.limits.max_prompt_tokens, if the model list gives it. */
  readonly maxPromptTokens: number | undefined;
}

interface IssuedToken {
  readonly githubToken: string;
  readonly expiresAtMs: number;
  readonly serial: number;
}

export type CopilotTokenStatus = "valid" | "expired" | "unknown";

/** Everything the two fake servers share; one per startFakeCopilot call, no globals. */
export interface FakeState {
  readonly fixtures: FakeFixtures;
  readonly now: () => number;
  readonly tokenTtlSeconds: number;
  readonly tokenExchangeDelayMs: number;
  readonly chunkDelayMs: number;
  readonly streamChunks: number | undefined;
  readonly minApiVersion: string;
  readonly minEditorPluginVersion: string;
  readonly maxPromptTokens: Readonly<Record<string, number>>;
  readonly responsesItemIds: "rotating" | "stable";
  /** Models that may use the Responses `web_search` tool; undefined: all of them. */
  readonly webSearchModels: readonly string[] | undefined;
  /** Signs thinking blocks per model, so a block from another model can be told apart. */
  readonly thinkingKey: Buffer;
  readonly modelsText: string;
  readonly models: ReadonlyMap<string, FakeModel>;
  readonly accounts: Map<string, RegisteredAccount>;
  readonly issuedTokens: Map<string, IssuedToken>;
  readonly exchangeCounts: Map<string, number>;
  /** Prices by model id (every model of the list, as /models shows them). */
  readonly prices: ReadonlyMap<string, FakeTokenPrices>;
  readonly omitCopilotUsage: boolean | readonly string[];
  readonly cacheTokens: FakeCacheTokens | undefined;
  /** The `limits` option: every account's windows before FakeAccount.limits. */
  readonly limits: FakeLimits;
  readonly limitRetryAfter: boolean;
  /** Windows per GitHub token, made at the account's first billed request (account-limits.ts). */
  readonly usage: Map<string, AccountUsage>;
  /** Every answered model request's bill, in order. */
  readonly billing: FakeBillingRecord[];
  /** Answers queued with scriptNext(), taken by the routes before they plan their own. */
  readonly scripted: QueuedScriptedAnswer[];
  githubUrl: string;
  copilotUrl: string;
  tokenSerial: number;
  /** Tokens with a serial up to this one were revoked by expireAllTokens(). */
  revokedUpToSerial: number;
  completionSerial: number;
  toolCallSerial: number;
  responseSerial: number;
}

// Signs fake Copilot tokens so they look like the real `…:<hex signature>` layout.
const SIGNING_KEY = randomBytes(32);

export function createFakeState(options: FakeCopilotOptions, fixtures: FakeFixtures): FakeState {
  const models: unknown =
    options.models === undefined
      ? JSON.parse(fixtures.modelsText)
      : structuredClone(options.models);
  const prices = priceModels(models, options.tokenPrices ?? {});
  const modelsText = JSON.stringify(models);
  const state: FakeState = {
    fixtures,
    now: options.now ?? Date.now,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 1800,
    tokenExchangeDelayMs: options.tokenExchangeDelayMs ?? 0,
    chunkDelayMs: options.chunkDelayMs ?? 0,
    streamChunks: options.streamChunks,
    minApiVersion: options.minApiVersion ?? "2025-04-01",
    minEditorPluginVersion: options.minEditorPluginVersion ?? "0.26.0",
    maxPromptTokens: options.maxPromptTokens ?? {},
    responsesItemIds: options.responsesItemIds ?? "rotating",
    webSearchModels: options.webSearchModels,
    thinkingKey: randomBytes(32),
    modelsText,
    models: indexModels(models),
    prices,
    omitCopilotUsage: options.omitCopilotUsage ?? false,
    cacheTokens: options.cacheTokens,
    limits: options.limits ?? {},
    limitRetryAfter: options.limitRetryAfter ?? false,
    usage: new Map(),
    billing: [],
    accounts: new Map(),
    issuedTokens: new Map(),
    exchangeCounts: new Map(),
    scripted: [],
    githubUrl: "",
    copilotUrl: "",
    tokenSerial: 0,
    revokedUpToSerial: 0,
    completionSerial: 0,
    toolCallSerial: 0,
    responseSerial: 0,
  };
  for (const [token, account] of Object.entries(options.accounts ?? { [FAKE_GITHUB_TOKEN]: {} })) {
    registerAccount(state, token, account);
  }
  return state;
}

export function registerAccount(state: FakeState, githubToken: string, account: FakeAccount): void {
  const order = state.accounts.size + 1;
  state.accounts.set(githubToken, {
    kind: account.kind ?? "individual",
    login: account.login ?? (order === 1 ? "fake-user" : `fake-user-${order}`),
    id: 100_000 + order,
    limits: account.limits ?? {},
  });
}

/**
 * Every model's prices: the tokenPrices option over the entry's own `billing.tokenPrices`, else
 * defaults from its multiplier. Writes them into the entries (a copy of the list) as
 * `billing.tokenPrices`, so /models shows what the fake bills.
 */
function priceModels(
  models: unknown,
  overrides: Record<string, Partial<FakeTokenPrices>>,
): Map<string, FakeTokenPrices> {
  const prices = new Map<string, FakeTokenPrices>();
  const data = isRecord(models) && Array.isArray(models["data"]) ? models["data"] : [];
  for (const entry of data) {
    if (!isRecord(entry) || typeof entry["id"] !== "string") continue;
    const billing = isRecord(entry["billing"]) ? entry["billing"] : {};
    const multiplier =
      typeof billing["multiplier"] === "number" ? billing["multiplier"] : undefined;
    const base = readTokenPricesWire(billing["tokenPrices"]) ?? defaultTokenPrices(multiplier);
    const modelPrices = { ...base, ...overrides[entry["id"]] };
    entry["billing"] = { ...billing, tokenPrices: tokenPricesWire(modelPrices) };
    // The list holds duplicate ids; the first one is the one the fake serves.
    if (!prices.has(entry["id"])) prices.set(entry["id"], modelPrices);
  }
  return prices;
}

/** The /models list by id; the recording holds duplicate ids, the first one wins. */
function indexModels(models: unknown): Map<string, FakeModel> {
  const index = new Map<string, FakeModel>();
  const data = isRecord(models) && Array.isArray(models["data"]) ? models["data"] : [];
  for (const entry of data) {
    if (!isRecord(entry) || typeof entry["id"] !== "string" || index.has(entry["id"])) continue;
    const capabilities = isRecord(entry["capabilities"]) ? entry["capabilities"] : {};
    const endpoints = entry["supported_endpoints"];
    const limits = isRecord(capabilities["limits"]) ? capabilities["limits"] : {};
    const maxPromptTokens = limits["max_prompt_tokens"];
    index.set(entry["id"], {
      id: entry["id"],
      vendor: typeof entry["vendor"] === "string" ? entry["vendor"] : "OpenAI",
      type: typeof capabilities["type"] === "string" ? capabilities["type"] : "chat",
      supportedEndpoints: Array.isArray(endpoints)
        ? endpoints.filter((item): item is string => typeof item === "string")
        : undefined,
      maxPromptTokens: typeof maxPromptTokens === "number" ? maxPromptTokens : undefined,
    });
  }
  return index;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function skuOf(kind: AccountKind): string {
  switch (kind) {
    case "business":
      return "copilot_for_business_seat_quota";
    case "enterprise":
      return "copilot_enterprise_seat_quota";
    case "individual":
    case "no_seat":
    case "banned":
      return "copilot_individual";
    default: {
      const unhandled: never = kind;
      throw new Error(`unknown account kind ${String(unhandled)}`);
    }
  }
}

export interface IssuedCopilotToken {
  readonly token: string;
  readonly expiresAt: number;
}

export function issueCopilotToken(
  state: FakeState,
  githubToken: string,
  sku: string,
): IssuedCopilotToken {
  const expiresAt = Math.floor(state.now() / 1000) + state.tokenTtlSeconds;
  // Host name only: a port's ':' would be mistaken for the start of the signature.
  const proxyEndpoint = new URL(state.copilotUrl).hostname;
  const fields =
    `tid=${randomBytes(16).toString("hex")};ol=fake;exp=${expiresAt};sku=${sku};` +
    `proxy-ep=${proxyEndpoint};st=dotcom;chat=1;8kp=1`;
  const signature = createHmac("sha256", SIGNING_KEY).update(fields).digest("hex");
  const token = `${fields}:${signature}`;
  state.tokenSerial += 1;
  state.issuedTokens.set(token, {
    githubToken,
    expiresAtMs: expiresAt * 1000,
    serial: state.tokenSerial,
  });
  return { token, expiresAt };
}

export function checkCopilotToken(state: FakeState, token: string): CopilotTokenStatus {
  const issued = state.issuedTokens.get(token);
  if (issued === undefined) return "unknown";
  if (issued.serial <= state.revokedUpToSerial || issued.expiresAtMs <= state.now()) {
    return "expired";
  }
  return "valid";
}
