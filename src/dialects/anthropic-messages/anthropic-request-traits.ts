import type { Initiator } from "../../protocols/copilot.js";
import type {
  AnthropicContentBlockParam,
  AnthropicCountTokensRequest,
  AnthropicMessageParam,
  AnthropicToolResultBlockParam,
} from "../../protocols/anthropic/messages-request.js";

type ToolResultPart = Exclude<AnthropicToolResultBlockParam["content"], string | undefined>[number];

/**
 * Who started this turn decides billing (docs/upstream-protocol.md, X-Initiator): a user message
 * made only of tool results continues the agent's turn, as does an assistant prefill; anything
 * else is the user's.
 */
export function initiatorOfAnthropicMessages(
  messages: readonly AnthropicMessageParam[],
): Initiator {
  const last = messages.at(-1);
  if (last === undefined) return "user";
  switch (last.role) {
    case "assistant":
      return "agent";
    case "user": {
      const content = last.content;
      const onlyToolResults =
        Array.isArray(content) &&
        content.length > 0 &&
        content.every((block) => block.type === "tool_result");
      return onlyToolResults ? "agent" : "user";
    }
    case "system":
      return "user";
    default: {
      const unhandled: never = last.role;
      return unhandled;
    }
  }
}

/** Copilot wants `Copilot-Vision-Request: true` whenever the input holds an image. */
export function anthropicMessagesHaveImage(
  request: Pick<AnthropicCountTokensRequest, "messages">,
): boolean {
  return request.messages.some(
    (message) => Array.isArray(message.content) && message.content.some(blockHasImage),
  );
}

function blockHasImage(block: AnthropicContentBlockParam | ToolResultPart): boolean {
  if (block.type === "image") return true;
  if (block.type === "tool_result") {
    return Array.isArray(block.content) && block.content.some(blockHasImage);
  }
  if (block.type !== "document") return false;
  const source = block.source;
  return (
    source.type === "content" &&
    Array.isArray(source.content) &&
    source.content.some((part) => part.type === "image")
  );
}
