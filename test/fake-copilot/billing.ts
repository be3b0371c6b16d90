import { countWords } from "./chat-answer.js";
import type {
  FakeCacheTokens,
  FakeTokenPrices,
  ScriptedAnswer,
  ScriptedRoute,
} from "./fake-copilot-types.js";
import type { FakeState } from "./fake-state.js";
import { isRecord } from "./fake-state.js";

/** Copilot prices per batch of this many tokens. */
export const PRICE_BATCH_SIZE = 1_000_000;

// A multiplier-1 model's prices in nano-AIU per 1M tokens: Claude Sonnet's list prices in credits.
const BASE_PRICES: FakeTokenPrices = {
  input: 300_000_000_000,
  cacheRead: 30_000_000_000,
  cacheWrite: 375_000_000_000,
  output: 1_500_000_000_000,
};
// Models without a multiplier (included models) still cost credits under token billing.
const FREE_MODEL_FACTOR = 0.1;

const TOKEN_TYPES = [
  ["input", "input"],
  ["cache_read", "cacheRead"],
  ["cache_write", "cacheWrite"],
  ["output", "output"],
] as const satisfies readonly (readonly [string, keyof FakeTokenPrices])[];

/** The prices of a model with this `billing.multiplier`, when no table gives them. */
export function defaultTokenPrices(multiplier: number | undefined): FakeTokenPrices {
  const factor = multiplier === undefined ? 1 : multiplier > 0 ? multiplier : FREE_MODEL_FACTOR;
  return {
    input: Math.round(BASE_PRICES.input * factor),
    cacheRead: Math.round(BASE_PRICES.cacheRead * factor),
    cacheWrite: Math.round(BASE_PRICES.cacheWrite * factor),
    output: Math.round(BASE_PRICES.output * factor),
  };
}

/** Prices as the model list carries them (`billing.tokenPrices`, token_details minus counts). */
export function tokenPricesWire(prices: FakeTokenPrices): Record<string, unknown>[] {
  return TOKEN_TYPES.map(([tokenType, key]) => ({
    batch_size: PRICE_BATCH_SIZE,
    cost_per_batch: prices[key],
    token_type: tokenType,
  }));
}

/** Reads `billing.tokenPrices` back (per-1M prices); undefined unless all four are usable. */
export function readTokenPricesWire(value: unknown): FakeTokenPrices | undefined {
  if (!Array.isArray(value)) return undefined;
  const prices: Partial<FakeTokenPrices> = {};
  for (const entry of value.filter(isRecord)) {
    const pair = TOKEN_TYPES.find(([tokenType]) => tokenType === entry["token_type"]);
    const cost = entry["cost_per_batch"];
    const batch = entry["batch_size"];
    if (pair === undefined || typeof cost !== "number" || typeof batch !== "number" || batch <= 0)
      continue;
    prices[pair[1]] = Math.round((cost * PRICE_BATCH_SIZE) / batch);
  }
  const { input, cacheRead, cacheWrite, output } = prices;
  if (input === undefined || cacheRead === undefined || cacheWrite === undefined) return undefined;
  if (output === undefined) return undefined;
  return { input, cacheRead, cacheWrite, output };
}

/** Tokens of one answer as Copilot bills them: `input` is the fresh part of the prompt. */
export interface BilledTokens {
  readonly input: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  readonly output: number;
}

export interface CopilotUsage {
  token_details: {
    batch_size: number;
    cost_per_batch: number;
    token_count: number;
    token_type: string;
  }[];
  total_nano_aiu: number;
}

/** Σ token_count × cost_per_batch / batch_size, exact in BigInt, rounded half up at the end. */
export function totalNanoAiu(tokens: BilledTokens, prices: FakeTokenPrices): number {
  const batch = BigInt(PRICE_BATCH_SIZE);
  let sum = 0n;
  for (const [, key] of TOKEN_TYPES) sum += BigInt(tokens[key]) * BigInt(prices[key]);
  return Number((sum + batch / 2n) / batch);
}

/** `copilot_usage` with the key order of the recordings. */
export function copilotUsageOf(tokens: BilledTokens, prices: FakeTokenPrices): CopilotUsage {
  return {
    token_details: TOKEN_TYPES.map(([tokenType, key]) => ({
      batch_size: PRICE_BATCH_SIZE,
      cost_per_batch: prices[key],
      token_count: tokens[key],
      token_type: tokenType,
    })),
    total_nano_aiu: totalNanoAiu(tokens, prices),
  };
}

