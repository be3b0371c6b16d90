import type {
  ChatRequestContentPart,
  ChatRequestMessage,
} from "../../protocols/openai/chat-request-details.js";
import type {
  ResponsesInputContentParam,
  ResponsesInputItemParam,
} from "../../protocols/openai/responses-wire.js";

export interface ConvertedChatMessages {
  /** The leading system and developer messages, joined. */
  readonly instructions?: string;
  readonly input: ResponsesInputItemParam[];
}

type Content = Extract<ChatRequestMessage, { role: "user" }>["content"];

/**
 * Chat Completions messages as Responses `instructions` and `input` items. The system and
 * developer messages that open the conversation become `instructions`; later ones stay where they
 * are, as input messages of their role. Assistant tool calls become `function_call` items, tool
 * (and legacy function) results `function_call_output` items.
 */
export function convertChatMessagesToResponses(
  messages: readonly ChatRequestMessage[],
  warnings: string[],
): ConvertedChatMessages {
  const leading: string[] = [];
  const input: ResponsesInputItemParam[] = [];
  // Legacy function calls carry no id: each result answers the call made just before it.
  let legacyCallId: string | undefined;
  let legacyCalls = 0;

  messages.forEach((message, index) => {
    const at = `messages[${index}]`;
    switch (message.role) {
      case "system":
      case "developer": {
        const text = convertTextContent(message.content, at, warnings);
        if (text === "") break;
        if (input.length === 0) leading.push(text);
        else input.push({ type: "message", role: message.role, content: text });
        break;
      }
      case "user": {
        const content = convertUserContent(message.content, at, warnings);
        if (content !== undefined) input.push({ type: "message", role: "user", content });
        break;
      }
      case "assistant": {
        const text = [
          convertTextContent(message.content, at, warnings),
          message.refusal ?? "",
        ].join("");
        if (text !== "") input.push({ type: "message", role: "assistant", content: text });
        (message.tool_calls ?? []).forEach((call, callIndex) => {
          if (call.type === "unsupported") {
            warnings.push(
              `${at}.tool_calls[${callIndex}]: ${call.unsupportedType} tool calls are not supported and were dropped`,
            );
            return;
          }
          input.push({
            type: "function_call",
            call_id: call.id,
            name: call.function.name,
            arguments: call.function.arguments ?? "",
          });
        });
        const legacy = message.function_call;
        if (legacy !== undefined && legacy !== null) {
          legacyCallId = `call_legacy_${legacyCalls++}`;
          input.push({
            type: "function_call",
            call_id: legacyCallId,
            name: legacy.name,
            arguments: legacy.arguments ?? "",
          });
        }
        break;
      }
      case "tool":
        input.push({
          type: "function_call_output",
          call_id: message.tool_call_id,
          output: convertTextContent(message.content, at, warnings),
        });
        break;
      case "function":
        if (legacyCallId === undefined) {
          warnings.push(`${at}: a function result without a function call before it was dropped`);
          break;
        }
        input.push({
          type: "function_call_output",
          call_id: legacyCallId,
          output: convertTextContent(message.content, at, warnings),
        });
        break;
      default: {
        const unhandled: never = message;
        return unhandled;
      }
    }
  });
  return leading.length > 0 ? { instructions: leading.join("\n\n"), input } : { input };
}

function convertUserContent(
  content: Content,
  at: string,
  warnings: string[],
): string | ResponsesInputContentParam[] | undefined {
  if (content === undefined || content === null) return undefined;
  if (typeof content === "string") return content;
  const parts: ResponsesInputContentParam[] = [];
  content.forEach((part, index) => {
    const converted = convertUserPart(part, `${at}.content[${index}]`, warnings);
    if (converted !== undefined) parts.push(converted);
  });
  return parts.length > 0 ? parts : undefined;
}

function convertUserPart(
  part: ChatRequestContentPart,
  at: string,
  warnings: string[],
): ResponsesInputContentParam | undefined {
  switch (part.type) {
    case "text":
      return { type: "input_text", text: part.text };
    case "refusal":
      return { type: "input_text", text: part.refusal };
    case "image_url":
      // The Responses API wants a detail; "auto" is what Chat Completions assumes without one.
      return {
        type: "input_image",
        image_url: part.image_url.url,
        detail: part.image_url.detail ?? "auto",
      };
    case "file": {
      const file: Extract<ResponsesInputContentParam, { type: "input_file" }> = {
        type: "input_file",
      };
      if (typeof part.file.file_data === "string") file.file_data = part.file.file_data;
      if (typeof part.file.file_id === "string") file.file_id = part.file.file_id;
      if (typeof part.file.filename === "string") file.filename = part.file.filename;
      return file;
    }
    case "unsupported":
      warnings.push(
        `${at}: ${part.unsupportedType} parts are not supported by the Responses API and were dropped`,
      );
      return undefined;
    default: {
      const unhandled: never = part;
      return unhandled;
    }
  }
}

/** System, developer, assistant and tool content, which the Responses API takes as text here. */
function convertTextContent(content: Content, at: string, warnings: string[]): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  const texts: string[] = [];
  content.forEach((part, index) => {
    switch (part.type) {
      case "text":
        texts.push(part.text);
        break;
      case "refusal":
        texts.push(part.refusal);
        break;
      case "image_url":
      case "file":
        warnings.push(
          `${at}.content[${index}]: ${part.type} parts are only carried in user messages and were dropped`,
        );
        break;
      case "unsupported":
        warnings.push(
          `${at}.content[${index}]: ${part.unsupportedType} parts are not supported by the Responses API and were dropped`,
        );
        break;
      default: {
        const unhandled: never = part;
        return unhandled;
      }
    }
  });
  return texts.join("\n\n");
}
