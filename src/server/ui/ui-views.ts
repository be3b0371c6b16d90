import type { ConfiguredKey } from "../../keys/configured-key-names.js";
import { formatCredits } from "../../keys/credit-amount.js";
import type { ManagedKey } from "../../keys/managed-key.js";
import type { LedgerEntry } from "../../ledger/ledger-entry.js";
import type { DailySpend, SpendTotal } from "../../ledger/sqlite-ledger.js";
import type { TokenPrice, TokenPrices } from "../../ledger/token-prices.js";
import type { CopilotModel } from "../../protocols/copilot.js";
import type {
  UiKey,
  UiKeySpend,
  UiModel,
  UiRequest,
  UiSpend,
  UiSpendGrouping,
} from "../../protocols/ui-api.js";

// The dashboard API's answers (their shapes: protocols/ui-api.ts), built from the ledger, keys
// and catalog.

/** A ledger entry as the requests table shows it: metadata only (no account fingerprint either). */
export function toUiRequest(entry: LedgerEntry): UiRequest {
  return {
    time: new Date(entry.time).toISOString(),
    requestId: entry.requestId,
    key: entry.keyName,
    modelAsked: entry.modelAsked ?? null,
    modelUsed: entry.modelUsed ?? null,
    endpoint: entry.endpoint ?? null,
    dialect: entry.dialect,
    status: entry.status,
    latencyMs: Math.round(entry.latencyMs),
    stream: entry.stream,
    complete: entry.complete,
    inputTokens: entry.inputTokens,
    cacheReadTokens: entry.cacheReadTokens,
    cacheWriteTokens: entry.cacheWriteTokens,
    outputTokens: entry.outputTokens,
    reasoningTokens: entry.reasoningTokens,
    nanoCredits: entry.nanoCredits,
    credits: formatCredits(entry.nanoCredits),
    creditsSource: entry.creditsSource,
    supportId: entry.supportId ?? null,
    fallbackFrom: entry.fallbackFrom ?? null,
  };
}

export function toKeySpend(todayNano: number, monthNano: number): UiKeySpend {
  return {
    today: formatCredits(todayNano),
    todayNano,
    month: formatCredits(monthNano),
    monthNano,
  };
}

const iso = (time: number | undefined) =>
  time === undefined ? null : new Date(time).toISOString();
const credits = (nano: number | undefined) => (nano === undefined ? null : formatCredits(nano));

export function toUiManagedKey(key: ManagedKey, spend: UiKeySpend, now: number): UiKey {
  return {
    name: key.name,
    id: key.id,
    source: "managed",
    fingerprint: null,
    account: key.account ?? null,
    createdAt: iso(key.createdAt),
    expiresAt: iso(key.expiresAt),
    revokedAt: iso(key.revokedAt),
    status:
      key.revokedAt !== undefined
        ? "revoked"
        : key.expiresAt !== undefined && key.expiresAt <= now
          ? "expired"
          : "active",
    limits: {
      creditsPerDay: credits(key.nanoCreditsPerDay),
      creditsPerMonth: credits(key.nanoCreditsPerMonth),
      requestsPerMinute: key.requestsPerMinute ?? null,
      concurrency: key.concurrency ?? null,
      models: key.models === undefined ? null : [...key.models],
      fallbackModel: key.fallbackModel ?? null,
    },
    spend,
  };
}

