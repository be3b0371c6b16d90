/**
 * The Chat Completions answers CoGPT builds itself (when a Chat Completions client is served
 * through Copilot's `/responses`): the completion object and the stream chunks.
 * https://platform.openai.com/docs/api-reference/chat/object and …/chat-streaming
 */

export type ChatFinishReason = "stop" | "length" | "tool_calls" | "content_filter";

export interface ChatCompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

export interface ChatCompletionToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ChatCompletionMessage {
  role: "assistant";
  content: string | null;
  refusal: string | null;
  /** Reasoning text, under the name most OpenAI-compatible clients read. */
  reasoning_content?: string;
  tool_calls?: ChatCompletionToolCall[];
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: {
    index: number;
    message: ChatCompletionMessage;
    finish_reason: ChatFinishReason;
    logprobs: null;
  }[];
  usage?: ChatCompletionUsage;
}

export interface ChatToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function: { name?: string; arguments: string };
}

export interface ChatChunkDelta {
  role?: "assistant";
  content?: string;
  refusal?: string;
  reasoning_content?: string;
  tool_calls?: ChatToolCallDelta[];
}

export interface ChatCompletionChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: { index: number; delta: ChatChunkDelta; finish_reason: ChatFinishReason | null }[];
  usage?: ChatCompletionUsage;
  /** Copilot's own cost of the answer (`copilot_usage`), carried through untouched. */
  copilot_usage?: unknown;
}
