import { UpstreamError } from "../errors.js";
import { createChatCompletionId } from "./create-chat-completion-id.js";
import { fixUsageTotal } from "./fix-usage-total.js";
import {
  isJsonObject,
  readNonEmptyString,
  readPositiveNumber,
  type JsonObject,
} from "./is-json-object.js";

export interface ChatCompletionDefaults {
  /** The model the client asked for, used when the answer names none. */
  model: string;
  /** Unix seconds, used when the answer has no `created`. */
  created: number;
  /** Used when the answer has no id; a fresh `chatcmpl-…` if not given. */
  id?: string | undefined;
}

/**
 * Makes a non-streamed Copilot `/chat/completions` answer look like OpenAI's: Copilot omits
 * `object` and `created`, Claude's choice has no `index` and may have no `content`, and
 * messages carry a `padding` filler. Everything else (content filter results…) passes through.
 */
export function normalizeChatCompletion(body: unknown, defaults: ChatCompletionDefaults): unknown {
  if (!isJsonObject(body)) {
    throw new UpstreamError(502, "Copilot answered with a chat completion that is not an object", {
      code: "upstream_malformed_response",
    });
  }
  const choices = Array.isArray(body.choices) ? body.choices : [];
  const normalized: JsonObject = {
    ...body,
    id: readNonEmptyString(body.id) ?? defaults.id ?? createChatCompletionId(),
    object: "chat.completion",
    created: readPositiveNumber(body.created) ?? defaults.created,
    model: readNonEmptyString(body.model) ?? defaults.model,
    choices: choices.map(normalizeChoice),
  };
  if (isJsonObject(body.usage)) normalized.usage = fixUsageTotal(body.usage);
  return normalized;
}

function normalizeChoice(choice: unknown, position: number): JsonObject {
  if (!isJsonObject(choice)) {
    throw new UpstreamError(502, "Copilot answered with a choice that is not an object", {
      code: "upstream_malformed_response",
    });
  }
  return {
    ...choice,
    index: typeof choice.index === "number" ? choice.index : position,
    message: normalizeMessage(choice.message),
    finish_reason: choice.finish_reason ?? null,
  };
}

function normalizeMessage(message: unknown): JsonObject {
  if (!isJsonObject(message)) return { role: "assistant", content: null };
  // `padding` is Copilot filler (random characters), meaningless to clients.
  const { padding: _padding, ...rest } = message;
  return {
    ...rest,
    role: readNonEmptyString(rest.role) ?? "assistant",
    content: rest.content ?? null,
  };
}
