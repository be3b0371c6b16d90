import type { ScriptedAnswer } from "./fake-copilot-types.js";
import { isRecord } from "./fake-state.js";
import { argumentsTextOf } from "./scripted-answers.js";

/** What the fake decides to answer for one choice; rendering into wire chunks is separate. */
export type ChatAnswer =
  | { kind: "text"; text: string; finishReason: "stop" | "length" }
  | { kind: "tool_calls"; calls: PlannedToolCall[] };

export interface PlannedToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface PlanChatAnswerInput {
  body: Record<string, unknown>;
  model: string;
  /** Claude through chat/completions may call several tools at once (all with "index":0). */
  anthropic: boolean;
  nextToolCallId: () => string;
}

/**
 * Answers deterministically from the request so tests can predict every byte:
 * a tool call when tools are offered to a user turn, an echo of a tool result, else a greeting.
 */
export function planChatAnswer({
  body,
  model,
  anthropic,
  nextToolCallId,
}: PlanChatAnswerInput): ChatAnswer {
  const messages = Array.isArray(body["messages"]) ? body["messages"].filter(isRecord) : [];
  const last = messages.at(-1);
  const lastUser = messages.findLast((message) => message["role"] === "user");
  const userText = lastUser === undefined ? "" : textOf(lastUser["content"]);
  const toolNames = readToolNames(body["tools"]);
  const toolChoice = body["tool_choice"];
  if (toolNames.length > 0 && toolChoice !== "none" && last?.["role"] === "user") {
    const chosen = namedToolChoice(toolChoice);
    const parallel = anthropic && chosen === undefined && body["parallel_tool_calls"] !== false;
    const names = chosen !== undefined ? [chosen] : toolNames.slice(0, parallel ? 2 : 1);
    const argumentsText = JSON.stringify({ echo: userText });
    const calls = names.map((name) => ({ id: nextToolCallId(), name, arguments: argumentsText }));
    return { kind: "tool_calls", calls };
  }
  if (last?.["role"] === "tool") {
    return limitText(`Tool said: ${textOf(last["content"])}`, maxTokensOf(body));
  }
  const images = lastUser === undefined ? 0 : countImageParts(lastUser["content"]);
  const imageNote = images > 0 ? ` [${images} image(s)]` : "";
  return limitText(`Hello from ${model}! You said: ${userText}${imageNote}`, maxTokensOf(body));
}

/** A scripted answer as a chat choice; tool calls get the route's usual ids. */
export function chatAnswerOfScript(
  answer: ScriptedAnswer,
  nextToolCallId: () => string,
): ChatAnswer {
  if ("text" in answer) return { kind: "text", text: answer.text, finishReason: "stop" };
  if (!("toolCalls" in answer))
    throw new Error("fake-copilot: degenerateToolCall is for /responses");
  const calls = answer.toolCalls.map((call) => ({
    id: nextToolCallId(),
    name: call.name,
    arguments: argumentsTextOf(call),
  }));
  return { kind: "tool_calls", calls };
}

/** The text of a message content: a string, or the `text` of its text parts joined by spaces. */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter(isRecord)
    .filter((part) => part["type"] === "text" && typeof part["text"] === "string")
    .map((part) => part["text"] as string)
    .join(" ");
}

export function countImageParts(content: unknown): number {
  if (!Array.isArray(content)) return 0;
  return content.filter((part) => isRecord(part) && part["type"] === "image_url").length;
}

export function hasImageParts(messages: unknown): boolean {
  return (
    Array.isArray(messages) &&
    messages.some((message) => isRecord(message) && countImageParts(message["content"]) > 0)
  );
}

export function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

/** The fake's "tokenizer": one token per whitespace-separated word of every message. */
export function countPromptTokens(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  return messages
    .filter(isRecord)
    .reduce((total, message) => total + countWords(textOf(message["content"])), 0);
}

export function countCompletionTokens(answer: ChatAnswer): number {
  if (answer.kind === "text") return countWords(answer.text);
  return answer.calls.reduce((total, call) => total + countWords(call.arguments), 0);
}

/**
 * Splits an answer into stream pieces that join back to it exactly: one per word (with its
 * leading space) by default, else `count` slices of near-equal length.
 */
export function splitIntoPieces(text: string, count: number | undefined): string[] {
  if (count === undefined) {
    const pieces = text.match(/\s*\S+/g) ?? [text];
    const covered = pieces.join("").length;
    if (covered < text.length) pieces[pieces.length - 1] += text.slice(covered);
    return pieces;
  }
  const characters = Array.from(text);
  const total = Math.max(1, count);
  return Array.from({ length: total }, (_, index) =>
    characters
      .slice(
        Math.floor((index * characters.length) / total),
        Math.floor(((index + 1) * characters.length) / total),
      )
      .join(""),
  );
}

function limitText(text: string, maxTokens: number | undefined): ChatAnswer {
  const words = splitIntoPieces(text, undefined);
  if (maxTokens === undefined || words.length <= maxTokens) {
    return { kind: "text", text, finishReason: "stop" };
  }
  return { kind: "text", text: words.slice(0, maxTokens).join(""), finishReason: "length" };
}

function maxTokensOf(body: Record<string, unknown>): number | undefined {
  const limit = body["max_completion_tokens"] ?? body["max_tokens"];
  return typeof limit === "number" && Number.isInteger(limit) && limit > 0 ? limit : undefined;
}

function readToolNames(tools: unknown): string[] {
  if (!Array.isArray(tools)) return [];
  return tools.filter(isRecord).flatMap((tool) => {
    const fn = tool["function"];
    return isRecord(fn) && typeof fn["name"] === "string" ? [fn["name"]] : [];
  });
}

function namedToolChoice(toolChoice: unknown): string | undefined {
  if (!isRecord(toolChoice)) return undefined;
  const fn = toolChoice["function"];
  return isRecord(fn) && typeof fn["name"] === "string" ? fn["name"] : undefined;
}
