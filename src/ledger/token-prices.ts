import type { CopilotModel } from "../protocols/copilot.js";

/** The token kinds Copilot prices (docs/upstream-protocol.md, Billing). */
export type TokenKind = "input" | "cache_read" | "cache_write" | "output";

export const TOKEN_KINDS: readonly TokenKind[] = ["input", "cache_read", "cache_write", "output"];

/** A price: `costPerBatch` nano-credits for every `batchSize` tokens. */
export interface TokenPrice {
  readonly costPerBatch: number;
  readonly batchSize: number;
}

/** A model's prices per token kind; a kind missing is unknown (not free). */
export type TokenPrices = Partial<Readonly<Record<TokenKind, TokenPrice>>>;

/** Token counts of one answer, split as Copilot bills them: `input` is the fresh input only. */
export type TokenCounts = Readonly<Record<TokenKind, number>>;

/** A price as Copilot writes it, in `copilot_usage.token_details` and in the model list. */
interface WirePrice {
  readonly cost_per_batch: number;
  readonly batch_size: number;
}

/** One entry of `copilot_usage.token_details`: a price, its kind and (there) the tokens billed. */
interface TokenDetail extends WirePrice {
  readonly token_type: string;
  readonly token_count?: number;
}

export interface CopilotUsage {
  readonly totalNanoCredits: number;
  /** The prices Copilot applied, per token kind. */
  readonly prices: TokenPrices;
  /**
   * The tokens Copilot billed, per kind (`token_count`; a kind not listed was not billed), when
   * its details give counts: the only place that tells the fresh input apart from cache writes.
   */
  readonly tokens: TokenCounts | undefined;
}

/**
 * `copilot_usage` read defensively: undefined when absent or of another shape (a total that is
 * not a whole, non-negative number, details that are not a list, a detail that is not a price).
 * Checked by hand rather than with a zod schema (as the model list's prices are, with the same
 * checks): it is read on every answer, and the schema's parse, which copies the object and its
 * list, cost about 4 µs of a request's ~180 µs of gateway CPU in the benchmark.
 */
export function readCopilotUsage(value: unknown): CopilotUsage | undefined {
  if (!isObject(value)) return undefined;
  const total = value["total_nano_aiu"];
  if (!isWholeNumber(total)) return undefined;
  const details = value["token_details"] ?? [];
  if (!Array.isArray(details) || !details.every(isTokenDetail)) return undefined;
  return {
    totalNanoCredits: total,
    prices: readPriceList(details),
    tokens: readTokenCounts(details),
  };
}

function isTokenDetail(value: unknown): value is TokenDetail {
  if (!isWirePrice(value)) return false;
  const count = value["token_count"];
  return typeof value["token_type"] === "string" && (count === undefined || isWholeNumber(count));
}

function isWirePrice(value: unknown): value is WirePrice & Record<string, unknown> {
  if (!isObject(value)) return false;
  const cost = value["cost_per_batch"];
  const batch = value["batch_size"];
  return typeof cost === "number" && cost >= 0 && typeof batch === "number" && batch > 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isWholeNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * The prices a model entry of `/models` carries, if any: `billing.tokenPrices` (the name in the
 * Copilot SDK's types; the wire name is unverified, so both spellings and both shapes, a list
 * like `copilot_usage.token_details` or an object keyed by token kind, are read, and anything
 * else is ignored rather than guessed at).
 */
export function readModelPrices(model: CopilotModel): TokenPrices | undefined {
  const billing = model.billing as Record<string, unknown> | undefined;
  const raw = billing?.["tokenPrices"] ?? billing?.["token_prices"];
  if (Array.isArray(raw)) {
    return raw.every(isTokenDetail) ? nonEmpty(readPriceList(raw)) : undefined;
  }
  if (!isObject(raw)) return undefined;
  const prices: Partial<Record<TokenKind, TokenPrice>> = {};
  for (const kind of TOKEN_KINDS) {
    const entry = raw[kind];
    if (isWirePrice(entry)) {
      prices[kind] = { costPerBatch: entry.cost_per_batch, batchSize: entry.batch_size };
    }
  }
  return nonEmpty(prices);
}

/**
 * What `tokens` cost at `prices`, in nano-credits, or undefined when a kind that was used has no
 * known price. Each kind is rounded down to whole nano-credits, as Copilot's own totals are.
 */
export function priceTokens(tokens: TokenCounts, prices: TokenPrices): number | undefined {
  let total = 0;
  for (const kind of TOKEN_KINDS) {
    const count = tokens[kind];
    if (count === 0) continue;
    const price = prices[kind];
    if (price === undefined) return undefined;
    total += Math.floor((count * price.costPerBatch) / price.batchSize);
  }
  return total;
}

function readPriceList(details: readonly TokenDetail[]): TokenPrices {
  const prices: Partial<Record<TokenKind, TokenPrice>> = {};
  for (const detail of details) {
    if (isTokenKind(detail.token_type)) {
      prices[detail.token_type] = {
        costPerBatch: detail.cost_per_batch,
        batchSize: detail.batch_size,
      };
    }
  }
  return prices;
}

function readTokenCounts(details: readonly TokenDetail[]): TokenCounts | undefined {
  const counts: Record<TokenKind, number> = { input: 0, cache_read: 0, cache_write: 0, output: 0 };
  let counted = false;
  for (const detail of details) {
    if (isTokenKind(detail.token_type) && detail.token_count !== undefined) {
      counts[detail.token_type] = detail.token_count;
      counted = true;
    }
  }
  return counted ? counts : undefined;
}

function isTokenKind(value: string): value is TokenKind {
  return (TOKEN_KINDS as readonly string[]).includes(value);
}

function nonEmpty(prices: TokenPrices): TokenPrices | undefined {
  return Object.keys(prices).length === 0 ? undefined : prices;
}
