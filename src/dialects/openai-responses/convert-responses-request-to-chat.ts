import { createHash } from "node:crypto";
import type {
  OpenAIChatRequestBody,
  ChatMessageParam,
  ChatResponseFormatParam,
} from "../../protocols/openai/chat-wire.js";
import type {
  OpenAIResponsesRequest,
  ResponsesTextFormat,
} from "../../protocols/openai/responses-request.js";
import { chooseResponsesReasoningEffort } from "./choose-responses-reasoning-effort.js";
import { convertResponsesInputToChat } from "./convert-responses-input-to-chat.js";
import { convertResponsesToolsToChat } from "./convert-responses-tools-to-chat.js";

export interface ConvertResponsesRequestOptions {
  /** The Copilot model to call (already resolved from the name the client sent). */
  readonly model: string;
  /** What the model lists in `capabilities.supports.reasoning_effort`, if anything. */
  readonly reasoningEfforts?: readonly string[] | undefined;
  /** OpenAI-vendor reasoning models want `max_completion_tokens` instead of `max_tokens`. */
  readonly preferMaxCompletionTokens?: boolean | undefined;
}

export interface ConvertedResponsesRequest {
  readonly body: OpenAIChatRequestBody;
  /** What could not be carried and was dropped, for the log. */
  readonly warnings: string[];
}

/*
 * Top-level fields handled below, or dropped on purpose without a warning because nothing the
 * model sees depends on them:
 * - `store`, `previous_response_id`: the route refuses a request that needs stored state; a
 *   request that reaches this function has `store` false or absent and no previous response.
 * - `metadata`: tags a stored response; echoed in the Response object, not sent.
 * - `include`: asks for extra output (encrypted reasoning, logprobs) Chat Completions cannot give;
 *   Codex asks for encrypted reasoning on every request, so a warning would be noise.
 * - `service_tier`, `prompt_cache_key`, `prompt_cache_retention`, `stream_options`,
 *   `reasoning.summary`: hints about billing, caching and display.
 */
const HANDLED_FIELDS = new Set([
  "model",
  "input",
  "instructions",
  "max_output_tokens",
  "temperature",
  "top_p",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "reasoning",
  "text",
  "user",
  "safety_identifier",
  "truncation",
  "stream",
  "stream_options",
  "store",
  "previous_response_id",
  "metadata",
  "include",
  "service_tier",
  "prompt_cache_key",
  "prompt_cache_retention",
]);

/**
 * A Responses request as the Chat Completions body to send to Copilot, for models that Copilot
 * serves through `/chat/completions` only.
 * https://platform.openai.com/docs/api-reference/responses/create
 */
export function convertResponsesRequestToChat(
  request: OpenAIResponsesRequest,
  options: ConvertResponsesRequestOptions,
): ConvertedResponsesRequest {
  const warnings: string[] = [];
  const messages: ChatMessageParam[] = [];
  const instructions = request.instructions;
  if (typeof instructions === "string" && instructions !== "") {
    messages.push({ role: "system", content: instructions });
  }
  messages.push(...convertResponsesInputToChat(request.input, warnings));

  const body: OpenAIChatRequestBody = { model: options.model, messages };
  const maxTokens = request.max_output_tokens;
  if (typeof maxTokens === "number") {
    if (options.preferMaxCompletionTokens === true) body.max_completion_tokens = maxTokens;
    else body.max_tokens = maxTokens;
  }
  if (typeof request.temperature === "number") body.temperature = request.temperature;
  if (typeof request.top_p === "number") body.top_p = request.top_p;
  const user = request.safety_identifier ?? request.user;
  if (typeof user === "string" && user !== "") body.user = toChatUser(user);

  Object.assign(body, convertResponsesToolsToChat(request, warnings));

  const effort = chooseResponsesReasoningEffort(
    request.reasoning?.effort,
    options.model,
    options.reasoningEfforts,
    warnings,
  );
  if (effort !== undefined) body.reasoning_effort = effort;

  const format = request.text?.format;
  if (format !== undefined && format !== null) {
    const responseFormat = convertTextFormat(format, warnings);
    if (responseFormat !== undefined) body.response_format = responseFormat;
  }
  const verbosity = request.text?.verbosity;
  if (typeof verbosity === "string") {
    warnings.push(
      `text.verbosity "${verbosity}" is not supported by Chat Completions and was dropped`,
    );
  }
  if (request.truncation === "auto") {
    warnings.push('truncation "auto" is not supported: an input over the context window fails');
  }

  if (request.stream === true) {
    body.stream = true;
    // Without it Copilot's OpenAI-vendor models send no usage, and response.completed needs it.
    body.stream_options = { include_usage: true };
  }

  const dropped = Object.keys(request).filter((key) => !HANDLED_FIELDS.has(key));
  if (dropped.length > 0) {
    warnings.push(`fields not supported by Chat Completions were dropped: ${dropped.join(", ")}`);
  }
  return { body, warnings };
}

function convertTextFormat(
  format: ResponsesTextFormat,
  warnings: string[],
): ChatResponseFormatParam | undefined {
  switch (format.type) {
    case "text":
      return undefined;
    case "json_object":
      return { type: "json_object" };
    case "json_schema": {
      const jsonSchema: Extract<ChatResponseFormatParam, { type: "json_schema" }>["json_schema"] = {
        name: format.name,
        schema: format.schema,
      };
      if (typeof format.description === "string") jsonSchema.description = format.description;
      if (typeof format.strict === "boolean") jsonSchema.strict = format.strict;
      return { type: "json_schema", json_schema: jsonSchema };
    }
    case "unsupported":
      warnings.push(
        `text.format "${format.unsupportedType}" is not supported by Chat Completions and was dropped`,
      );
      return undefined;
    default: {
      const unhandled: never = format;
      return unhandled;
    }
  }
}

// OpenAI refuses a `user` longer than 64 characters: a longer id is sent as its SHA-256 (64 hex
// digits), which still tells users apart.
const MAX_USER_LENGTH = 64;

function toChatUser(user: string): string {
  if (user.length <= MAX_USER_LENGTH) return user;
  return createHash("sha256").update(user).digest("hex");
}
