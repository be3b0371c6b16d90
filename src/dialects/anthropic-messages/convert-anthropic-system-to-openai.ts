import type { AnthropicTextBlockParam } from "../../protocols/anthropic/messages-request.js";

// Claude Code writes its attribution as a line of the system prompt; Copilot refuses the request
// because the line holds a reserved keyword, and no model needs it.
const BILLING_HEADER_PREFIX = "x-anthropic-billing-header:";

/**
 * The Anthropic `system` (a string or text blocks) as one system message text: blocks joined by
 * a blank line, billing-header lines removed, and undefined when nothing is left.
 * `cache_control` marks are dropped: Chat Completions has no way to ask for prompt caching.
 */
export function convertAnthropicSystemToOpenAI(
  system: string | readonly AnthropicTextBlockParam[] | undefined,
): string | undefined {
  if (system === undefined) return undefined;
  const texts = typeof system === "string" ? [system] : system.map((block) => block.text);
  const kept = texts.map(removeBillingHeaderLines).filter((text) => text.trim() !== "");
  return kept.length === 0 ? undefined : kept.join("\n\n");
}

export function removeBillingHeaderLines(text: string): string {
  if (!text.includes(BILLING_HEADER_PREFIX)) return text;
  return text
    .split("\n")
    .filter((line) => !line.trimStart().startsWith(BILLING_HEADER_PREFIX))
    .join("\n");
}
