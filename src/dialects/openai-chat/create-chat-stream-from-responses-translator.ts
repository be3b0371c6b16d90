import { UpstreamError } from "../../errors.js";
import type {
  ChatChunkDelta,
  ChatCompletionChunk,
  ChatFinishReason,
} from "../../protocols/openai/chat-response.js";
import {
  responsesUpstreamEventSchema,
  type ResponsesUpstreamEvent,
  type ResponsesUpstreamOutputItem,
  type ResponsesUpstreamResponse,
} from "../../protocols/openai/responses-wire.js";
import { createChatCompletionId } from "../../translate/create-chat-completion-id.js";
import { mapResponsesStatusToFinishReason } from "./map-responses-status-to-finish-reason.js";
import { toChatUsage } from "./to-chat-usage.js";
import { createWhitespaceRunGuard } from "../../translate/create-whitespace-run-guard.js";

export interface ChatStreamFromResponsesOptions {
  /** The model name to report: Copilot's events may name an internal deployment. */
  readonly model: string;
  /** Unix seconds, on every chunk. */
  readonly created: number;
  /** A fresh `chatcmpl-…` if not given. */
  readonly id?: string | undefined;
  /** The client asked for `stream_options.include_usage`: a last chunk with usage and no choices. */
  readonly includeUsage?: boolean | undefined;
}

export interface ChatStreamFromResponsesTranslator {
  /** One parsed Responses event in, the chat completion chunks it makes out. */
  push(event: unknown): ChatCompletionChunk[];
  /** Called when the upstream stream ended: nothing more, or an UpstreamError if it was cut short. */
  finish(): ChatCompletionChunk[];
}

// Between two message items (a preamble, then the final answer), as between paragraphs.
const ITEM_SEPARATOR = "\n\n";

/**
 * Turns Copilot's `/responses` event stream into Chat Completions chunks: a first chunk with the
 * role, then content, refusal, `reasoning_content` and tool call deltas (a function call is
 * announced with its id and name, then its argument pieces), a chunk with the finish reason, and a
 * usage chunk if asked for. Copilot's ids change from event to event, so everything is keyed by
 * `output_index`; `keepalive` and unknown events are skipped. `response.failed` and `error` throw
 * an UpstreamError, as do a stream that ends before `response.completed` and a tool call whose
 * arguments degenerate into whitespace (create-whitespace-run-guard.ts).
 */
