import { isJsonObject } from "../../translate/is-json-object.js";
import { readTokenCount } from "../../translate/read-token-count.js";
import type { AnswerUsage } from "../dialect.js";

/**
 * Usage of a chat completion (or of the last chunk of a chat stream): OpenAI's `usage`, and
 * Copilot's `copilot_usage` beside it. `prompt_tokens` includes the cached ones.
 */
export function readChatUsage(answer: unknown): AnswerUsage | undefined {
  if (!isJsonObject(answer) || !isJsonObject(answer.usage)) return undefined;
  return {
    inputTokens: readTokenCount(answer, "usage", "prompt_tokens"),
    outputTokens: readTokenCount(answer, "usage", "completion_tokens"),
    cacheReadTokens: readTokenCount(answer, "usage", "prompt_tokens_details", "cached_tokens"),
    cacheWriteTokens: 0,
    reasoningTokens: readTokenCount(
      answer,
      "usage",
      "completion_tokens_details",
      "reasoning_tokens",
    ),
    copilotUsage: answer.copilot_usage,
  };
}
