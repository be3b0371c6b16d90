import type { ChatContentPartParam } from "../../protocols/openai/chat-wire.js";
import type {
  ResponsesFunctionOutputPart,
  ResponsesInputImage,
  ResponsesMessagePart,
} from "../../protocols/openai/responses-request.js";

/** User message parts as Chat Completions parts: text and images; files and audio are dropped. */
export function convertUserPartsToChat(
  parts: readonly ResponsesMessagePart[],
  at: string,
  warnings: string[],
): ChatContentPartParam[] {
  const content: ChatContentPartParam[] = [];
  parts.forEach((part, index) => {
    const partAt = `${at}.content[${index}]`;
    switch (part.type) {
      case "input_text":
      case "output_text":
        content.push({ type: "text", text: part.text });
        break;
      case "refusal":
        content.push({ type: "text", text: part.refusal });
        break;
      case "input_image": {
        const image = convertImage(part, partAt, warnings);
        if (image !== undefined) content.push(image);
        break;
      }
      case "input_file":
      case "unsupported":
        warnDroppedPart(part, partAt, warnings);
        break;
      default: {
        const unhandled: never = part;
        return unhandled;
      }
    }
  });
  return content;
}

/** The text of system, developer and assistant messages, which Chat Completions takes as text. */
export function joinResponsesText(
  parts: readonly ResponsesMessagePart[],
  at: string,
  warnings: string[],
): string {
  const texts: string[] = [];
  parts.forEach((part, index) => {
    switch (part.type) {
      case "input_text":
      case "output_text":
        texts.push(part.text);
        break;
      case "refusal":
        break;
      case "input_image":
      case "input_file":
      case "unsupported":
        warnDroppedPart(part, `${at}.content[${index}]`, warnings);
        break;
      default: {
        const unhandled: never = part;
        return unhandled;
      }
    }
  });
  return texts.join("\n\n");
}

/**
 * A function output as the text of a Chat Completions tool message, and the images it held,
 * which a tool message cannot carry.
 */
export function convertFunctionOutputToChat(
  output: string | readonly ResponsesFunctionOutputPart[],
  at: string,
  warnings: string[],
): { text: string; images: ChatContentPartParam[] } {
  if (typeof output === "string") return { text: output, images: [] };
  const texts: string[] = [];
  const images: ChatContentPartParam[] = [];
  output.forEach((part, index) => {
    const partAt = `${at}.output[${index}]`;
    switch (part.type) {
      case "input_text":
        texts.push(part.text);
        break;
      case "input_image": {
        const image = convertImage(part, partAt, warnings);
        if (image !== undefined) images.push(image);
        break;
      }
      case "input_file":
      case "unsupported":
        warnDroppedPart(part, partAt, warnings);
        break;
      default: {
        const unhandled: never = part;
        return unhandled;
      }
    }
  });
  return { text: texts.join("\n"), images };
}

const CHAT_IMAGE_DETAILS = new Set(["auto", "low", "high"]);

function convertImage(
  part: ResponsesInputImage,
  at: string,
  warnings: string[],
): ChatContentPartParam | undefined {
  const url = part.image_url;
  if (typeof url !== "string" || url === "") {
    warnings.push(
      `${at}: an image given by file_id needs OpenAI's file store, which Copilot lacks; it was dropped`,
    );
    return undefined;
  }
  const detail = part.detail;
  if (typeof detail === "string" && CHAT_IMAGE_DETAILS.has(detail)) {
    return {
      type: "image_url",
      image_url: { url, detail: detail as "auto" | "low" | "high" },
    };
  }
  return { type: "image_url", image_url: { url } };
}

function warnDroppedPart(
  part: { type: string; unsupportedType?: string },
  at: string,
  warnings: string[],
): void {
  const type = part.type === "unsupported" ? part.unsupportedType : part.type;
  warnings.push(`${at}: ${type} parts are not supported by Chat Completions and were dropped`);
}
