import { z } from "zod";
import type {
  ChatCompletionsRequestBody,
  ChatContentPartParam,
  ChatFunctionToolParam,
  ChatMessageParam,
  ChatToolCallParam,
  ChatToolChoiceParam,
} from "./chat-wire.js";

/*
 * Copilot's `/chat/completions` answers as the translations read them (zod, since upstream answers
 * are untrusted), and the request shapes they send (chat-wire.ts, under the names the Anthropic
 * translation uses). Only the subset the translations use.
 * https://platform.openai.com/docs/api-reference/chat
 */
export type OpenAIContentPart = ChatContentPartParam;
export type OpenAIToolCall = ChatToolCallParam;
export type OpenAIChatMessageParam = ChatMessageParam;
export type OpenAIFunctionTool = ChatFunctionToolParam;
export type OpenAIToolChoice = ChatToolChoiceParam;
export type OpenAIChatRequestBody = ChatCompletionsRequestBody;

const optionalText = z.string().nullable().optional();

const usageSchema = z.looseObject({
  prompt_tokens: z.number().optional(),
  completion_tokens: z.number().optional(),
  prompt_tokens_details: z
    .looseObject({ cached_tokens: z.number().nullable().optional() })
    .nullable()
    .optional(),
});

export type OpenAIUsage = z.infer<typeof usageSchema>;

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

export const openAIChatChunkSchema = z.looseObject({
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

export type OpenAIChatChunk = z.infer<typeof openAIChatChunkSchema>;

export const openAIChatCompletionSchema = z.looseObject({
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

export type OpenAIChatCompletion = z.infer<typeof openAIChatCompletionSchema>;
