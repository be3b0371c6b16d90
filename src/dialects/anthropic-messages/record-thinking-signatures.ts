import { z } from "zod";
import type { AnthropicStreamEvent } from "../../protocols/anthropic/messages-response.js";
import type { SseEvent } from "../../sse/parse-sse.js";
import type { ConversionContext } from "../dialect.js";

/*
 * Copilot binds a thinking signature to the model that made it: the gateway remembers which
 * model made each one it relays, so that after a model switch the other model's blocks can be
 * left out of the request (see dropForeignThinkingBlocks).
 */

const blockSchema = z.looseObject({
  type: z.string(),
  signature: z.string().optional(),
  data: z.string().optional(),
});

/** The signatures of a whole answer's thinking and redacted_thinking blocks. */
export function recordThinkingSignatures(
  content: readonly { readonly type: string }[],
  { signatures, model }: ConversionContext,
): void {
  if (signatures === undefined) return;
  for (const block of content) {
    const signature = signatureOfBlock(block);
    if (signature !== undefined) signatures.record(signature, model.id);
  }
}

export interface SignatureRecorder {
  /** One event of Copilot's native stream; only the few that can carry a signature are parsed. */
  push(event: SseEvent): void;
  /** Events a translator made (already objects). */
  take(events: readonly AnthropicStreamEvent[]): void;
}

const startSchema = z.looseObject({ index: z.number(), content_block: blockSchema });
const signatureDeltaSchema = z.looseObject({
  index: z.number(),
  delta: z.looseObject({ type: z.literal("signature_delta"), signature: z.string() }),
});
const stopSchema = z.looseObject({ index: z.number() });

/**
 * Records a stream's signatures as they pass: a `signature_delta` (kept until its block stops,
 * in case one comes in pieces) or a redacted_thinking block's `data` at its start. Text and tool
 * deltas, the bulk of a stream, are passed over after a look at the event name and a substring.
 */
export function createSignatureRecorder(context: ConversionContext): SignatureRecorder {
  const { signatures } = context;
  const pending = new Map<number, string>();
  const start = (index: number, block: { readonly type: string }): void => {
    const signature = signatureOfBlock(block);
    if (signature !== undefined) signatures?.record(signature, context.model.id);
    else if (block.type === "thinking") pending.set(index, "");
  };
  const delta = (index: number, signature: string): void => {
    pending.set(index, (pending.get(index) ?? "") + signature);
  };
  const stop = (index: number): void => {
    const signature = pending.get(index);
    pending.delete(index);
    if (signature !== undefined && signature !== "")
      signatures?.record(signature, context.model.id);
  };
  return {
    push({ event, data }) {
      if (signatures === undefined) return;
      switch (event ?? "") {
        case "content_block_start": {
          if (!data.includes("thinking")) return;
          const parsed = startSchema.safeParse(parseJson(data));
          if (parsed.success) start(parsed.data.index, parsed.data.content_block);
          return;
        }
        case "content_block_delta": {
          if (!data.includes('"signature_delta"')) return;
          const parsed = signatureDeltaSchema.safeParse(parseJson(data));
          if (parsed.success) delta(parsed.data.index, parsed.data.delta.signature);
          return;
        }
        case "content_block_stop": {
          if (pending.size === 0) return;
          const parsed = stopSchema.safeParse(parseJson(data));
          if (parsed.success) stop(parsed.data.index);
          return;
        }
        default:
          return;
      }
    },
    take(events) {
      if (signatures === undefined) return;
      for (const event of events) {
        if (event.type === "content_block_start") start(event.index, event.content_block);
        else if (event.type === "content_block_delta" && event.delta.type === "signature_delta") {
          delta(event.index, event.delta.signature);
        } else if (event.type === "content_block_stop") stop(event.index);
      }
    },
  };
}

/** A block's signature when it is a finished thinking block that carries one. */
function signatureOfBlock(block: { readonly type: string }): string | undefined {
  const parsed = blockSchema.safeParse(block);
  if (!parsed.success) return undefined;
  const { type, signature, data } = parsed.data;
  const value = type === "thinking" ? signature : type === "redacted_thinking" ? data : undefined;
  return value === undefined || value === "" ? undefined : value;
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}
