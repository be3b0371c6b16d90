import { isJsonObject } from "../../translate/is-json-object.js";
import { readTokenCount } from "../../translate/read-token-count.js";
import type { AnswerUsage } from "../dialect.js";

/**
 * Usage of a Response, or of the `response.completed` event that ends a Responses stream (which
 * carries Copilot's `copilot_usage` beside the `response`). `input_tokens` includes the cached.
 */
export function readResponsesUsage(answer: unknown): AnswerUsage | undefined {
  if (!isJsonObject(answer)) return undefined;
  // A stream's closing event (`response.completed`, `response.incomplete`) wraps the response.
  const response =
    typeof answer.type === "string" && answer.type.startsWith("response.")
      ? answer.response
      : answer;
  if (!isJsonObject(response) || !isJsonObject(response.usage)) return undefined;
  return {
    inputTokens: readTokenCount(response, "usage", "input_tokens"),
    outputTokens: readTokenCount(response, "usage", "output_tokens"),
    cacheReadTokens: readTokenCount(response, "usage", "input_tokens_details", "cached_tokens"),
    // Copilot names its cache writes beside the reads (recorded in 2026-07, gpt-5.6).
    cacheWriteTokens: readTokenCount(
      response,
      "usage",
      "input_tokens_details",
      "cache_write_tokens",
    ),
    reasoningTokens: readTokenCount(response, "usage", "output_tokens_details", "reasoning_tokens"),
    copilotUsage: answer.copilot_usage ?? response.copilot_usage,
  };
}
