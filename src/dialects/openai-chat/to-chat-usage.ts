import type { ChatCompletionUsage } from "../../protocols/openai/chat-response.js";
import type { ResponsesUpstreamUsage } from "../../protocols/openai/responses-wire.js";

/** Responses usage as Chat Completions': input → prompt and output → completion tokens. */
export function toChatUsage(usage: ResponsesUpstreamUsage | null | undefined): ChatCompletionUsage {
  const prompt = usage?.input_tokens ?? 0;
  const completion = usage?.output_tokens ?? 0;
  const total = usage?.total_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: total > 0 ? total : prompt + completion,
    prompt_tokens_details: { cached_tokens: usage?.input_tokens_details?.cached_tokens ?? 0 },
    completion_tokens_details: {
      reasoning_tokens: usage?.output_tokens_details?.reasoning_tokens ?? 0,
    },
  };
}