/** A key of the configuration: read-only, no limits, its secret shown only as a fingerprint. */
export function toUiConfiguredKey(key: ConfiguredKey, spend: UiKeySpend): UiKey {
  return {
    name: key.name,
    id: null,
    source: key.source,
    fingerprint: key.fingerprint,
    account: null,
    createdAt: null,
    expiresAt: null,
    revokedAt: null,
    status: "active",
    limits: {
      creditsPerDay: null,
      creditsPerMonth: null,
      requestsPerMinute: null,
      concurrency: null,
      models: null,
      fallbackModel: null,
    },
    spend,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The `count` UTC days ending with the one holding `now`, oldest first. */
export function lastDays(now: number, count: number): string[] {
  const today = Date.UTC(
    new Date(now).getUTCFullYear(),
    new Date(now).getUTCMonth(),
    new Date(now).getUTCDate(),
  );
  return Array.from({ length: count }, (_, index) =>
    new Date(today - (count - 1 - index) * DAY_MS).toISOString().slice(0, 10),
  );
}

/**
 * The spend chart (one series per name, a value for every day, zeros included) and the table
 * under it (each name's totals over the days, dearest first, then by name).
 */
export function buildSpend(
  by: UiSpendGrouping,
  days: string[],
  rows: readonly DailySpend[],
): UiSpend {
  const dayIndex = new Map(days.map((day, index) => [day, index]));
  const series = new Map<string, number[]>();
  const totals = new Map<string, SpendTotal>();
  for (const row of rows) {
    const index = dayIndex.get(row.day);
    if (index === undefined) continue;
    let values = series.get(row.name);
    if (values === undefined) {
      values = days.map(() => 0);
      series.set(row.name, values);
    }
    values[index] = (values[index] ?? 0) + row.nanoCredits;
    totals.set(row.name, addTotals(totals.get(row.name), row));
  }
  const sortedTotals = [...totals.values()].sort(
    (a, b) => b.nanoCredits - a.nanoCredits || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return {
    by,
    days,
    series: sortedTotals.map(({ name }) => {
      const values = series.get(name) ?? [];
      return { name, nanoCredits: values, credits: values.map(formatCredits) };
    }),
    totals: sortedTotals.map((total) => ({ ...total, credits: formatCredits(total.nanoCredits) })),
  };
}

function addTotals(total: SpendTotal | undefined, row: DailySpend): SpendTotal {
  return {
    name: row.name,
    requests: (total?.requests ?? 0) + row.requests,
    errors: (total?.errors ?? 0) + row.errors,
    inputTokens: (total?.inputTokens ?? 0) + row.inputTokens,
    cacheReadTokens: (total?.cacheReadTokens ?? 0) + row.cacheReadTokens,
    cacheWriteTokens: (total?.cacheWriteTokens ?? 0) + row.cacheWriteTokens,
    outputTokens: (total?.outputTokens ?? 0) + row.outputTokens,
    reasoningTokens: (total?.reasoningTokens ?? 0) + row.reasoningTokens,
    nanoCredits: (total?.nanoCredits ?? 0) + row.nanoCredits,
    // Sums of fractions (0.33 per turn) as SQLite adds them: rounded to what a person reads.
    premiumRequests: Math.round(((total?.premiumRequests ?? 0) + row.premiumRequests) * 1e6) / 1e6,
  };
}

/** `day,name,requests,nano_credits,credits`, one line per day and name that spent or asked. */
export function renderSpendCsv(rows: readonly DailySpend[]): string {
  const lines = ["day,name,requests,nano_credits,credits"];
  for (const row of rows) {
    lines.push(
      [
        row.day,
        csvField(row.name),
        row.requests,
        row.nanoCredits,
        formatCredits(row.nanoCredits),
      ].join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** RFC 4180 quoting; a leading = + - @ is prefixed so a spreadsheet never runs it as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Prices are given per this many tokens: a million, as model vendors quote them. */
const PRICE_PER_TOKENS = 1_000_000;

/**
 * One catalog entry for the models page. `learned` are the prices Copilot applied to an answer of
 * the model (the price book's), which win over the catalog's own (`billing.tokenPrices`).
 */
export function toUiModel(
  model: CopilotModel,
  learned: TokenPrices | undefined,
  catalog: TokenPrices | undefined,
): UiModel {
  const limits = (model.capabilities?.limits ?? {}) as Record<string, unknown>;
  const prices = learned ?? catalog;
  const policy = model.policy?.state;
  return {
    id: model.id,
    name: model.name ?? null,
    vendor: model.vendor ?? null,
    endpoints: (model.supported_endpoints ?? []).filter((endpoint) => !endpoint.startsWith("ws:")),
    contextWindow: positiveInteger(limits["max_context_window_tokens"]),
    maxOutputTokens: positiveInteger(limits["max_output_tokens"]),
    multiplier: model.billing?.multiplier ?? null,
    prices:
      prices === undefined
        ? null
        : {
            input: perTokens(prices.input),
            cacheRead: perTokens(prices.cache_read),
            cacheWrite: perTokens(prices.cache_write),
            output: perTokens(prices.output),
            per: PRICE_PER_TOKENS,
          },
    pricesSource: prices === undefined ? null : learned !== undefined ? "copilot" : "catalog",
    policy:
      policy === "enabled" || policy === "disabled" || policy === "unconfigured" ? policy : null,
  };
}

function perTokens(price: TokenPrice | undefined): number | null {
  if (price === undefined) return null;
  return Math.round((price.costPerBatch * PRICE_PER_TOKENS) / price.batchSize);
}

function positiveInteger(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : null;
}
