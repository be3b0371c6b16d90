import { UpstreamError } from "../../errors.js";
import type { OpenAIResponsesRequest } from "../../protocols/openai/responses-request.js";
import type {
  ResponsesItemStatus,
  ResponsesOutputContent,
  ResponsesOutputItem,
  ResponsesResponse,
} from "../../protocols/openai/responses-response.js";
import { chatUpstreamCompletionSchema } from "../../protocols/openai/chat-wire.js";
import { firstNonEmpty, readReasoningText } from "../anthropic-messages/read-reasoning-text.js";
import { isJsonObject, readPositiveNumber } from "../../translate/is-json-object.js";
import { buildResponsesResponse } from "./build-responses-response.js";
import { mapChatFinishReasonToResponses } from "./map-chat-finish-reason-to-responses.js";
import { createResponseId, toResponsesItemId } from "./responses-ids.js";
import { toResponsesUsage } from "./to-responses-usage.js";
import { mapResponsesToolNames } from "./map-responses-tool-names.js";
import { toResponsesToolCallItem } from "./to-responses-tool-call-item.js";

export interface ChatCompletionToResponseOptions {
  /** The model name to report (the one the client asked for). */
  readonly model: string;
  /** The client's request, whose settings the Response echoes. */
  readonly request: OpenAIResponsesRequest;
  /** A fresh `resp_…` id if not given. */
  readonly responseId?: string | undefined;
}

/**
 * A non-streamed (normalised) Chat Completions answer as a Response: reasoning first as a
 * reasoning item with its text as the summary, then the message (text and refusal parts), then
 * one function_call item per tool call (a custom_tool_call for a custom tool, with the
 * namespace of a namespaced one). https://platform.openai.com/docs/api-reference/responses/object
 */
export function convertChatCompletionToResponse(
  completion: unknown,
  options: ChatCompletionToResponseOptions,
): ResponsesResponse {
  const parsed = chatUpstreamCompletionSchema.safeParse(completion);
  if (!parsed.success) throw malformedAnswerError(parsed.error.issues[0]?.message ?? "invalid");
  const choice = parsed.data.choices.find((candidate) => (candidate.index ?? 0) === 0);
  if (choice === undefined) throw malformedAnswerError("it has no choice");
  const outcome = mapChatFinishReasonToResponses(choice.finish_reason);
  if (outcome.status === "failed") {
    throw new UpstreamError(502, 'Copilot ended the answer with finish_reason "error"', {
      code: "upstream_finish_error",
    });
  }

  const id = options.responseId ?? createResponseId();
  const status: ResponsesItemStatus = outcome.status === "incomplete" ? "incomplete" : "completed";
  const message = choice.message;
  const output: ResponsesOutputItem[] = [];
  const reasoning = readReasoningText(message);
  if (reasoning !== "") {
    output.push({
      id: toResponsesItemId(id, "rs", output.length),
      type: "reasoning",
      summary: [{ type: "summary_text", text: reasoning }],
    });
  }
  const content: ResponsesOutputContent[] = [];
  const text = firstNonEmpty(message.content);
  if (text !== "") content.push({ type: "output_text", text, annotations: [], logprobs: [] });
  const refusal = firstNonEmpty(message.refusal);
  if (refusal !== "") content.push({ type: "refusal", refusal });
  if (content.length > 0) {
    output.push({
      id: toResponsesItemId(id, "msg", output.length),
      type: "message",
      status,
      role: "assistant",
      content,
    });
  }
  const toolNames = mapResponsesToolNames(options.request.tools);
  for (const call of message.tool_calls ?? []) {
    const chatName = call.function.name;
    output.push(
      toResponsesToolCallItem(
        {
          id: toResponsesItemId(id, "fc", output.length),
          status,
          callId: call.id,
          chatName,
          arguments: call.function.arguments ?? "",
        },
        toolNames.lookup(chatName),
      ),
    );
  }

  return buildResponsesResponse({
    id,
    createdAt: readPositiveNumber(isJsonObject(completion) ? completion.created : undefined) ?? 0,
    model: options.model,
    request: options.request,
    status: outcome.status,
    incompleteDetails: outcome.incomplete_details,
    output,
    usage: toResponsesUsage(parsed.data.usage),
  });
}

function malformedAnswerError(detail: string): UpstreamError {
  return new UpstreamError(
    502,
    `Copilot sent a chat completion that was not understood: ${detail}`,
    { code: "upstream_malformed_response" },
  );
}
