import { UpstreamError } from "../errors.js";
import { createChatCompletionId } from "./create-chat-completion-id.js";
import { createToolCallIndexer } from "./create-tool-call-indexer.js";
import { fixUsageTotal } from "./fix-usage-total.js";
import {
  isJsonObject,
  readNonEmptyString,
  readPositiveNumber,
  type JsonObject,
} from "./is-json-object.js";

export interface ChatChunkDefaults {
  /** The model the client asked for, used until a chunk names one. */
  model: string;
  /** Unix seconds, used until a chunk carries a non-zero `created`. */
  created: number;
  /** Used when the first chunk sent carries no id; a fresh `chatcmpl-…` if not given. */
  id?: string | undefined;
}

/**
 * Takes one SSE `data` payload (not `[DONE]`), with its JSON when the caller has parsed it
 * already (a stream event's, readEventJson); returns the payload to send, or undefined to drop it.
 */
export type ChatChunkNormalizer = (data: string, parsed?: unknown) => string | undefined;

interface ChoiceState {
  readonly indexToolCalls: (toolCalls: readonly unknown[]) => unknown[];
  hasSentRole: boolean;
}

/**
 * Makes Copilot's `/chat/completions` stream chunks look like OpenAI's, for one stream.
 * Copilot omits `object`, `model` or `created`, leads OpenAI-vendor streams with an empty-choices
 * content-filter chunk, repeats `role` on every Claude delta and gives Claude's parallel tool
 * calls one shared index. Unknown fields (content filter results, annotations) pass through.
 * Each chunk is parsed, filled in and written again with JSON.stringify: the keys it has keep
 * their order, the missing ones follow them.
 */
export function createChatChunkNormalizer(defaults: ChatChunkDefaults): ChatChunkNormalizer {
  const normalize = createChatChunkObjectNormalizer(defaults);
  return (data, parsed) => {
    const chunk = normalize(data, parsed);
    if (chunk === undefined) return undefined;
    // The openai SDK turns a data payload with `error` into an APIError: keep it intact.
    return hasError(chunk) ? data : JSON.stringify(chunk);
  };
}

/**
 * The same normalisation, giving the chunk as an object, for translators that read it rather
 * than relay it. A chunk carrying `error` is returned as it came.
 */
export function createChatChunkObjectNormalizer(
  defaults: ChatChunkDefaults,
): (data: string, parsed?: unknown) => JsonObject | undefined {
  let lastModel: string | undefined;
  let lastCreated: number | undefined;
  // OpenAI streams carry one id throughout, and the openai SDK's stream helpers start a new
  // completion when it changes: the first chunk sent fixes it for the whole stream.
  let streamId: string | undefined;
  const choiceStates = new Map<number, ChoiceState>();

  function choiceStateFor(index: number): ChoiceState {
    let state = choiceStates.get(index);
    if (state === undefined) {
      state = { indexToolCalls: createToolCallIndexer(), hasSentRole: false };
      choiceStates.set(index, state);
    }
    return state;
  }

  function normalizeChoice(choice: unknown): JsonObject {
    if (!isJsonObject(choice)) throw malformedChunkError("a choice is not an object");
    const index = typeof choice.index === "number" ? choice.index : 0;
    // The parsed chunk is ours: fill it in place (same key order as a copy, fewer allocations).
    choice.index = index;
    choice.delta = normalizeDelta(choice.delta, choiceStateFor(index));
    choice.finish_reason = choice.finish_reason ?? null;
    return choice;
  }

  return (data, parsed) => {
    const chunk = parsed === undefined ? parseChunk(data) : checkChunk(parsed);
    if (hasError(chunk)) return chunk;

    lastModel = readNonEmptyString(chunk.model) ?? lastModel;
    lastCreated = readPositiveNumber(chunk.created) ?? lastCreated;

    // A usage-only chunk may leave `choices` out (or null); anything else but a list is garbage.
    const choices = chunk.choices ?? [];
    if (!Array.isArray(choices)) throw malformedChunkError("`choices` is not a list");
    // Copilot's leading chunk carries only `prompt_filter_results`; a usage-only chunk stays.
    if (choices.length === 0 && !isJsonObject(chunk.usage)) return undefined;

    chunk.id = streamId ??= readNonEmptyString(chunk.id) ?? defaults.id ?? createChatCompletionId();
    chunk.object = "chat.completion.chunk";
    chunk.created = lastCreated ?? defaults.created;
    chunk.model = lastModel ?? defaults.model;
    chunk.choices = choices.map(normalizeChoice);
    if (isJsonObject(chunk.usage)) chunk.usage = fixUsageTotal(chunk.usage);
    return chunk;
  };
}

function hasError(chunk: JsonObject): boolean {
  return chunk.error !== undefined && chunk.error !== null;
}

function normalizeDelta(delta: unknown, state: ChoiceState): JsonObject {
  if (!isJsonObject(delta)) return {};
  let normalized = delta;
  // Claude repeats `"role":"assistant"` on every delta; OpenAI sends it once, on the first delta.
  // It is kept on the first delta that has one (not merely the first delta), since a stream that
  // opens with reasoning deltas must still tell the client its role (the openai SDK demands it).
  if ("role" in normalized) {
    if (typeof normalized.role === "string" && !state.hasSentRole) {
      state.hasSentRole = true;
    } else {
      const { role: _role, ...rest } = normalized;
      normalized = rest;
    }
  }
  if (Array.isArray(normalized.tool_calls)) {
    normalized = { ...normalized, tool_calls: state.indexToolCalls(normalized.tool_calls) };
  }
  return normalized;
}

function parseChunk(data: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (error) {
    throw malformedChunkError("a stream chunk is not JSON", error);
  }
  return checkChunk(parsed);
}

function checkChunk(parsed: unknown): JsonObject {
  if (!isJsonObject(parsed)) throw malformedChunkError("a stream chunk is not a JSON object");
  return parsed;
}

function malformedChunkError(detail: string, cause?: unknown): UpstreamError {
  return new UpstreamError(502, `Copilot sent a malformed chat completion stream: ${detail}`, {
    code: "upstream_malformed_response",
    cause,
  });
}
