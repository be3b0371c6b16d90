import { isJsonObject } from "../../translate/is-json-object.js";
import { UpstreamError } from "../../errors.js";
import type {
  AnthropicContentBlock,
  AnthropicErrorBody,
  AnthropicStreamEvent,
} from "../../protocols/anthropic/messages-response.js";
import {
  mapOpenAIFinishReasonToAnthropic,
  stopReasonWithToolCalls,
} from "./map-openai-finish-reason-to-anthropic.js";
import {
  chatUpstreamChunkSchema,
  type ChatUpstreamChunk,
  type ChatUpstreamUsage,
} from "../../protocols/openai/chat-wire.js";
import { firstNonEmpty, readReasoningText } from "./read-reasoning-text.js";
import { toAnthropicMessageId } from "./to-anthropic-message-id.js";
import { toAnthropicUsage } from "./to-anthropic-usage.js";

export interface AnthropicStreamTranslatorOptions {
  /** The model name the client asked for, echoed in `message_start`. */
  readonly model: string;
  /** Else derived from the first chunk's id. */
  readonly messageId?: string | undefined;
  /** `message_start` comes before Copilot reports usage: a local estimate, else 0. */
  readonly inputTokensEstimate?: number | undefined;
}

export interface AnthropicStreamTranslator {
  /** One parsed (normalised) Chat Completions chunk in, the Anthropic events it makes out. */
  push(chunk: unknown): AnthropicStreamEvent[];
  /** Called when the upstream sent `[DONE]`: the closing events, or an error if it was cut short. */
  finish(): AnthropicStreamEvent[];
}

type ToolCallDelta = NonNullable<
  NonNullable<NonNullable<ChatUpstreamChunk["choices"]>[number]["delta"]>["tool_calls"]
>[number];
type Delta = NonNullable<NonNullable<ChatUpstreamChunk["choices"]>[number]["delta"]>;

interface OpenBlock {
  readonly kind: "thinking" | "text" | "tool_use";
  readonly index: number;
}

/**
 * Turns a Chat Completions stream into the Anthropic event sequence
 * (https://docs.anthropic.com/en/docs/build-with-claude/streaming): `message_start`, `ping`,
 * then per content block `content_block_start`, its deltas, `content_block_stop`; finally
 * `message_delta` (stop reason, usage) and `message_stop`. A block opens when the kind of
 * content changes (thinking → text → tool calls, and back), and each tool call is its own block.
 * Usage may come after the finish reason, so the closing events wait for `finish()`.
 */
