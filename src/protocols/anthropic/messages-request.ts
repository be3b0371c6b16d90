import { z } from "zod";
import { stringOrArrayOf } from "../string-or-array-of.js";

/**
 * What clients send to `POST /v1/messages` and `POST /v1/messages/count_tokens`.
 * https://docs.anthropic.com/en/api/messages — fields the gateway reads are checked; unknown
 * fields pass (loose objects) so that a newer client is not refused for a field it may add.
 */
const cacheControlSchema = z.looseObject({ type: z.string() }).nullable().optional();

const BLOCKS = "Expected a string or an array of blocks";

export const anthropicTextBlockSchema = z.looseObject({
  type: z.literal("text"),
  text: z.string(),
  cache_control: cacheControlSchema,
});

const imageSourceSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("base64"), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal("url"), url: z.string() }),
  z.looseObject({ type: z.literal("file"), file_id: z.string() }),
]);

export const anthropicImageBlockSchema = z.looseObject({
  type: z.literal("image"),
  source: imageSourceSchema,
  cache_control: cacheControlSchema,
});

const documentSourceSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text"), media_type: z.string().optional(), data: z.string() }),
  z.looseObject({ type: z.literal("base64"), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal("url"), url: z.string() }),
  z.looseObject({
    type: z.literal("content"),
    content: stringOrArrayOf(
      z.discriminatedUnion("type", [anthropicTextBlockSchema, anthropicImageBlockSchema]),
      BLOCKS,
    ),
  }),
  z.looseObject({ type: z.literal("file"), file_id: z.string() }),
]);

export const anthropicDocumentBlockSchema = z.looseObject({
  type: z.literal("document"),
  source: documentSourceSchema,
  title: z.string().nullable().optional(),
  context: z.string().nullable().optional(),
  cache_control: cacheControlSchema,
});

/**
 * Block types of the Messages API that only Anthropic's own servers can act on (server tools,
 * search results, containers). They are accepted, then dropped with a warning when translated.
 */
export const uncarriedBlockTypes = [
  "search_result",
  "server_tool_use",
  "web_search_tool_result",
  "web_fetch_tool_result",
  "code_execution_tool_result",
  "bash_code_execution_tool_result",
  "text_editor_code_execution_tool_result",
  "tool_search_tool_result",
  "container_upload",
  "mcp_tool_use",
  "mcp_tool_result",
  "tool_reference",
  "browser_state",
] as const;

export type AnthropicUncarriedBlockType = (typeof uncarriedBlockTypes)[number];

const uncarriedBlockSchema = z.looseObject({ type: z.enum(uncarriedBlockTypes) });

/** Narrows a block union to, or away from, the blocks only Anthropic can act on. */
export function isUncarriedBlock<Block extends { type: string }>(
  block: Block,
): block is Extract<Block, { type: AnthropicUncarriedBlockType }> {
  return (uncarriedBlockTypes as readonly string[]).includes(block.type);
}

const toolResultBlockSchema = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string(),
  content: stringOrArrayOf(
    z.discriminatedUnion("type", [
      anthropicTextBlockSchema,
      anthropicImageBlockSchema,
      anthropicDocumentBlockSchema,
      uncarriedBlockSchema,
    ]),
    BLOCKS,
  ).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControlSchema,
});

const contentBlockSchema = z.discriminatedUnion("type", [
  anthropicTextBlockSchema,
  anthropicImageBlockSchema,
  anthropicDocumentBlockSchema,
  z.looseObject({
    type: z.literal("tool_use"),
    id: z.string(),
    name: z.string(),
    input: z.looseObject({}),
    cache_control: cacheControlSchema,
  }),
  toolResultBlockSchema,
  z.looseObject({
    type: z.literal("thinking"),
    thinking: z.string(),
    signature: z.string().optional(),
  }),
  z.looseObject({ type: z.literal("redacted_thinking"), data: z.string() }),
  uncarriedBlockSchema,
]);

const messageSchema = z.looseObject({
  // `system` turns inside `messages` are newer than the top-level `system` (SDK 1.x allows them).
  role: z.enum(["user", "assistant", "system"]),
  content: stringOrArrayOf(contentBlockSchema, BLOCKS),
});

const toolSchema = z
  .looseObject({
    name: z.string().min(1),
    // Absent, null or "custom" for a client tool; a dated type (web_search_20250305, …) otherwise.
    type: z.string().nullable().optional(),
    description: z.string().optional(),
    input_schema: z.looseObject({}).optional(),
    strict: z.boolean().optional(),
    cache_control: cacheControlSchema,
  })
  .refine((tool) => !isCustomTool(tool) || tool.input_schema !== undefined, {
    message: "Required for a custom tool",
    path: ["input_schema"],
  });

const parallelOption = { disable_parallel_tool_use: z.boolean().optional() };

const toolChoiceSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("auto"), ...parallelOption }),
  z.looseObject({ type: z.literal("any"), ...parallelOption }),
  z.looseObject({ type: z.literal("tool"), name: z.string().min(1), ...parallelOption }),
  z.looseObject({ type: z.literal("none") }),
]);

const thinkingSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("enabled"), budget_tokens: z.number().int().positive() }),
  z.looseObject({ type: z.literal("disabled") }),
  z.looseObject({ type: z.literal("adaptive") }),
  z.looseObject({ type: z.literal("between_tools") }),
]);

const outputConfigSchema = z.looseObject({
  effort: z.string().nullable().optional(),
  format: z
    .looseObject({ type: z.literal("json_schema"), schema: z.looseObject({}) })
    .nullable()
    .optional(),
});

export const anthropicMessagesRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  max_tokens: z.number().int().positive(),
  system: stringOrArrayOf(anthropicTextBlockSchema, BLOCKS).optional(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  top_k: z.number().optional(),
  metadata: z.looseObject({ user_id: z.string().nullable().optional() }).optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  thinking: thinkingSchema.optional(),
  output_config: outputConfigSchema.optional(),
});

/** `count_tokens` takes the same body without `max_tokens`. */
export const anthropicCountTokensRequestSchema = anthropicMessagesRequestSchema.extend({
  max_tokens: z.number().int().positive().optional(),
});

export type AnthropicMessagesRequest = z.infer<typeof anthropicMessagesRequestSchema>;
export type AnthropicCountTokensRequest = z.infer<typeof anthropicCountTokensRequestSchema>;
export type AnthropicMessageParam = z.infer<typeof messageSchema>;
export type AnthropicContentBlockParam = z.infer<typeof contentBlockSchema>;
export type AnthropicTextBlockParam = z.infer<typeof anthropicTextBlockSchema>;
export type AnthropicImageBlockParam = z.infer<typeof anthropicImageBlockSchema>;
export type AnthropicDocumentBlockParam = z.infer<typeof anthropicDocumentBlockSchema>;
export type AnthropicToolResultBlockParam = z.infer<typeof toolResultBlockSchema>;
export type AnthropicToolParam = z.infer<typeof toolSchema>;
export type AnthropicToolChoice = z.infer<typeof toolChoiceSchema>;
export type AnthropicThinkingConfig = z.infer<typeof thinkingSchema>;

/** A tool the client runs itself, described by its JSON schema (not an Anthropic server tool). */
export function isCustomTool(tool: { type?: string | null | undefined }): boolean {
  return tool.type === undefined || tool.type === null || tool.type === "custom";
}
