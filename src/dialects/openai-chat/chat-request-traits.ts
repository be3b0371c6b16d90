import type { Initiator } from "../../protocols/copilot.js";
import type { OpenAIChatMessage } from "../../protocols/openai/chat-request.js";

/**
 * Who started this turn decides billing (docs/upstream-protocol.md, X-Initiator): a new user
 * message is `user`; a tool result or an assistant prefill continuing the same turn is `agent`.
 */
export function initiatorOfChatMessages(messages: readonly OpenAIChatMessage[]): Initiator {
  const last = messages[messages.length - 1];
  if (last === undefined) return "user";
  switch (last.role) {
    case "tool":
    case "function":
    case "assistant":
      return "agent";
    case "user":
    case "system":
    case "developer":
      return "user";
    default: {
      const unhandled: never = last.role;
      return unhandled;
    }
  }
}

/** Copilot wants `Copilot-Vision-Request: true` whenever the input holds an image. */
export function chatMessagesHaveImage(messages: readonly OpenAIChatMessage[]): boolean {
  for (const message of messages) {
    const content = message.content;
    if (!Array.isArray(content)) continue;
    for (const part of content) {
      if (part.type === "image_url") return true;
    }
  }
  return false;
}