export function createChatStreamFromResponsesTranslator(
  options: ChatStreamFromResponsesOptions,
): ChatStreamFromResponsesTranslator {
  const id = options.id ?? createChatCompletionId();
  let started = false;
  let completed = false;
  const toolIndexByOutput = new Map<number, number>();
  const toolNameByOutput = new Map<number, string>();
  const whitespace = createWhitespaceRunGuard();
  const argumentsSent = new Map<number, string>();
  const textSent = new Map<number, string>();
  let lastReasoningKey: string | undefined;

  function chunk(delta: ChatChunkDelta, finishReason: ChatFinishReason | null = null) {
    const out: ChatCompletionChunk = {
      id,
      object: "chat.completion.chunk",
      created: options.created,
      model: options.model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    };
    return out;
  }

  function start(chunks: ChatCompletionChunk[]): void {
    if (started) return;
    started = true;
    chunks.push(chunk({ role: "assistant", content: "" }));
  }

  function sendText(outputIndex: number, text: string, chunks: ChatCompletionChunk[]): void {
    if (text === "") return;
    const sent = textSent.get(outputIndex);
    const separator = sent === undefined && textSent.size > 0 ? ITEM_SEPARATOR : "";
    textSent.set(outputIndex, (sent ?? "") + text);
    chunks.push(chunk({ content: separator + text }));
  }

  /** The part of a final text not yet sent, when the deltas did not carry all of it. */
  function sendRest(outputIndex: number, full: string, chunks: ChatCompletionChunk[]): void {
    const sent = textSent.get(outputIndex) ?? "";
    if (full.length > sent.length && full.startsWith(sent)) {
      sendText(outputIndex, full.slice(sent.length), chunks);
    }
  }

  function sendReasoning(key: string, text: string, chunks: ChatCompletionChunk[]): void {
    if (text === "") return;
    const separator =
      lastReasoningKey !== undefined && lastReasoningKey !== key ? ITEM_SEPARATOR : "";
    lastReasoningKey = key;
    chunks.push(chunk({ reasoning_content: separator + text }));
  }

  function startToolCall(
    outputIndex: number,
    item: Extract<ResponsesUpstreamOutputItem, { type: "function_call" }>,
    chunks: ChatCompletionChunk[],
  ): void {
    if (toolIndexByOutput.has(outputIndex)) return;
    const index = toolIndexByOutput.size;
    toolIndexByOutput.set(outputIndex, index);
    toolNameByOutput.set(outputIndex, item.name);
    argumentsSent.set(outputIndex, "");
    chunks.push(
      chunk({
        tool_calls: [
          {
            index,
            id: item.call_id,
            type: "function",
            function: { name: item.name, arguments: "" },
          },
        ],
      }),
    );
  }

  function sendArguments(outputIndex: number, piece: string, chunks: ChatCompletionChunk[]): void {
    const index = toolIndexByOutput.get(outputIndex);
    if (index === undefined || piece === "") return;
    whitespace.push(outputIndex, piece, toolNameByOutput.get(outputIndex));
    argumentsSent.set(outputIndex, (argumentsSent.get(outputIndex) ?? "") + piece);
    chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  }

  /** Some streams give the arguments only in the `.done` events (none, or only some, as deltas). */
  function sendRestOfArguments(outputIndex: number, full: string, chunks: ChatCompletionChunk[]) {
    const sent = argumentsSent.get(outputIndex) ?? "";
    if (full.length > sent.length && full.startsWith(sent)) {
      sendArguments(outputIndex, full.slice(sent.length), chunks);
    }
  }

  function finishItem(
    outputIndex: number,
    item: ResponsesUpstreamOutputItem,
    chunks: ChatCompletionChunk[],
  ): void {
    switch (item.type) {
      case "function_call":
        startToolCall(outputIndex, item, chunks);
        sendRestOfArguments(outputIndex, item.arguments ?? "", chunks);
        break;
      case "message": {
        let text = "";
        for (const part of item.content ?? []) if (part.type === "output_text") text += part.text;
        sendRest(outputIndex, text, chunks);
        break;
      }
      case "reasoning":
      case "unsupported":
        break;
      default: {
        const unhandled: never = item;
        return unhandled;
      }
    }
  }

  function complete(
    response: ResponsesUpstreamResponse,
    copilotUsage: unknown,
    chunks: ChatCompletionChunk[],
  ): void {
    completed = true;
    const finishReason = mapResponsesStatusToFinishReason(
      response.status,
      response.incomplete_details?.reason,
      toolIndexByOutput.size > 0,
    );
    if (finishReason === "failed") throw failedError(response);
    chunks.push(chunk({}, finishReason));
    if (options.includeUsage === true) {
      chunks.push({
        id,
        object: "chat.completion.chunk",
        created: options.created,
        model: options.model,
        choices: [],
        usage: toChatUsage(response.usage),
        ...(copilotUsage === undefined ? {} : { copilot_usage: copilotUsage }),
      });
    }
  }

  function translate(event: ResponsesUpstreamEvent, chunks: ChatCompletionChunk[]): void {
    switch (event.type) {
      case "response.created":
      case "response.in_progress":
        return;
      case "response.output_item.added":
        if (event.item.type === "function_call")
          startToolCall(event.output_index, event.item, chunks);
        return;
      case "response.output_item.done":
        return finishItem(event.output_index, event.item, chunks);
      case "response.output_text.delta":
        return sendText(event.output_index, event.delta, chunks);
      case "response.output_text.done":
        return sendRest(event.output_index, event.text, chunks);
      case "response.refusal.delta":
        if (event.delta !== "") chunks.push(chunk({ refusal: event.delta }));
        return;
      case "response.function_call_arguments.delta":
        return sendArguments(event.output_index, event.delta, chunks);
      case "response.function_call_arguments.done":
        return sendRestOfArguments(event.output_index, event.arguments, chunks);
      case "response.reasoning_summary_text.delta":
        return sendReasoning(
          `${event.output_index}:${event.summary_index ?? 0}`,
          event.delta,
          chunks,
        );
      case "response.reasoning_text.delta":
        return sendReasoning(`${event.output_index}:text`, event.delta, chunks);
      case "response.completed":
      case "response.incomplete":
        return complete(event.response, event.copilot_usage, chunks);
      case "response.failed":
        throw failedError(event.response);
      case "error": {
        const message =
          event.message ?? event.error?.message ?? "Copilot reported an error mid-stream";
        throw new UpstreamError(502, message, {
          code: event.code ?? event.error?.code ?? "upstream_error",
        });
      }
      case "unsupported":
        return;
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  }

  return {
    push(event) {
      if (completed) return [];
      const parsed = responsesUpstreamEventSchema.safeParse(event);
      if (!parsed.success) {
        throw new UpstreamError(502, "Copilot sent a Responses event that was not understood", {
          code: "upstream_malformed_response",
        });
      }
      const chunks: ChatCompletionChunk[] = [];
      if (parsed.data.type !== "unsupported") start(chunks);
      translate(parsed.data, chunks);
      return chunks;
    },
    finish() {
      if (completed) return [];
      throw new UpstreamError(
        502,
        "Copilot's Responses stream ended before the answer was complete",
        {
          code: "stream_interrupted",
        },
      );
    },
  };
}

function failedError(response: ResponsesUpstreamResponse): UpstreamError {
  return new UpstreamError(
    502,
    response.error?.message ?? "Copilot reported that the response failed",
    {
      code: response.error?.code ?? "upstream_response_failed",
    },
  );
}
