import type { Initiator } from "../../protocols/copilot.js";
import type {
  OpenAIResponsesRequest,
  ResponsesInputItem,
} from "../../protocols/openai/responses-request.js";

/**
 * Who started this turn decides billing (docs/upstream-protocol.md, X-Initiator), from the LAST
 * input item: a new user message is `user`; a tool result, a tool call or an assistant message
 * (a prefill) continues the agent's turn. Items of other types count as tool calls or results
 * when their type says so (`computer_call_output`, `custom_tool_call`…); anything else is the
 * user's.
 */
export function initiatorOfResponsesInput(input: OpenAIResponsesRequest["input"]): Initiator {
  if (typeof input === "string") return "user";
  const last = input.at(-1);
  if (last === undefined) return "user";
  return initiatorOfItem(last);
}

function initiatorOfItem(item: ResponsesInputItem): Initiator {
  switch (item.type) {
    case "message":
      return item.role === "assistant" ? "agent" : "user";
    case "function_call":
    case "function_call_output":
    case "custom_tool_call":
    case "custom_tool_call_output":
    case "reasoning":
      return "agent";
    case "item_reference":
      return "user";
    case "unsupported":
      return /_call$|_output$/.test(item.unsupportedType) ? "agent" : "user";
    default: {
      const unhandled: never = item;
      return unhandled;
    }
  }
}

// Responses images: `input_image` parts (in messages and tool outputs) and computer-use screenshots.
const IMAGE_TYPES = new Set(["input_image", "computer_screenshot"]);
// Deep enough for a message's parts, a tool output's parts and a screenshot inside an output.
const MAX_IMAGE_SEARCH_DEPTH = 4;

/** Copilot wants `Copilot-Vision-Request: true` whenever the input holds an image. */
export function responsesInputHasImage(request: Pick<OpenAIResponsesRequest, "input">): boolean {
  const input = request.input;
  if (typeof input === "string") return false;
  return input.some((item) =>
    containsImage(item.type === "unsupported" ? item.value : item, MAX_IMAGE_SEARCH_DEPTH),
  );
}

function containsImage(value: unknown, depth: number): boolean {
  if (depth < 0 || typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return value.some((entry) => containsImage(entry, depth - 1));
  const record = value as Record<string, unknown>;
  if (typeof record.type === "string" && IMAGE_TYPES.has(record.type)) return true;
  return Object.values(record).some(
    (entry) => typeof entry === "object" && containsImage(entry, depth - 1),
  );
}
