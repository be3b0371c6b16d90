import { InvalidRequestError } from "../../errors.js";
import {
  openAIChatRequestDetailsSchema,
  type ChatRequestResponseFormat,
} from "../../protocols/openai/chat-request-details.js";
import type {
  OpenAIResponsesRequestBody,
  ResponsesTextFormatParam,
} from "../../protocols/openai/responses-wire.js";
import { convertChatMessagesToResponses } from "./convert-chat-messages-to-responses.js";
import { convertChatToolsToResponses } from "./convert-chat-tools-to-responses.js";

export interface ConvertChatRequestOptions {
  /** The Copilot model to call (already resolved from the name the client sent). */
  readonly model: string;
}

export interface ConvertedChatRequest {
  readonly body: OpenAIResponsesRequestBody;
  /** What could not be carried and was dropped, for the log. */
  readonly warnings: string[];
}

/*
 * Top-level fields handled below, or dropped on purpose without a warning: `stream_options`
 * (usage is asked of the stream translator instead), `store` (CoGPT always sends false),
 * `metadata` (tags a stored response) and `service_tier` (Copilot picks the tier).
 */
const HANDLED_FIELDS = new Set([
  "model",
  "messages",
  "n",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "response_format",
  "reasoning_effort",
  "verbosity",
  "user",
  "safety_identifier",
  "prompt_cache_key",
  "stream",
  "stream_options",
  "store",
  "metadata",
  "service_tier",
]);

// The Responses API refuses a smaller `max_output_tokens`.
const MIN_OUTPUT_TOKENS = 16;

/**
 * A Chat Completions request as the Responses body to send to Copilot, for models that Copilot
 * serves through `/responses` only (the GPT-5 codex family).
 * https://platform.openai.com/docs/guides/migrate-to-responses
 */
export function convertChatRequestToResponses(
  chatRequest: unknown,
  options: ConvertChatRequestOptions,
): ConvertedChatRequest {
  const parsed = openAIChatRequestDetailsSchema.safeParse(chatRequest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue === undefined ? "" : formatPath(issue.path);
    throw new InvalidRequestError(
      `Invalid request body: ${path === "" ? "" : `${path}: `}${issue?.message ?? "invalid value"}`,
      { code: "invalid_request_body", param: path === "" ? undefined : path },
    );
  }
  const request = parsed.data;
  const warnings: string[] = [];
  const { instructions, input } = convertChatMessagesToResponses(request.messages, warnings);
  const body: OpenAIResponsesRequestBody = { model: options.model, input, store: false };
  if (instructions !== undefined) body.instructions = instructions;

  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (typeof maxTokens === "number") {
    if (maxTokens < MIN_OUTPUT_TOKENS) {
      warnings.push(
        `a token limit of ${maxTokens} is below the Responses API's minimum; ${MIN_OUTPUT_TOKENS} was sent`,
      );
    }
    body.max_output_tokens = Math.max(maxTokens, MIN_OUTPUT_TOKENS);
  }
  if (typeof request.temperature === "number") body.temperature = request.temperature;
  if (typeof request.top_p === "number") body.top_p = request.top_p;
  Object.assign(body, convertChatToolsToResponses(request, warnings));
  if (typeof request.reasoning_effort === "string") {
    body.reasoning = { effort: request.reasoning_effort };
  }

  const format = convertResponseFormat(request.response_format, warnings);
  const verbosity = request.verbosity;
  if (format !== undefined || typeof verbosity === "string") {
    body.text = {};
    if (format !== undefined) body.text.format = format;
    if (typeof verbosity === "string") body.text.verbosity = verbosity;
  }
  if (typeof request.user === "string") body.user = request.user;
  if (typeof request.safety_identifier === "string") {
    body.safety_identifier = request.safety_identifier;
  }
  if (typeof request.prompt_cache_key === "string")
    body.prompt_cache_key = request.prompt_cache_key;
  if (request.stream === true) body.stream = true;

  if (typeof request.n === "number" && request.n > 1) {
    warnings.push(`n=${request.n} is not supported by the Responses API: one answer is given`);
  }
  const dropped = Object.entries(request)
    .filter(([key, value]) => !HANDLED_FIELDS.has(key) && !isDefaultValue(value))
    .map(([key]) => key);
  if (dropped.length > 0) {
    warnings.push(`fields not supported by the Responses API were dropped: ${dropped.join(", ")}`);
  }
  return { body, warnings };
}

function convertResponseFormat(
  format: ChatRequestResponseFormat | null | undefined,
  warnings: string[],
): ResponsesTextFormatParam | undefined {
  if (format === undefined || format === null) return undefined;
  switch (format.type) {
    case "text":
    case "json_object":
      return { type: format.type };
    case "json_schema": {
      const spec = format.json_schema;
      const converted: ResponsesTextFormatParam = {
        type: "json_schema",
        name: spec.name,
        schema: spec.schema ?? {},
      };
      if (typeof spec.description === "string") converted.description = spec.description;
      if (typeof spec.strict === "boolean") converted.strict = spec.strict;
      return converted;
    }
    case "unsupported":
      warnings.push(`response_format "${format.unsupportedType}" is not supported and was dropped`);
      return undefined;
    default: {
      const unhandled: never = format;
      return unhandled;
    }
  }
}

/** Fields set to what they default to (`stop: null`, `logprobs: false`, `presence_penalty: 0`) change nothing. */
function isDefaultValue(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === false ||
    value === 0 ||
    (Array.isArray(value) && value.length === 0)
  );
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}
