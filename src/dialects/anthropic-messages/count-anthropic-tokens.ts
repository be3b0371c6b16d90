import {
  isUncarriedBlock,
  type AnthropicContentBlockParam,
  type AnthropicCountTokensRequest,
  type AnthropicToolResultBlockParam,
} from "../../protocols/anthropic/messages-request.js";
import { convertAnthropicSystemToOpenAI } from "./convert-anthropic-system-to-openai.js";

/*
 * A local estimate for `POST /v1/messages/count_tokens` (Copilot has no counting route): the text
 * the model reads, counted with the model's tokenizer, plus fixed costs for what is not text.
 */

// Per message, the role and separators, as OpenAI counts chat messages; and the reply's priming.
const MESSAGE_OVERHEAD = 3;
const REPLY_PRIMING = 3;
// Image cost depends on its size ((width × height) / 750 at Anthropic), which would mean decoding
// it; 1600 is that of a picture of about 1100 × 1100 pixels, near what clients usually send.
const IMAGE_TOKENS = 1600;
// PDFs and other binary documents: the same rough figure (about one page).
const BINARY_DOCUMENT_TOKENS = 1600;
// Anthropic's tool-use system prompt for Claude 4 models with tool_choice auto (pricing page).
const TOOL_USE_SYSTEM_TOKENS = 346;

type CountText = (text: string) => number;
type ToolResultPart = Exclude<AnthropicToolResultBlockParam["content"], string | undefined>[number];

/** `tokenizer` is the model's `capabilities.tokenizer`; unknown names count as o200k_base. */
export async function countAnthropicTokens(
  request: AnthropicCountTokensRequest,
  tokenizer: string,
): Promise<number> {
  const countText = await loadTokenCounter(tokenizer);
  let total = REPLY_PRIMING;
  const system = convertAnthropicSystemToOpenAI(request.system);
  if (system !== undefined) total += MESSAGE_OVERHEAD + countText(system);
  for (const message of request.messages) {
    total += MESSAGE_OVERHEAD;
    if (typeof message.content === "string") total += countText(message.content);
    else for (const block of message.content) total += countBlock(block, countText);
  }
  const tools = request.tools ?? [];
  if (tools.length > 0) total += TOOL_USE_SYSTEM_TOKENS;
  for (const tool of tools) {
    total += countText(tool.name);
    total += countText(tool.description ?? "");
    total += countText(JSON.stringify(tool.input_schema ?? { type: tool.type }));
  }
  return total;
}

function countBlock(
  block: AnthropicContentBlockParam | ToolResultPart,
  countText: CountText,
): number {
  // Server-tool blocks: their JSON is what the model reads.
  if (isUncarriedBlock(block)) return countText(JSON.stringify(block));
  switch (block.type) {
    case "text":
      return countText(block.text);
    case "image":
      return IMAGE_TOKENS;
    case "document":
      return countDocument(block.source, countText) + countText(block.title ?? "");
    case "tool_use":
      return countText(block.name) + countText(JSON.stringify(block.input));
    case "tool_result":
      if (typeof block.content === "string") return countText(block.content);
      return (block.content ?? []).reduce((sum, part) => sum + countBlock(part, countText), 0);
    // Thinking from earlier turns is stripped from the context by Anthropic.
    case "thinking":
    case "redacted_thinking":
      return 0;
    default: {
      const unhandled: never = block;
      return unhandled;
    }
  }
}

function countDocument(
  source: Extract<AnthropicContentBlockParam, { type: "document" }>["source"],
  countText: CountText,
): number {
  switch (source.type) {
    case "text":
      return countText(source.data);
    case "content":
      if (typeof source.content === "string") return countText(source.content);
      return source.content.reduce((sum, part) => sum + countBlock(part, countText), 0);
    case "base64":
    case "url":
    case "file":
      return BINARY_DOCUMENT_TOKENS;
    default: {
      const unhandled: never = source;
      return unhandled;
    }
  }
}

// Each encoding module holds a large rank table: loaded on first use, once.
const tokenCounters = new Map<string, Promise<CountText>>();

function loadTokenCounter(tokenizer: string): Promise<CountText> {
  const name = tokenizer === "cl100k_base" ? "cl100k_base" : "o200k_base";
  let counter = tokenCounters.get(name);
  if (counter === undefined) {
    const module =
      name === "cl100k_base"
        ? import("gpt-tokenizer/encoding/cl100k_base")
        : import("gpt-tokenizer/encoding/o200k_base");
    // Special-token text ("<|endoftext|>") in a prompt is ordinary text to count, not an error.
    const options = { disallowedSpecial: new Set<string>() };
    counter = module.then((encoding) => (text: string) => encoding.countTokens(text, options));
    // A failed load is not kept, so the next request tries again.
    counter.catch(() => tokenCounters.delete(name));
    tokenCounters.set(name, counter);
  }
  return counter;
}
