import type { GatewayError } from "../errors.js";

/** A prompt Copilot refused as longer than the model takes, with both counts when it said them. */
export interface PromptTooLong {
  readonly promptTokens: number | undefined;
  readonly limit: number | undefined;
}

const COUNTS = /prompt token count of (\d+) exceeds the limit of (\d+)/;

/**
 * Copilot refuses an over-long prompt with code `model_max_prompt_tokens_exceeded` and "prompt
 * token count of N exceeds the limit of M" (docs/upstream-protocol.md, 2026 changes). Agents
 * compact only on their own API's wording, so each dialect's error renderer rewrites it; this
 * reads the refusal once for both.
 */
export function readPromptTooLong(error: GatewayError): PromptTooLong | undefined {
  if (error.code !== "model_max_prompt_tokens_exceeded") return undefined;
  const match = COUNTS.exec(error.message);
  return {
    promptTokens: match?.[1] === undefined ? undefined : Number(match[1]),
    limit: match?.[2] === undefined ? undefined : Number(match[2]),
  };
}
