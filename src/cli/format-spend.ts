import { formatCredits } from "../keys/credit-amount.js";
import type { SpendTotal, SpendTotals } from "../ledger/sqlite-ledger.js";
import { formatUsageTime } from "./format-account-windows.js";
import { renderTable } from "./render-table.js";

/** The period the spend tables cover, epoch ms. */
export interface SpendPeriod {
  readonly since: number;
  readonly until: number;
  /** The period starts before the ledger's retention: it is counted in whole UTC days. */
  readonly fromDailyTotals: boolean;
}

const HEADINGS = [
  "Requests",
  "Errors",
  "Input",
  "Cache read",
  "Cache write",
  "Output",
  "Reasoning",
  "Credits",
  "Premium requests",
];

const COUNT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** The spend per key and per model over `period`, each table with a total row. */
export function formatSpend(totals: SpendTotals, period: SpendPeriod): string[] {
  const lines = [
    `Spend from ${formatUsageTime(period.since)} to ${formatUsageTime(period.until)}` +
      (period.fromDailyTotals
        ? " (before the ledger's retention, so in whole UTC days from its daily totals):"
        : ":"),
  ];
  if (totals.byKey.length === 0 && totals.byModel.length === 0) {
    return [...lines, "No requests recorded in this period."];
  }
  return [
    ...lines,
    "",
    ...formatSpendTable("Key", totals.byKey),
    "",
    ...formatSpendTable("Model", totals.byModel),
  ];
}

function formatSpendTable(heading: string, rows: readonly SpendTotal[]): string[] {
  const cells = [...rows, sumSpend("Total", rows)].map((total) => [
    total.name === "" ? "(none)" : total.name,
    COUNT.format(total.requests),
    COUNT.format(total.errors),
    COUNT.format(total.inputTokens),
    COUNT.format(total.cacheReadTokens),
    COUNT.format(total.cacheWriteTokens),
    COUNT.format(total.outputTokens),
    COUNT.format(total.reasoningTokens),
    formatCredits(total.nanoCredits),
    String(roundPremium(total.premiumRequests)),
  ]);
  return renderTable(alignNumbers([[heading, ...HEADINGS], ...cells]));
}

/** Right-aligns every column but the first, so digits line up. */
function alignNumbers(rows: readonly (readonly string[])[]): string[][] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  }
  return rows.map((row) =>
    row.map((cell, index) => (index === 0 ? cell : cell.padStart(widths[index] ?? 0))),
  );
}

/** The `--json` shape of one total: snake_case, credits exact as a decimal string and in nano. */
export function spendTotalToJson(total: SpendTotal): Record<string, unknown> {
  return {
    name: total.name,
    requests: total.requests,
    errors: total.errors,
    input_tokens: total.inputTokens,
    cache_read_tokens: total.cacheReadTokens,
    cache_write_tokens: total.cacheWriteTokens,
    output_tokens: total.outputTokens,
    reasoning_tokens: total.reasoningTokens,
    credits: formatCredits(total.nanoCredits),
    nano_credits: total.nanoCredits,
    premium_requests: roundPremium(total.premiumRequests),
  };
}

export function spendToJson(totals: SpendTotals, period: SpendPeriod): Record<string, unknown> {
  return {
    since: new Date(period.since).toISOString(),
    until: new Date(period.until).toISOString(),
    from_daily_totals: period.fromDailyTotals,
    by_key: totals.byKey.map(spendTotalToJson),
    by_model: totals.byModel.map(spendTotalToJson),
    total: spendTotalToJson(sumSpend("total", totals.byKey)),
  };
}

/** The sum of `rows` (nano-credits stay whole numbers). */
export function sumSpend(name: string, rows: readonly SpendTotal[]): SpendTotal {
  const sum = (field: keyof Omit<SpendTotal, "name">) =>
    rows.reduce((total, row) => total + Number(row[field] ?? 0), 0);
  return {
    name,
    requests: sum("requests"),
    errors: sum("errors"),
    inputTokens: sum("inputTokens"),
    cacheReadTokens: sum("cacheReadTokens"),
    cacheWriteTokens: sum("cacheWriteTokens"),
    outputTokens: sum("outputTokens"),
    reasoningTokens: sum("reasoningTokens"),
    nanoCredits: sum("nanoCredits"),
    premiumRequests: sum("premiumRequests"),
  };
}

/** Multipliers such as 0.33 add up with float noise; four decimals are more than Copilot uses. */
function roundPremium(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