/** A route's answer waiting to be billed when it is written (fake-copilot.ts commits it). */
export interface PendingBill {
  readonly model: string;
  readonly endpoint: ScriptedRoute;
  readonly stream: boolean;
  readonly tokens: BilledTokens;
  readonly prices: FakeTokenPrices;
  /** Set by fake-copilot.ts from the request's Copilot token. */
  readonly account?: string;
}

/** What a route needs to render usage and bill one answer. */
export interface AnswerBilling {
  readonly tokens: BilledTokens;
  /** prompt_tokens / input_tokens as Copilot reports them: fresh + cache read + cache write. */
  readonly promptTokens: number;
  /** Undefined when the omitCopilotUsage option leaves it out for this model. */
  readonly copilotUsage: CopilotUsage | undefined;
  readonly bill: PendingBill;
}

export interface PlanBillingInput {
  model: string;
  endpoint: ScriptedRoute;
  stream: boolean;
  /** The fake's own prompt count (one token per word): the fresh input. */
  freshInputTokens: number;
  outputTokens: number;
  scripted: ScriptedAnswer | undefined;
}

export function planBilling(state: FakeState, input: PlanBillingInput): AnswerBilling {
  const cache: FakeCacheTokens = input.scripted?.cache ?? state.cacheTokens ?? {};
  const tokens: BilledTokens = {
    input: input.freshInputTokens,
    cacheRead: cache.readTokens ?? 0,
    cacheWrite: cache.writeTokens ?? 0,
    output: input.outputTokens,
  };
  const prices = state.prices.get(input.model) ?? defaultTokenPrices(undefined);
  const omitted =
    state.omitCopilotUsage === true ||
    (Array.isArray(state.omitCopilotUsage) && state.omitCopilotUsage.includes(input.model));
  return {
    tokens,
    promptTokens: tokens.input + tokens.cacheRead + tokens.cacheWrite,
    copilotUsage: omitted ? undefined : copilotUsageOf(tokens, prices),
    bill: {
      model: input.model,
      endpoint: input.endpoint,
      stream: input.stream,
      tokens,
      prices,
    },
  };
}

/**
 * The output tokens a client has received after the first `eventsWritten` SSE events of an
 * answer: the words of the text, thinking and argument deltas written so far, per output item.
 */
export function outputTokensWritten(
  endpoint: ScriptedRoute,
  events: readonly string[],
  eventsWritten: number,
): number {
  const written = new Map<string, string>();
  let chatToolKey = "";
  const add = (key: string, text: unknown): void => {
    if (typeof text === "string") written.set(key, (written.get(key) ?? "") + text);
  };
  for (const event of events.slice(0, eventsWritten)) {
    const payload = parseEventData(event);
    if (payload === undefined) continue;
    switch (endpoint) {
      case "/chat/completions":
        for (const choice of Array.isArray(payload["choices"]) ? payload["choices"] : []) {
          if (!isRecord(choice) || !isRecord(choice["delta"])) continue;
          const index = String(choice["index"]);
          add(`content ${index}`, choice["delta"]["content"]);
          const calls = choice["delta"]["tool_calls"];
          for (const call of Array.isArray(calls) ? calls.filter(isRecord) : []) {
            // Claude gives parallel calls the same index: a new id starts a new call.
            if (typeof call["id"] === "string") chatToolKey = `tool ${index} ${call["id"]}`;
            if (isRecord(call["function"])) add(chatToolKey, call["function"]["arguments"]);
          }
        }
        break;
      case "/responses":
        if (
          payload["type"] === "response.output_text.delta" ||
          payload["type"] === "response.function_call_arguments.delta"
        ) {
          add(String(payload["output_index"]), payload["delta"]);
        }
        break;
      case "/v1/messages": {
        const delta = payload["delta"];
        if (payload["type"] !== "content_block_delta" || !isRecord(delta)) break;
        const key = String(payload["index"]);
        add(key, delta["text"] ?? delta["thinking"] ?? delta["partial_json"]);
        break;
      }
      default: {
        const unhandled: never = endpoint;
        throw new Error(`unknown endpoint ${String(unhandled)}`);
      }
    }
  }
  let total = 0;
  for (const text of written.values()) total += countWords(text);
  return total;
}

function parseEventData(event: string): Record<string, unknown> | undefined {
  const line = event.split("\n").find((candidate) => candidate.startsWith("data: "));
  if (line === undefined || line === "data: [DONE]") return undefined;
  try {
    const value: unknown = JSON.parse(line.slice("data: ".length));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
