import { z } from "zod";

/**
 * What clients send to `/v1/chat/completions`. Only what the gateway reads is checked; every
 * other field passes through to Copilot untouched (loose objects).
 * https://platform.openai.com/docs/api-reference/chat/create
 */
const contentPartSchema = z.looseObject({ type: z.string() });

const chatMessageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(contentPartSchema), z.null()]).optional(),
});

export const openAIChatRequestSchema = z.looseObject({
  model: z.string().optional(),
  messages: z.array(chatMessageSchema).min(1),
  stream: z.boolean().nullable().optional(),
  n: z.number().int().min(1).max(128).nullable().optional(),
  tools: z
    .array(z.looseObject({ type: z.string() }))
    .nullable()
    .optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
});

export type OpenAIChatRequest = z.infer<typeof openAIChatRequestSchema>;
export type OpenAIChatMessage = z.infer<typeof chatMessageSchema>;

export const openAIEmbeddingsRequestSchema = z.looseObject({
  model: z.string().optional(),
  input: z.union([z.string(), z.array(z.string()).min(1)]),
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: z.number().int().positive().max(16_384).optional(),
  user: z.string().optional(),
});

export type OpenAIEmbeddingsRequest = z.infer<typeof openAIEmbeddingsRequestSchema>;