export function createAnthropicStreamTranslator(
  options: AnthropicStreamTranslatorOptions,
): AnthropicStreamTranslator {
  const inputTokensEstimate = options.inputTokensEstimate ?? 0;
  let started = false;
  let ended = false;
  let nextBlockIndex = 0;
  let openBlock: OpenBlock | undefined;
  const blockIndexByToolIndex = new Map<number, number>();
  let finishReason: string | undefined;
  let usage: ChatUpstreamUsage | undefined;
  let copilotUsage: unknown;

  function start(chunkId: string | undefined): AnthropicStreamEvent[] {
    started = true;
    return [
      {
        type: "message_start",
        message: {
          id: options.messageId ?? toAnthropicMessageId(chunkId),
          type: "message",
          role: "assistant",
          model: options.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: toAnthropicUsage(undefined, inputTokensEstimate),
        },
      },
      { type: "ping" },
    ];
  }

  function closeBlock(): AnthropicStreamEvent[] {
    if (openBlock === undefined) return [];
    const index = openBlock.index;
    openBlock = undefined;
    return [{ type: "content_block_stop", index }];
  }

  function openNewBlock(
    kind: OpenBlock["kind"],
    contentBlock: AnthropicContentBlock,
    events: AnthropicStreamEvent[],
  ): number {
    events.push(...closeBlock());
    const index = nextBlockIndex++;
    openBlock = { kind, index };
    events.push({ type: "content_block_start", index, content_block: contentBlock });
    return index;
  }

  function blockFor(kind: "thinking" | "text", events: AnthropicStreamEvent[]): number {
    if (openBlock?.kind === kind) return openBlock.index;
    const contentBlock: AnthropicContentBlock =
      kind === "text"
        ? { type: "text", text: "" }
        : { type: "thinking", thinking: "", signature: "" };
    return openNewBlock(kind, contentBlock, events);
  }

  function translateToolCall(call: ToolCallDelta, events: AnthropicStreamEvent[]): void {
    const toolIndex = call.index ?? 0;
    let index = blockIndexByToolIndex.get(toolIndex);
    if (index === undefined) {
      index = openNewBlock(
        "tool_use",
        {
          type: "tool_use",
          id: firstNonEmpty(call.id) || `toolu_${nextBlockIndex}`,
          name: call.function?.name ?? "",
          input: {},
        },
        events,
      );
      blockIndexByToolIndex.set(toolIndex, index);
    }
    // Upstreams send one call after the other; should arguments come for a call whose block was
    // closed, they still go to that block's index (the SDKs gather deltas by index), not lost.
    const partialJson = call.function?.arguments ?? "";
    if (partialJson !== "") {
      events.push({
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: partialJson },
      });
    }
  }

  function translateDelta(delta: Delta, events: AnthropicStreamEvent[]): void {
    const reasoning = readReasoningText(delta);
    if (reasoning !== "") {
      const index = blockFor("thinking", events);
      events.push({
        type: "content_block_delta",
        index,
        delta: { type: "thinking_delta", thinking: reasoning },
      });
    }
    // Copilot's encrypted reasoning state stands in for a signature, when a thinking block is open.
    const signature = firstNonEmpty(delta.reasoning_opaque);
    if (signature !== "" && openBlock?.kind === "thinking") {
      events.push({
        type: "content_block_delta",
        index: openBlock.index,
        delta: { type: "signature_delta", signature },
      });
    }
    const text = firstNonEmpty(delta.content, delta.refusal);
    if (text !== "") {
      const index = blockFor("text", events);
      events.push({ type: "content_block_delta", index, delta: { type: "text_delta", text } });
    }
    for (const call of delta.tool_calls ?? []) translateToolCall(call, events);
  }

  return {
    push(chunk) {
      if (ended) return [];
      const parsed = chatUpstreamChunkSchema.safeParse(chunk);
      if (!parsed.success) {
        throw new UpstreamError(
          502,
          "Copilot sent a chat completion chunk that was not understood",
          {
            code: "upstream_malformed_response",
          },
        );
      }
      const data = parsed.data;
      const events = started ? [] : start(data.id);
      if (data.error !== undefined && data.error !== null) {
        ended = true;
        events.push(streamError(data.error.message ?? "Copilot reported an error mid-stream"));
        return events;
      }
      if (data.usage !== undefined && data.usage !== null) usage = data.usage;
      if (isJsonObject(chunk) && chunk.copilot_usage !== undefined) {
        copilotUsage = chunk.copilot_usage;
      }
      for (const choice of data.choices ?? []) {
        // One Anthropic message is one choice; anything after the finish reason is ignored.
        if ((choice.index ?? 0) !== 0 || finishReason !== undefined) continue;
        if (choice.delta !== undefined && choice.delta !== null)
          translateDelta(choice.delta, events);
        const reason = choice.finish_reason;
        if (reason !== undefined && reason !== null) {
          finishReason = reason;
          events.push(...closeBlock());
        }
      }
      return events;
    },

    finish() {
      if (ended) return [];
      ended = true;
      // A stream cut short must not look like a complete answer.
      if (finishReason === undefined) {
        return [streamError("The upstream stream ended before the answer was complete")];
      }
      const stopReason = mapOpenAIFinishReasonToAnthropic(finishReason);
      if (stopReason === "error") {
        return [streamError('Copilot ended the answer with finish_reason "error"')];
      }
      return [
        {
          type: "message_delta",
          delta: {
            stop_reason: stopReasonWithToolCalls(stopReason, blockIndexByToolIndex.size > 0),
            stop_sequence: null,
          },
          usage: toAnthropicUsage(usage, inputTokensEstimate),
          ...(copilotUsage === undefined ? {} : { copilot_usage: copilotUsage }),
        },
        { type: "message_stop" },
      ];
    },
  };
}

function streamError(message: string): AnthropicErrorBody {
  return { type: "error", error: { type: "api_error", message } };
}
