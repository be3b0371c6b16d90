import { InvalidRequestError } from "../../errors.js";
import type {
  ChatContentPartParam,
  ChatMessageParam,
  ChatToolCallParam,
} from "../../protocols/openai/chat-wire.js";
import type {
  OpenAIResponsesRequest,
  ResponsesInputItem,
} from "../../protocols/openai/responses-request.js";
import {
  convertFunctionOutputToChat,
  convertUserPartsToChat,
  joinResponsesText,
} from "./convert-responses-content-to-chat.js";
import { flattenResponsesToolName } from "./map-responses-tool-names.js";

type MessageItem = Extract<ResponsesInputItem, { type: "message" }>;

/**
 * Responses `input` as Chat Completions messages. A string is one user message. Items map one to
 * one, except that function calls (custom tool calls too, as functions) join the assistant message before them (Chat Completions keeps a
 * turn's text and tool calls in one message, and Claude refuses two assistant turns in a row), and
 * images in tool outputs, which a Chat Completions tool message cannot hold, follow the tool
 * results in a user message. Reasoning items are dropped: Chat Completions cannot take them back.
 */
export function convertResponsesInputToChat(
  input: OpenAIResponsesRequest["input"],
  warnings: string[],
): ChatMessageParam[] {
  if (typeof input === "string") return [{ role: "user", content: input }];
  const messages: ChatMessageParam[] = [];
  let toolImages: ChatContentPartParam[] = [];

  input.forEach((item, index) => {
    const at = `input[${index}]`;
    const isOutput =
      item.type === "function_call_output" || item.type === "custom_tool_call_output";
    if (!isOutput && toolImages.length > 0) {
      messages.push({ role: "user", content: toolImages });
      toolImages = [];
    }
    switch (item.type) {
      case "message":
        appendMessage(messages, convertMessage(item, at, warnings));
        break;
      case "function_call":
        appendToolCall(messages, {
          id: item.call_id,
          type: "function",
          function: {
            name: flattenResponsesToolName(item.namespace, item.name),
            arguments: item.arguments,
          },
        });
        break;
      // A custom tool is a function of one string parameter for Chat (convert-responses-tools-to-chat.ts).
      case "custom_tool_call":
        appendToolCall(messages, {
          id: item.call_id,
          type: "function",
          function: {
            name: flattenResponsesToolName(item.namespace, item.name),
            arguments: JSON.stringify({ input: item.input }),
          },
        });
        break;
      case "function_call_output":
      case "custom_tool_call_output": {
        const output = convertFunctionOutputToChat(item.output, at, warnings);
        messages.push({ role: "tool", tool_call_id: item.call_id, content: output.text });
        toolImages.push(...output.images);
        break;
      }
      case "reasoning":
        break;
      case "item_reference":
        throw new InvalidRequestError(
          `${at}: item_reference points to a stored item, and CoGPT stores none; send the item itself`,
          { code: "unsupported_item_reference", param: at },
        );
      case "unsupported":
        warnings.push(
          `${at}: ${item.unsupportedType} items are not supported by Chat Completions and were dropped`,
        );
        break;
      default: {
        const unhandled: never = item;
        return unhandled;
      }
    }
  });
  if (toolImages.length > 0) messages.push({ role: "user", content: toolImages });
  return messages;
}

function convertMessage(
  item: MessageItem,
  at: string,
  warnings: string[],
): ChatMessageParam | undefined {
  if (typeof item.content === "string") return convertTextMessage(item.role, item.content);
  const parts = item.content;
  switch (item.role) {
    case "user": {
      const content = convertUserPartsToChat(parts, at, warnings);
      const only = content[0];
      if (only === undefined) return undefined;
      return {
        role: "user",
        content: content.length === 1 && only.type === "text" ? only.text : content,
      };
    }
    case "system":
    case "developer":
      return convertTextMessage(item.role, joinResponsesText(parts, at, warnings));
    case "assistant": {
      const text = joinResponsesText(parts, at, warnings);
      const refusal = parts.map((part) => (part.type === "refusal" ? part.refusal : "")).join("");
      if (text === "" && refusal === "") return undefined;
      const message: ChatMessageParam = { role: "assistant", content: text === "" ? null : text };
      if (refusal !== "") message.refusal = refusal;
      return message;
    }
    default: {
      const unhandled: never = item.role;
      return unhandled;
    }
  }
}

function convertTextMessage(role: MessageItem["role"], text: string): ChatMessageParam | undefined {
  switch (role) {
    case "user":
      return { role: "user", content: text };
    // Chat's `developer` role is OpenAI's alone; `system` reaches every vendor's model.
    case "system":
    case "developer":
      return text === "" ? undefined : { role: "system", content: text };
    case "assistant":
      return text === "" ? undefined : { role: "assistant", content: text };
    default: {
      const unhandled: never = role;
      return unhandled;
    }
  }
}

/** Consecutive assistant texts become one message, as Chat Completions and Claude expect. */
function appendMessage(messages: ChatMessageParam[], message: ChatMessageParam | undefined): void {
  if (message === undefined) return;
  const last = messages.at(-1);
  if (
    message.role === "assistant" &&
    last?.role === "assistant" &&
    last.tool_calls === undefined &&
    message.refusal === undefined &&
    last.refusal === undefined
  ) {
    last.content = [last.content, message.content].filter((text) => text !== null).join("\n\n");
    return;
  }
  messages.push(message);
}

function appendToolCall(messages: ChatMessageParam[], call: ChatToolCallParam): void {
  const last = messages.at(-1);
  if (last?.role === "assistant") {
    (last.tool_calls ??= []).push(call);
    return;
  }
  messages.push({ role: "assistant", content: null, tool_calls: [call] });
}
