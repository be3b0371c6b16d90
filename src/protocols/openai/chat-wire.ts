import { z } from "zod";

/*
 * The Chat Completions API between CoGPT and Copilot: the body CoGPT sends to `/chat/completions`
 * (plain types) when it translates another API (Anthropic Messages, Responses) to it, and what
 * Copilot answers (zod, since upstream answers are untrusted). Only the subset the translations
 * use.
 * https://platform.openai.com/docs/api-reference/chat
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
export type OpenAIChatRequestBody = {
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

const optionalText = z.string().nullable().optional();

const usageSchema = z.looseObject({
  prompt_tokens: z.number().optional(),
  completion_tokens: z.number().optional(),
  prompt_tokens_details: z
    .looseObject({ cached_tokens: z.number().nullable().optional() })
    .nullable()
    .optional(),
});

export type ChatUpstreamUsage = z.infer<typeof usageSchema>;

/*
 * Reasoning text arrives under different names: `reasoning_content` (OpenAI-compatible servers),
 * `reasoning_text` with `reasoning_opaque` (Copilot's extension; the opaque part is encrypted
 * reasoning state, the nearest thing to a signature), `cot_summary` (Copilot's o-series).
 */
const reasoningFields = {
  reasoning_content: optionalText,
  reasoning_text: optionalText,
  reasoning_opaque: optionalText,
  cot_summary: optionalText,
};

const toolCallDeltaSchema = z.looseObject({
  index: z.number().int().nonnegative().optional(),
  id: optionalText,
  function: z.looseObject({ name: optionalText, arguments: optionalText }).nullable().optional(),
});

export const chatUpstreamChunkSchema = z.looseObject({
  id: z.string().optional(),
  choices: z
    .array(
      z.looseObject({
        index: z.number().optional(),
        delta: z
          .looseObject({
            content: optionalText,
            refusal: optionalText,
            ...reasoningFields,
            tool_calls: z.array(toolCallDeltaSchema).nullable().optional(),
          })
          .nullable()
          .optional(),
        finish_reason: optionalText,
      }),
    )
    .optional(),
  usage: usageSchema.nullable().optional(),
  error: z.looseObject({ message: z.string().optional() }).nullable().optional(),
});

export type ChatUpstreamChunk = z.infer<typeof chatUpstreamChunkSchema>;

export const chatUpstreamCompletionSchema = z.looseObject({
  id: z.string().optional(),
  choices: z.array(
    z.looseObject({
      index: z.number().optional(),
      message: z.looseObject({
        content: optionalText,
        refusal: optionalText,
        ...reasoningFields,
        tool_calls: z
          .array(
            z.looseObject({
              id: z.string(),
              function: z.looseObject({ name: z.string(), arguments: optionalText }),
            }),
          )
          .nullable()
          .optional(),
      }),
      finish_reason: optionalText,
    }),
  ),
  usage: usageSchema.nullable().optional(),
});

export type ChatUpstreamCompletion = z.infer<typeof chatUpstreamCompletionSchema>;
