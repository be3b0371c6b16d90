import { isJsonObject } from "../../translate/is-json-object.js";
import { readTokenCount } from "../../translate/read-token-count.js";
import type { AnswerUsage } from "../dialect.js";

/**
 * Usage of a message, or of the `message_delta` event near the end of a Messages stream, with
 * Copilot's `copilot_usage` beside `usage`. Copilot's `input_tokens` includes the cached ones
 * (docs/upstream-protocol.md, Billing).
 */
export function readMessagesUsage(answer: unknown): AnswerUsage | undefined {
  if (!isJsonObject(answer) || !isJsonObject(answer.usage)) return undefined;
  return {
    inputTokens: readTokenCount(answer, "usage", "input_tokens"),
    outputTokens: readTokenCount(answer, "usage", "output_tokens"),
    cacheReadTokens: readTokenCount(answer, "usage", "cache_read_input_tokens"),
    cacheWriteTokens: readTokenCount(answer, "usage", "cache_creation_input_tokens"),
    reasoningTokens: 0,
    copilotUsage: answer.copilot_usage,
  };
}
