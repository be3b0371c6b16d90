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
 * The answer is filled in place (the caller's freshly parsed body): the same keys in the same
 * order as a copy would have, without the copy (on Node 20, adding keys to a spread copy costs
 * microseconds per key).
 */
export function normalizeChatCompletion(
  body: unknown,
  defaults: ChatCompletionDefaults,
): JsonObject {
  if (!isJsonObject(body)) {
    throw new UpstreamError(502, "Copilot answered with a chat completion that is not an object", {
      code: "upstream_malformed_response",
    });
  }
  const choices = body.choices;
  if (!Array.isArray(choices)) {
    throw new UpstreamError(
      502,
      "Copilot answered with a chat completion whose `choices` is not a list",
      { code: "upstream_malformed_response" },
    );
  }
  body.id = readNonEmptyString(body.id) ?? defaults.id ?? createChatCompletionId();
  body.object = "chat.completion";
  body.created = readPositiveNumber(body.created) ?? defaults.created;
  body.model = readNonEmptyString(body.model) ?? defaults.model;
  for (let position = 0; position < choices.length; position++) {
    choices[position] = normalizeChoice(choices[position], position);
  }
  body.choices = choices;
  if (isJsonObject(body.usage)) body.usage = fixUsageTotal(body.usage);
  return body;
}

function normalizeChoice(choice: unknown, position: number): JsonObject {
  if (!isJsonObject(choice)) {
    throw new UpstreamError(502, "Copilot answered with a choice that is not an object", {
      code: "upstream_malformed_response",
    });
  }
  choice.index = typeof choice.index === "number" ? choice.index : position;
  choice.message = normalizeMessage(choice.message);
  choice.finish_reason = choice.finish_reason ?? null;
  return choice;
}

function normalizeMessage(message: unknown): JsonObject {
  if (!isJsonObject(message)) return { role: "assistant", content: null };
  // `padding` is Copilot filler (random characters), meaningless to clients.
  if ("padding" in message) delete message.padding;
  message.role = readNonEmptyString(message.role) ?? "assistant";
  message.content = message.content ?? null;
  return message;
}
