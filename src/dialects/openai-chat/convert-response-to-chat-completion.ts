import { UpstreamError } from "../../errors.js";
import type {
  ChatCompletion,
  ChatCompletionMessage,
  ChatCompletionToolCall,
} from "../../protocols/openai/chat-response.js";
import {
  responsesUpstreamResponseSchema,
  type ResponsesUpstreamOutputItem,
} from "../../protocols/openai/responses-wire.js";
import { createChatCompletionId } from "../../translate/create-chat-completion-id.js";
import { mapResponsesStatusToFinishReason } from "./map-responses-status-to-finish-reason.js";
import { toChatUsage } from "./to-chat-usage.js";

export interface ResponseToChatCompletionOptions {
  /** The model name to report: Copilot's Response may name an internal deployment. */
  readonly model: string;
  /** A fresh `chatcmpl-…` if not given: Copilot's Response ids are not chat completion ids. */
  readonly id?: string | undefined;
}

// Between two message items (a preamble, then the final answer), as between paragraphs.
const ITEM_SEPARATOR = "\n\n";

/**
 * A non-streamed Response from Copilot as a Chat Completions answer: the text of its message
 * items as `content`, refusals as `refusal`, reasoning summaries as `reasoning_content`, function
 * calls as `tool_calls`. https://platform.openai.com/docs/api-reference/chat/object
 */
export function convertResponseToChatCompletion(
  response: unknown,
  options: ResponseToChatCompletionOptions,
): ChatCompletion {
  const parsed = responsesUpstreamResponseSchema.safeParse(response);
  if (!parsed.success) {
    throw new UpstreamError(
      502,
      `Copilot sent a response that was not understood: ${parsed.error.issues[0]?.message ?? "invalid"}`,
      { code: "upstream_malformed_response" },
    );
  }
  const data = parsed.data;
  const output = data.output ?? [];
  const toolCalls = output.flatMap(toToolCall);
  const finishReason = mapResponsesStatusToFinishReason(
    data.status,
    data.incomplete_details?.reason,
    toolCalls.length > 0,
  );
  if (finishReason === "failed") {
    throw new UpstreamError(502, data.error?.message ?? `Copilot's response ${data.status ?? ""}`, {
      code: data.error?.code ?? "upstream_response_failed",
    });
  }

  const text = joinNonEmpty(
    output.map((item) => itemText(item, "output_text")),
    ITEM_SEPARATOR,
  );
  const refusal = joinNonEmpty(
    output.map((item) => itemText(item, "refusal")),
    ITEM_SEPARATOR,
  );
  const reasoning = joinNonEmpty(output.map(reasoningText), ITEM_SEPARATOR);
  const message: ChatCompletionMessage = {
    role: "assistant",
    content: text === "" ? null : text,
    refusal: refusal === "" ? null : refusal,
  };
  if (reasoning !== "") message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;

  return {
    id: options.id ?? createChatCompletionId(),
    object: "chat.completion",
    created: data.created_at ?? 0,
    model: options.model,
    choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
    usage: toChatUsage(data.usage),
  };
}

function toToolCall(item: ResponsesUpstreamOutputItem): ChatCompletionToolCall[] {
  if (item.type !== "function_call") return [];
  return [
    {
      id: item.call_id,
      type: "function",
      function: { name: item.name, arguments: item.arguments ?? "" },
    },
  ];
}

function itemText(item: ResponsesUpstreamOutputItem, kind: "output_text" | "refusal"): string {
  if (item.type !== "message") return "";
  let text = "";
  for (const part of item.content ?? []) {
    if (part.type === "output_text" && kind === "output_text") text += part.text;
    if (part.type === "refusal" && kind === "refusal") text += part.refusal;
  }
  return text;
}

/** The summary the model gave of its reasoning, else its raw reasoning text. */
function reasoningText(item: ResponsesUpstreamOutputItem): string {
  if (item.type !== "reasoning") return "";
  const summary = joinNonEmpty(
    (item.summary ?? []).map((part) => part.text),
    ITEM_SEPARATOR,
  );
  if (summary !== "") return summary;
  return joinNonEmpty(
    (item.content ?? []).map((part) => part.text),
    ITEM_SEPARATOR,
  );
}

function joinNonEmpty(texts: readonly string[], separator: string): string {
  return texts.filter((text) => text !== "").join(separator);
}
