import type {
  AnthropicDocumentBlockParam,
  AnthropicImageBlockParam,
} from "../../protocols/anthropic/messages-request.js";
import type { ChatContentPartParam } from "../../protocols/openai/chat-wire.js";

/**
 * An Anthropic image as a Chat Completions `image_url` part: base64 data becomes a data URL,
 * a URL passes as is. A Files API id cannot be resolved outside Anthropic: dropped, with a warning.
 */
export function convertAnthropicImageToOpenAI(
  image: AnthropicImageBlockParam,
  at: string,
  warnings: string[],
): ChatContentPartParam[] {
  const source = image.source;
  switch (source.type) {
    case "base64":
      return [
        {
          type: "image_url",
          image_url: { url: `data:${source.media_type};base64,${source.data}` },
        },
      ];
    case "url":
      return [{ type: "image_url", image_url: { url: source.url } }];
    case "file":
      warnings.push(`${at}: an image given by Anthropic file id cannot be carried and was dropped`);
      return [];
    default: {
      const unhandled: never = source;
      return unhandled;
    }
  }
}

/**
 * An Anthropic document as Chat Completions parts. Text documents become a labelled text part so
 * the model still sees where the document starts and ends and what it is called; images inside
 * a `content` document become image parts. PDFs, URLs and file ids would need Anthropic's own
 * document processing: dropped, with a warning.
 */
export function convertAnthropicDocumentToOpenAI(
  document: AnthropicDocumentBlockParam,
  at: string,
  warnings: string[],
): ChatContentPartParam[] {
  const source = document.source;
  switch (source.type) {
    case "text":
      return [{ type: "text", text: labelDocument(document, source.data) }];
    case "content": {
      if (typeof source.content === "string") {
        return [{ type: "text", text: labelDocument(document, source.content) }];
      }
      const texts: string[] = [];
      const images: ChatContentPartParam[] = [];
      source.content.forEach((block, index) => {
        if (block.type === "text") texts.push(block.text);
        else
          images.push(
            ...convertAnthropicImageToOpenAI(block, `${at}.source.content[${index}]`, warnings),
          );
      });
      return [{ type: "text", text: labelDocument(document, texts.join("\n\n")) }, ...images];
    }
    case "base64":
      warnings.push(
        `${at}: a base64 document (${source.media_type}) cannot be carried by Chat Completions and was dropped`,
      );
      return [];
    case "url":
      warnings.push(`${at}: a document given by URL cannot be carried and was dropped`);
      return [];
    case "file":
      warnings.push(
        `${at}: a document given by Anthropic file id cannot be carried and was dropped`,
      );
      return [];
    default: {
      const unhandled: never = source;
      return unhandled;
    }
  }
}

function labelDocument(document: AnthropicDocumentBlockParam, body: string): string {
  const title = document.title ?? "";
  const context = document.context ?? "";
  const open = title === "" ? "<document>" : `<document title="${title}">`;
  const contextLine = context === "" ? "" : `<context>${context}</context>\n`;
  return `${open}\n${contextLine}${body}\n</document>`;
}
