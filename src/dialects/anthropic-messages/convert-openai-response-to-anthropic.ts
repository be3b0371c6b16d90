import { UpstreamError } from "../../errors.js";
import type {
  AnthropicContentBlock,
  AnthropicMessage,
} from "../../protocols/anthropic/messages-response.js";
import {
  mapOpenAIFinishReasonToAnthropic,
  stopReasonWithToolCalls,
} from "./map-openai-finish-reason-to-anthropic.js";
import { chatUpstreamCompletionSchema } from "../../protocols/openai/chat-wire.js";
import { parseToolInput } from "./parse-tool-input.js";
import { firstNonEmpty, readReasoningText } from "./read-reasoning-text.js";
import { toAnthropicMessageId } from "./to-anthropic-message-id.js";
import { toAnthropicUsage } from "./to-anthropic-usage.js";

/**
 * A non-streamed (normalised) Chat Completions answer as an Anthropic Message: reasoning first
 * as a thinking block, then the text, then one tool_use block per tool call.
 * https://docs.anthropic.com/en/api/messages
 */
export function convertOpenAIResponseToAnthropic(
  completion: unknown,
  options: { readonly model: string },
): AnthropicMessage {
  const parsed = chatUpstreamCompletionSchema.safeParse(completion);
  if (!parsed.success) throw malformedAnswerError(parsed.error.issues[0]?.message ?? "invalid");
  const choice = parsed.data.choices.find((candidate) => (candidate.index ?? 0) === 0);
  if (choice === undefined) throw malformedAnswerError("it has no choice");
  const stopReason = mapOpenAIFinishReasonToAnthropic(choice.finish_reason);
  if (stopReason === "error") {
    throw new UpstreamError(502, 'Copilot ended the answer with finish_reason "error"', {
      code: "upstream_finish_error",
    });
  }

  const message = choice.message;
  const content: AnthropicContentBlock[] = [];
  const reasoning = readReasoningText(message);
  if (reasoning !== "") {
    content.push({
      type: "thinking",
      thinking: reasoning,
      signature: message.reasoning_opaque ?? "",
    });
  }
  // A refusal comes as `refusal` instead of `content`; the client still needs to read it.
  const text = firstNonEmpty(message.content, message.refusal);
  if (text !== "") content.push({ type: "text", text });
  const toolCalls = message.tool_calls ?? [];
  for (const call of toolCalls) {
    content.push({
      type: "tool_use",
      id: call.id,
      name: call.function.name,
      input: parseToolInput(call.function.arguments),
    });
  }

  return {
    id: toAnthropicMessageId(parsed.data.id),
    type: "message",
    role: "assistant",
    model: options.model,
    content,
    stop_reason: stopReasonWithToolCalls(stopReason, toolCalls.length > 0),
    // Chat Completions does not say which stop sequence matched: its stop is an `end_turn`.
    stop_sequence: null,
    usage: toAnthropicUsage(parsed.data.usage),
  };
}

function malformedAnswerError(detail: string): UpstreamError {
  return new UpstreamError(
    502,
    `Copilot sent a chat completion that was not understood: ${detail}`,
    {
      code: "upstream_malformed_response",
    },
  );
}
