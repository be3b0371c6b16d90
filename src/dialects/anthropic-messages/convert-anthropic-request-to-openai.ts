import { createHash } from "node:crypto";
import type { AnthropicMessagesRequest } from "../../protocols/anthropic/messages-request.js";
import { chooseReasoningEffort } from "./choose-reasoning-effort.js";
import { convertAnthropicMessagesToOpenAI } from "./convert-anthropic-messages-to-openai.js";
import { convertAnthropicSystemToOpenAI } from "./convert-anthropic-system-to-openai.js";
import { convertAnthropicToolsToOpenAI } from "./convert-anthropic-tools-to-openai.js";
import type { ChatMessageParam, OpenAIChatRequestBody } from "../../protocols/openai/chat-wire.js";

export interface ConvertAnthropicRequestOptions {
  /** The Copilot model to call (already resolved from the name the client sent). */
  readonly model: string;
  /** What the model lists in `capabilities.supports.reasoning_effort`, if anything. */
  readonly reasoningEfforts?: readonly string[] | undefined;
  /** OpenAI-vendor reasoning models want `max_completion_tokens` instead of `max_tokens`. */
  readonly preferMaxCompletionTokens?: boolean | undefined;
}

export interface ConvertedAnthropicRequest {
  readonly body: OpenAIChatRequestBody;
  /** What could not be carried and was dropped, for the log. */
  readonly warnings: string[];
}

// Top-level fields handled below. `cache_control` is a caching hint: Chat Completions has no
// counterpart and nothing the model sees is lost, so it is dropped without a warning.
const HANDLED_FIELDS = new Set([
  "model",
  "messages",
  "max_tokens",
  "system",
  "stop_sequences",
  "stream",
  "temperature",
  "top_p",
  "top_k",
  "metadata",
  "tools",
  "tool_choice",
  "thinking",
  "output_config",
  "cache_control",
]);

/**
 * An Anthropic Messages request as the Chat Completions body to send to Copilot, for models
 * that Copilot serves through `/chat/completions` only. https://docs.anthropic.com/en/api/messages
 */
export function convertAnthropicRequestToOpenAI(
  request: AnthropicMessagesRequest,
  options: ConvertAnthropicRequestOptions,
): ConvertedAnthropicRequest {
  const warnings: string[] = [];
  const messages: ChatMessageParam[] = [];
  const system = convertAnthropicSystemToOpenAI(request.system);
  if (system !== undefined) messages.push({ role: "system", content: system });
  messages.push(...convertAnthropicMessagesToOpenAI(request.messages, warnings));

  const body: OpenAIChatRequestBody = { model: options.model, messages };
  if (options.preferMaxCompletionTokens === true) body.max_completion_tokens = request.max_tokens;
  else body.max_tokens = request.max_tokens;
  if (request.stop_sequences !== undefined && request.stop_sequences.length > 0) {
    body.stop = request.stop_sequences;
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.top_p !== undefined) body.top_p = request.top_p;
  if (request.top_k !== undefined) {
    warnings.push("top_k is not supported by Chat Completions and was dropped");
  }
  const user = request.metadata?.user_id;
  if (typeof user === "string" && user !== "") body.user = toOpenAIUser(user);

  Object.assign(body, convertAnthropicToolsToOpenAI(request.tools, request.tool_choice, warnings));

  const effort = chooseReasoningEffort(request, options.model, options.reasoningEfforts, warnings);
  if (effort !== undefined) body.reasoning_effort = effort;

  const format = request.output_config?.format;
  if (format !== undefined && format !== null) {
    body.response_format = {
      type: "json_schema",
      json_schema: { name: "output", schema: format.schema },
    };
  }

  if (request.stream === true) {
    body.stream = true;
    // Without it Copilot's OpenAI-vendor models send no usage, and message_delta needs it.
    body.stream_options = { include_usage: true };
  }

  const dropped = Object.keys(request).filter((key) => !HANDLED_FIELDS.has(key));
  if (dropped.length > 0) {
    warnings.push(`fields not supported by Chat Completions were dropped: ${dropped.join(", ")}`);
  }
  return { body, warnings };
}

// OpenAI refuses a `user` longer than 64 characters, and Claude Code's `user_id` is longer:
// such an id is sent as its SHA-256 (64 hex digits), which still tells users apart.
const MAX_USER_LENGTH = 64;

function toOpenAIUser(userId: string): string {
  if (userId.length <= MAX_USER_LENGTH) return userId;
  return createHash("sha256").update(userId).digest("hex");
}
