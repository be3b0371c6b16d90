import type { ResponsesUsage } from "../../protocols/openai/responses-response.js";
import { isJsonObject } from "../../translate/is-json-object.js";

/**
 * Chat Completions usage as the Responses API's: prompt → input and completion → output tokens,
 * with the cached and reasoning counts kept. Without usage every count is 0.
 */
export function toResponsesUsage(usage: unknown): ResponsesUsage {
  const fields = isJsonObject(usage) ? usage : {};
  const input = readCount(fields.prompt_tokens);
  const output = readCount(fields.completion_tokens);
  const total = readCount(fields.total_tokens);
  const promptDetails = isJsonObject(fields.prompt_tokens_details)
    ? fields.prompt_tokens_details
    : {};
  const completionDetails = isJsonObject(fields.completion_tokens_details)
    ? fields.completion_tokens_details
    : {};
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: readCount(promptDetails.cached_tokens) },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: readCount(completionDetails.reasoning_tokens) },
    // Copilot's Claude answers may say 0 beside real counts.
    total_tokens: total > 0 ? total : input + output,
  };
}

function readCount(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}
