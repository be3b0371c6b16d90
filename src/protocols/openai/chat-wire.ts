/*
 * The Chat Completions body CoGPT sends to Copilot when it translates another API (Anthropic
 * Messages, Responses) to `/chat/completions`. Plain types: CoGPT builds it. Copilot's answers are
 * read with the zod schemas of chat-upstream.ts.
 * https://platform.openai.com/docs/api-reference/chat/create
 */

export type ChatContentPartParam =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string; detail?: "auto" | "low" | "high" } };

export interface ChatToolCallParam {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type ChatMessageParam =
  | { role: "system"; content: string }
  | { role: "user"; content: string | ChatContentPartParam[] }
  | {
      role: "assistant";
      content: string | null;
      refusal?: string;
      tool_calls?: ChatToolCallParam[];
    }
  | { role: "tool"; tool_call_id: string; content: string };

export interface ChatFunctionToolParam {
  type: "function";
  function: {
    name: string;
    description?: string;
    parameters: Record<string, unknown>;
    strict?: boolean;
  };
}

export type ChatToolChoiceParam =
  "auto" | "none" | "required" | { type: "function"; function: { name: string } };

export type ChatResponseFormatParam =
  | { type: "json_object" }
  | {
      type: "json_schema";
      json_schema: {
        name: string;
        schema: Record<string, unknown>;
        description?: string;
        strict?: boolean;
      };
    };

// A type alias, not an interface, so that it is also a Record<string, unknown>.
export type ChatCompletionsRequestBody = {
  model: string;
  messages: ChatMessageParam[];
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  user?: string;
  tools?: ChatFunctionToolParam[];
  tool_choice?: ChatToolChoiceParam;
  stop?: string[];
  parallel_tool_calls?: boolean;
  reasoning_effort?: string;
  response_format?: ChatResponseFormatParam;
  stream?: boolean;
  stream_options?: { include_usage: boolean };
};
