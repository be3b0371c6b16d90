import type {
  ResponsesItemStatus,
  ResponsesOutputContent,
  ResponsesOutputItem,
  ResponsesStreamEventBody,
} from "../../protocols/openai/responses-response.js";
import type { ResponsesToolTarget } from "./map-responses-tool-names.js";
import { toResponsesItemId } from "./responses-ids.js";
import { readCustomToolInput, toResponsesToolCallItem } from "./to-responses-tool-call-item.js";

type PartState = { type: "output_text" | "refusal"; text: string };

interface ItemBase {
  readonly id: string;
  readonly index: number;
  open: boolean;
  status: ResponsesItemStatus;
}
type ReasoningState = ItemBase & { kind: "reasoning"; text: string };
type MessageState = ItemBase & { kind: "message"; parts: PartState[] };
type CallState = ItemBase & {
  kind: "function_call";
  callId: string;
  name: string;
  /** The client's tool behind the Chat name (namespaced, custom), if the request offered it. */
  target: ResponsesToolTarget | undefined;
  arguments: string;
};
type ItemState = ReasoningState | MessageState | CallState;

export interface ToolCallPiece {
  readonly id?: string | null | undefined;
  readonly name?: string | null | undefined;
  readonly arguments?: string | null | undefined;
}

/**
 * The output items of one streamed Response, and the item events that build them. As in OpenAI's
 * streams, one item is open at a time: content of another kind, or another tool call, closes it.
 * Chat upstreams send one call after the other; should arguments still come for a call already
 * closed, they are kept for the final Response (which clients take as the truth) but not streamed.
 * Calls are reported under the client's tool names (map-responses-tool-names.ts); a custom tool's
 * input is free text inside `{"input": …}`, so it is streamed in one delta once the call is whole.
 */
export interface ResponsesOutputBuilder {
  appendReasoning(text: string): void;
  appendText(text: string): void;
  appendRefusal(text: string): void;
  appendToolCall(toolIndex: number, piece: ToolCallPiece): void;
  /** Closes the open item, if any, with this status. */
  close(status: ResponsesItemStatus): void;
  /** The items as they stand; open ones take `openStatus`. */
  snapshot(openStatus: ResponsesItemStatus): ResponsesOutputItem[];
}

