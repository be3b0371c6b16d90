import type { ResponsesResponse } from "../../protocols/openai/responses-response.js";

export type ResponsesOutcome =
  | { status: "completed"; incomplete_details: null }
  | {
      status: "incomplete";
      incomplete_details: NonNullable<ResponsesResponse["incomplete_details"]>;
    }
  | { status: "failed" };

/**
 * A Chat Completions `finish_reason` as the status of a Response. `length` and `content_filter`
 * leave it incomplete, as OpenAI reports a Response cut by `max_output_tokens` or a filter;
 * `"error"` (some Copilot models end a failed answer with HTTP 200 and this reason) fails it.
 * A reason this code does not know yet means the model stopped on its own.
 */
export function mapChatFinishReasonToResponses(
  finishReason: string | null | undefined,
): ResponsesOutcome {
  if (finishReason === null || finishReason === undefined) {
    return { status: "completed", incomplete_details: null };
  }
  switch (finishReason) {
    case "length":
      return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
    case "content_filter":
      return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
    case "error":
      return { status: "failed" };
    default:
      return { status: "completed", incomplete_details: null };
  }
}
