import type { ChatFinishReason } from "../../protocols/openai/chat-response.js";

/**
 * The status of a finished Response as a Chat Completions `finish_reason`. A Response cut by
 * `max_output_tokens` is `length`, one stopped by a filter `content_filter`; a completed one that
 * calls tools is `tool_calls`. A failed or cancelled Response has no finish reason: the caller
 * must report an error instead.
 */
export function mapResponsesStatusToFinishReason(
  status: string | undefined,
  incompleteReason: string | null | undefined,
  hasToolCalls: boolean,
): ChatFinishReason | "failed" {
  const finished = hasToolCalls ? "tool_calls" : "stop";
  if (status === undefined) return finished;
  switch (status) {
    case "incomplete":
      return incompleteReason === "content_filter" ? "content_filter" : "length";
    case "failed":
    case "cancelled":
      return "failed";
    default:
      return finished;
  }
}