export function createResponsesOutputBuilder(
  responseId: string,
  emit: (event: ResponsesStreamEventBody) => void,
  lookupTool: (chatName: string) => ResponsesToolTarget | undefined = () => undefined,
): ResponsesOutputBuilder {
  const items: ItemState[] = [];
  let open: ItemState | undefined;
  const callByToolIndex = new Map<number, CallState>();

  function start<Item extends ItemState>(item: Item): Item {
    close("completed");
    items.push(item);
    open = item;
    emit({ type: "response.output_item.added", output_index: item.index, item: toItem(item) });
    return item;
  }

  function base(prefix: "rs" | "msg" | "fc"): ItemBase {
    const index = items.length;
    return {
      id: toResponsesItemId(responseId, prefix, index),
      index,
      open: true,
      status: "in_progress",
    };
  }

  function reasoningItem(): ReasoningState {
    if (open?.kind === "reasoning") return open;
    const item = start<ReasoningState>({ ...base("rs"), kind: "reasoning", text: "" });
    emit({
      type: "response.reasoning_summary_part.added",
      item_id: item.id,
      output_index: item.index,
      summary_index: 0,
      part: { type: "summary_text", text: "" },
    });
    return item;
  }

  function messageItem(): MessageState {
    if (open?.kind === "message") return open;
    return start<MessageState>({ ...base("msg"), kind: "message", parts: [] });
  }

  function appendPart(type: PartState["type"], text: string): void {
    const item = messageItem();
    let part = item.parts.at(-1);
    if (part?.type !== type) {
      if (part !== undefined) closePart(item, part);
      part = { type, text: "" };
      item.parts.push(part);
      emit({
        type: "response.content_part.added",
        item_id: item.id,
        output_index: item.index,
        content_index: item.parts.length - 1,
        part: toContent(part),
      });
    }
    part.text += text;
    const contentIndex = item.parts.length - 1;
    if (type === "output_text") {
      emit({
        type: "response.output_text.delta",
        item_id: item.id,
        output_index: item.index,
        content_index: contentIndex,
        delta: text,
        logprobs: [],
      });
    } else {
      emit({
        type: "response.refusal.delta",
        item_id: item.id,
        output_index: item.index,
        content_index: contentIndex,
        delta: text,
      });
    }
  }

  function closePart(item: MessageState, part: PartState): void {
    const fields = partFields(item);
    if (part.type === "output_text") {
      emit({ type: "response.output_text.done", ...fields, text: part.text, logprobs: [] });
    } else emit({ type: "response.refusal.done", ...fields, refusal: part.text });
    emit({ type: "response.content_part.done", ...fields, part: toContent(part) });
  }

  function close(status: ResponsesItemStatus): void {
    const item = open;
    if (item === undefined) return;
    open = undefined;
    const fields = { item_id: item.id, output_index: item.index };
    switch (item.kind) {
      case "reasoning": {
        const text = item.text;
        emit({ type: "response.reasoning_summary_text.done", ...fields, summary_index: 0, text });
        emit({
          type: "response.reasoning_summary_part.done",
          ...fields,
          summary_index: 0,
          part: { type: "summary_text", text },
        });
        break;
      }
      case "message": {
        const last = item.parts.at(-1);
        if (last !== undefined) closePart(item, last);
        break;
      }
      case "function_call":
        if (item.target?.kind === "custom") {
          // The input is free text inside `{"input": …}`: it is known only once the call is whole.
          const input = readCustomToolInput(item.arguments);
          if (input !== "") {
            emit({ type: "response.custom_tool_call_input.delta", ...fields, delta: input });
          }
          emit({ type: "response.custom_tool_call_input.done", ...fields, input });
        } else {
          emit({
            type: "response.function_call_arguments.done",
            ...fields,
            name: item.target?.name ?? item.name,
            arguments: item.arguments,
          });
        }
        break;
      default: {
        const unhandled: never = item;
        return unhandled;
      }
    }
    item.open = false;
    item.status = status;
    emit({ type: "response.output_item.done", output_index: item.index, item: toItem(item) });
  }

  return {
    appendReasoning(text) {
      const item = reasoningItem();
      item.text += text;
      emit({
        type: "response.reasoning_summary_text.delta",
        item_id: item.id,
        output_index: item.index,
        summary_index: 0,
        delta: text,
      });
    },
    appendText: (text) => appendPart("output_text", text),
    appendRefusal: (text) => appendPart("refusal", text),
    appendToolCall(toolIndex, piece) {
      let item = callByToolIndex.get(toolIndex);
      if (item === undefined) {
        const fields = base("fc");
        const callId = piece.id ?? "";
        const name = piece.name ?? "";
        item = start<CallState>({
          ...fields,
          kind: "function_call",
          callId: callId === "" ? toResponsesItemId(responseId, "call", fields.index) : callId,
          name,
          target: lookupTool(name),
          arguments: "",
        });
        callByToolIndex.set(toolIndex, item);
      }
      const delta = piece.arguments ?? "";
      if (delta === "") return;
      item.arguments += delta;
      if (!item.open || item.target?.kind === "custom") return;
      emit({
        type: "response.function_call_arguments.delta",
        item_id: item.id,
        output_index: item.index,
        delta,
      });
    },
    close,
    snapshot: (openStatus) =>
      items.map((item) => toItem(item.open ? { ...item, status: openStatus } : item)),
  };
}

function partFields(item: MessageState) {
  return { item_id: item.id, output_index: item.index, content_index: item.parts.length - 1 };
}

function toContent(part: PartState): ResponsesOutputContent {
  return part.type === "output_text"
    ? { type: "output_text", text: part.text, annotations: [], logprobs: [] }
    : { type: "refusal", refusal: part.text };
}

/** A fresh object each time: events already handed out must not change afterwards. */
function toItem(item: ItemState): ResponsesOutputItem {
  switch (item.kind) {
    case "reasoning":
      return {
        id: item.id,
        type: "reasoning",
        summary: item.text === "" ? [] : [{ type: "summary_text", text: item.text }],
      };
    case "message":
      return {
        id: item.id,
        type: "message",
        status: item.status,
        role: "assistant",
        content: item.parts.map(toContent),
      };
    case "function_call":
      return toResponsesToolCallItem(
        {
          id: item.id,
          status: item.status,
          callId: item.callId,
          chatName: item.name,
          arguments: item.arguments,
        },
        item.target,
      );
    default: {
      const unhandled: never = item;
      return unhandled;
    }
  }
}
