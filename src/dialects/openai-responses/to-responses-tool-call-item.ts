import type {
  ResponsesCustomToolCallItem,
  ResponsesFunctionCallItem,
  ResponsesItemStatus,
} from "../../protocols/openai/responses-response.js";
import type { ResponsesToolTarget } from "./map-responses-tool-names.js";

export interface ChatToolCallParts {
  readonly id: string;
  readonly status: ResponsesItemStatus;
  readonly callId: string;
  /** The function name the model called (a flattened name for namespaced tools). */
  readonly chatName: string;
  /** The arguments JSON text, whole or as far as it came. */
  readonly arguments: string;
}

/**
 * A Chat tool call as the client's Responses item: a `function_call` under the tool's own name
 * (with `namespace` if it is nested in one), or a `custom_tool_call` with its free-text input.
 * A name the request did not offer is reported as the model wrote it.
 */
export function toResponsesToolCallItem(
  call: ChatToolCallParts,
  target: ResponsesToolTarget | undefined,
): ResponsesFunctionCallItem | ResponsesCustomToolCallItem {
  if (target?.kind === "custom") {
    const item: ResponsesCustomToolCallItem = {
      id: call.id,
      type: "custom_tool_call",
      status: call.status,
      call_id: call.callId,
      name: target.name,
      input: readCustomToolInput(call.arguments),
    };
    if (target.namespace !== undefined) item.namespace = target.namespace;
    return item;
  }
  const item: ResponsesFunctionCallItem = {
    id: call.id,
    type: "function_call",
    status: call.status,
    arguments: call.arguments,
    call_id: call.callId,
    name: target?.name ?? call.chatName,
  };
  if (target?.namespace !== undefined) item.namespace = target.namespace;
  return item;
}

/**
 * The free text of a custom tool call, out of the `{"input": …}` arguments it was carried in. A
 * model that wrote something else (plain text, another key) has its arguments passed on as the
 * input rather than lost.
 */
export function readCustomToolInput(argumentsText: string): string {
  try {
    const parsed: unknown = JSON.parse(argumentsText);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      const input = (parsed as Record<string, unknown>)["input"];
      if (typeof input === "string") return input;
    }
  } catch {
    // Not JSON: the model wrote the input itself.
  }
  return argumentsText;
}
