import {
  isUncarriedBlock,
  type AnthropicMessageParam,
  type AnthropicToolResultBlockParam,
  type AnthropicUncarriedBlockType,
} from "../../protocols/anthropic/messages-request.js";
import {
  convertAnthropicDocumentToOpenAI,
  convertAnthropicImageToOpenAI,
} from "./convert-anthropic-content-to-openai.js";
import { removeBillingHeaderLines } from "./convert-anthropic-system-to-openai.js";
import type {
  ChatMessageParam,
  ChatContentPartParam,
  ChatToolCallParam,
} from "../../protocols/openai/chat-wire.js";

/**
 * Anthropic `messages` as Chat Completions messages (the system prompt is converted apart).
 * https://docs.anthropic.com/en/api/messages — https://platform.openai.com/docs/api-reference/chat
 * What cannot be carried is reported in `warnings`, named by its path in the request.
 */
export function convertAnthropicMessagesToOpenAI(
  messages: readonly AnthropicMessageParam[],
  warnings: string[],
): ChatMessageParam[] {
  return messages.flatMap((message, index) => {
    const at = `messages[${index}]`;
    switch (message.role) {
      case "user":
        return convertUserMessage(message.content, at, warnings);
      case "assistant":
        return convertAssistantMessage(message.content, at, warnings);
      case "system":
        return convertSystemMessage(message.content, at, warnings);
      default: {
        const unhandled: never = message.role;
        return unhandled;
      }
    }
  });
}

/**
 * Chat Completions wants every tool result as a `tool` message right after the assistant message
 * that made the calls, so the tool results of a user turn go first and the rest of that turn
 * (text, images, documents) follows as one user message.
 */
function convertUserMessage(
  content: AnthropicMessageParam["content"],
  at: string,
  warnings: string[],
): ChatMessageParam[] {
  if (typeof content === "string") return [{ role: "user", content }];
  const toolMessages: ChatMessageParam[] = [];
  const toolImages: ChatContentPartParam[] = [];
  const parts: ChatContentPartParam[] = [];
  content.forEach((block, index) => {
    const blockAt = `${at}.content[${index}]`;
    if (isUncarriedBlock(block)) {
      warnUncarried(block.type, blockAt, warnings);
      return;
    }
    switch (block.type) {
      case "text":
        parts.push({ type: "text", text: block.text });
        break;
      case "image":
        parts.push(...convertAnthropicImageToOpenAI(block, blockAt, warnings));
        break;
      case "document":
        parts.push(...convertAnthropicDocumentToOpenAI(block, blockAt, warnings));
        break;
      case "tool_result": {
        const result = convertToolResult(block, blockAt, warnings);
        toolMessages.push(result.message);
        toolImages.push(...result.images);
        break;
      }
      case "tool_use":
        warnings.push(`${blockAt}: a tool_use block in a user message was dropped`);
        break;
      case "thinking":
      case "redacted_thinking":
        break;
      default: {
        const unhandled: never = block;
        return unhandled;
      }
    }
  });
  const userParts = [...toolImages, ...parts];
  if (userParts.length === 0) return toolMessages;
  return [...toolMessages, { role: "user", content: simplifyParts(userParts) }];
}

/**
 * A tool message holds text only. Chat Completions has no error flag on tool results, so an
 * error is said in the text ("Error: …") for the model to read. Images cannot go in a tool
 * message: they are returned apart, introduced by a line naming the tool call, for the user
 * message that follows the tool messages.
 */
function convertToolResult(
  block: AnthropicToolResultBlockParam,
  at: string,
  warnings: string[],
): { message: ChatMessageParam; images: ChatContentPartParam[] } {
  const texts: string[] = [];
  const images: ChatContentPartParam[] = [];
  if (typeof block.content === "string") {
    texts.push(block.content);
  } else {
    (block.content ?? []).forEach((part, index) => {
      const partAt = `${at}.content[${index}]`;
      if (isUncarriedBlock(part)) {
        warnUncarried(part.type, partAt, warnings);
        return;
      }
      switch (part.type) {
        case "text":
          texts.push(part.text);
          break;
        case "image":
          images.push(...convertAnthropicImageToOpenAI(part, partAt, warnings));
          break;
        case "document":
          for (const converted of convertAnthropicDocumentToOpenAI(part, partAt, warnings)) {
            if (converted.type === "text") texts.push(converted.text);
            else images.push(converted);
          }
          break;
        default: {
          const unhandled: never = part;
          return unhandled;
        }
      }
    });
  }
  let text = texts.join("\n\n");
  if (text === "" && images.length > 0) text = "(the result is the images in the next message)";
  if (block.is_error === true) text = text === "" ? "Error" : `Error: ${text}`;
  const message: ChatMessageParam = {
    role: "tool",
    tool_call_id: block.tool_use_id,
    content: text,
  };
  if (images.length === 0) return { message, images };
  const intro: ChatContentPartParam = {
    type: "text",
    text: `(images from tool result ${block.tool_use_id})`,
  };
  return { message, images: [intro, ...images] };
}

/** Thinking blocks are dropped: Chat Completions cannot take them back, and they are ours. */
function convertAssistantMessage(
  content: AnthropicMessageParam["content"],
  at: string,
  warnings: string[],
): ChatMessageParam[] {
  if (typeof content === "string") return [{ role: "assistant", content }];
  const texts: string[] = [];
  const toolCalls: ChatToolCallParam[] = [];
  content.forEach((block, index) => {
    const blockAt = `${at}.content[${index}]`;
    if (isUncarriedBlock(block)) {
      warnUncarried(block.type, blockAt, warnings);
      return;
    }
    switch (block.type) {
      case "text":
        texts.push(block.text);
        break;
      case "tool_use":
        toolCalls.push({
          id: block.id,
          type: "function",
          function: { name: block.name, arguments: JSON.stringify(block.input) },
        });
        break;
      case "thinking":
      case "redacted_thinking":
        break;
      case "image":
      case "document":
      case "tool_result":
        warnings.push(`${blockAt}: a ${block.type} block in an assistant message was dropped`);
        break;
      default: {
        const unhandled: never = block;
        return unhandled;
      }
    }
  });
  // Nothing left (a turn of thinking only): an empty assistant message would be refused.
  if (texts.length === 0 && toolCalls.length === 0) return [];
  const text = texts.length === 0 ? null : texts.join("\n\n");
  if (toolCalls.length === 0) return [{ role: "assistant", content: text }];
  return [{ role: "assistant", content: text, tool_calls: toolCalls }];
}

function convertSystemMessage(
  content: AnthropicMessageParam["content"],
  at: string,
  warnings: string[],
): ChatMessageParam[] {
  const texts: string[] = [];
  if (typeof content === "string") texts.push(content);
  else {
    content.forEach((block, index) => {
      if (block.type === "text") texts.push(block.text);
      else
        warnings.push(
          `${at}.content[${index}]: a ${block.type} block in a system message was dropped`,
        );
    });
  }
  const text = texts.map(removeBillingHeaderLines).join("\n\n");
  return text.trim() === "" ? [] : [{ role: "system", content: text }];
}

/** One text part is sent as a plain string, which every model accepts. */
function simplifyParts(parts: ChatContentPartParam[]): string | ChatContentPartParam[] {
  const [first] = parts;
  return parts.length === 1 && first?.type === "text" ? first.text : parts;
}

function warnUncarried(type: AnthropicUncarriedBlockType, at: string, warnings: string[]): void {
  warnings.push(`${at}: a ${type} block only Anthropic can act on was dropped`);
}
