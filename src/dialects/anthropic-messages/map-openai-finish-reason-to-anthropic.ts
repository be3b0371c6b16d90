import type { AnthropicStopReason } from "../../protocols/anthropic/messages-response.js";

/**
 * A Chat Completions `finish_reason` as an Anthropic `stop_reason`.
 * `"error"` (some Copilot models end a failed answer with HTTP 200 and this reason) has no
 * stop reason: the answer is incomplete, and the caller must report an error instead.
 * A reason this code does not know yet means the model stopped on its own: `end_turn`.
 */
export function mapOpenAIFinishReasonToAnthropic(
  finishReason: string | null | undefined,
): AnthropicStopReason | "error" {
  if (finishReason === null || finishReason === undefined) return "end_turn";
  switch (finishReason) {
    case "stop":
      return "end_turn";
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "refusal";
    case "error":
      return "error";
    default:
      return "end_turn";
  }
}

/**
 * Some models answer tool calls with `finish_reason: "stop"`; Anthropic clients run tools only
 * on `tool_use`, so a message holding tool calls that simply ended is a `tool_use` stop.
 */
export function stopReasonWithToolCalls(
  stopReason: AnthropicStopReason,
  hasToolCalls: boolean,
): AnthropicStopReason {
  return hasToolCalls && stopReason === "end_turn" ? "tool_use" : stopReason;
}
