import type { AnthropicUsage } from "../../protocols/anthropic/messages-response.js";
import type { ChatUpstreamUsage } from "../../protocols/openai/chat-wire.js";

/**
 * Chat Completions usage as Anthropic's. Anthropic counts cache reads apart from `input_tokens`
 * (the three add up to the prompt), where OpenAI's `prompt_tokens` includes the cached ones.
 * Copilot reports no cache writes. Without usage, `fallbackInputTokens` (an estimate) is used.
 */
export function toAnthropicUsage(
  usage: ChatUpstreamUsage | null | undefined,
  fallbackInputTokens = 0,
): AnthropicUsage {
  const prompt = usage?.prompt_tokens;
  const cached = prompt === undefined ? 0 : (usage?.prompt_tokens_details?.cached_tokens ?? 0);
  return {
    input_tokens: prompt === undefined ? fallbackInputTokens : Math.max(0, prompt - cached),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}
