import { z } from "zod";
import { knownTypeOrUnsupported } from "./typed-union.js";

/*
 * The Responses API between CoGPT and Copilot: the body CoGPT sends to `/responses` (plain types)
 * when it serves a Chat Completions client, and what Copilot answers (zod, since upstream
 * answers are untrusted). Only the subset the translation uses.
 * https://platform.openai.com/docs/api-reference/responses
 */

export type ResponsesInputContentParam =
  | { type: "input_text"; text: string }
  | { type: "input_image"; image_url: string; detail: string }
  | { type: "input_file"; file_data?: string; file_id?: string; filename?: string };

export type ResponsesInputItemParam =
  | {
      type: "message";
      role: "user" | "system" | "developer";
      content: string | ResponsesInputContentParam[];
    }
  | { type: "message"; role: "assistant"; content: string }
  | { type: "function_call"; call_id: string; name: string; arguments: string }
  | { type: "function_call_output"; call_id: string; output: string };

export interface ResponsesFunctionToolParam {
  type: "function";
  name: string;
  description?: string;
  parameters: Record<string, unknown> | null;
  strict: boolean;
}

export type ResponsesToolChoiceParam =
  | "auto"
  | "none"
  | "required"
  | { type: "function"; name: string }
  | {
      type: "allowed_tools";
      mode: "auto" | "required";
      tools: { type: "function"; name: string }[];
    };

export type ResponsesTextFormatParam =
  | { type: "text" }
  | { type: "json_object" }
  | {
      type: "json_schema";
      name: string;
      schema: Record<string, unknown>;
      description?: string;
      strict?: boolean;
    };

// A type alias, not an interface, so that it is also a Record<string, unknown>.
export type OpenAIResponsesRequestBody = {
  model: string;
  input: ResponsesInputItemParam[];
  instructions?: string;
  max_output_tokens?: number;
  temperature?: number;
  top_p?: number;
  tools?: ResponsesFunctionToolParam[];
  tool_choice?: ResponsesToolChoiceParam;
  parallel_tool_calls?: boolean;
  reasoning?: { effort: string };
  text?: { format?: ResponsesTextFormatParam; verbosity?: string };
  user?: string;
  safety_identifier?: string;
  prompt_cache_key?: string;
  /** CoGPT keeps no conversation state, and asks Copilot to keep none either. */
  store: false;
  stream?: boolean;
};

const optionalCount = z.number().nullable().optional();

const usageSchema = z.looseObject({
  input_tokens: optionalCount,
  output_tokens: optionalCount,
  total_tokens: optionalCount,
  input_tokens_details: z.looseObject({ cached_tokens: optionalCount }).nullable().optional(),
  output_tokens_details: z.looseObject({ reasoning_tokens: optionalCount }).nullable().optional(),
});

export type ResponsesUpstreamUsage = z.infer<typeof usageSchema>;

const contentSchema = knownTypeOrUnsupported(
  z.discriminatedUnion("type", [
    z.looseObject({ type: z.literal("output_text"), text: z.string() }),
    z.looseObject({ type: z.literal("refusal"), refusal: z.string() }),
  ]),
  ["output_text", "refusal"],
);

const textPartsSchema = z
  .array(z.looseObject({ text: z.string() }))
  .nullable()
  .optional();

const outputItemSchema = knownTypeOrUnsupported(
  z.discriminatedUnion("type", [
    z.looseObject({ type: z.literal("message"), content: z.array(contentSchema).optional() }),
    z.looseObject({
      type: z.literal("function_call"),
      call_id: z.string(),
      name: z.string(),
      arguments: z.string().optional(),
    }),
    z.looseObject({
      type: z.literal("reasoning"),
      summary: textPartsSchema,
      content: textPartsSchema,
      encrypted_content: z.string().nullable().optional(),
    }),
  ]),
  ["message", "function_call", "reasoning"],
);

export type ResponsesUpstreamOutputItem = z.infer<typeof outputItemSchema>;

const errorSchema = z
  .looseObject({
    code: z.string().nullable().optional(),
    message: z.string().nullable().optional(),
  })
  .nullable()
  .optional();

export const responsesUpstreamResponseSchema = z.looseObject({
  id: z.string().optional(),
  created_at: z.number().optional(),
  status: z.string().optional(),
  output: z.array(outputItemSchema).optional(),
  usage: usageSchema.nullable().optional(),
  error: errorSchema,
  incomplete_details: z
    .looseObject({ reason: z.string().nullable().optional() })
    .nullable()
    .optional(),
});

export type ResponsesUpstreamResponse = z.infer<typeof responsesUpstreamResponseSchema>;

/** A whole Response relayed to the client unchanged: it must at least carry its output list. */
export const responsesUpstreamAnswerSchema = responsesUpstreamResponseSchema.extend({
  output: z.array(outputItemSchema),
});

const itemEvent = { output_index: z.number().int().nonnegative() };
const responseEvent = { response: responsesUpstreamResponseSchema };

/**
 * The stream events the translation acts on. Everything else (`keepalive`, content part and
 * summary part boundaries, annotations, hosted tool progress) is `unsupported` and ignored.
 * Copilot changes `item_id` and `response.id` from event to event: only `output_index` is read.
 */
export const responsesUpstreamEventSchema = knownTypeOrUnsupported(
  z.discriminatedUnion("type", [
    z.looseObject({ type: z.literal("response.created"), ...responseEvent }),
    z.looseObject({ type: z.literal("response.in_progress"), ...responseEvent }),
    z.looseObject({ type: z.literal("response.completed"), ...responseEvent }),
    z.looseObject({ type: z.literal("response.incomplete"), ...responseEvent }),
    z.looseObject({ type: z.literal("response.failed"), ...responseEvent }),
    z.looseObject({
      type: z.literal("response.output_item.added"),
      ...itemEvent,
      item: outputItemSchema,
    }),
    z.looseObject({
      type: z.literal("response.output_item.done"),
      ...itemEvent,
      item: outputItemSchema,
    }),
    z.looseObject({
      type: z.literal("response.output_text.delta"),
      ...itemEvent,
      delta: z.string(),
    }),
    z.looseObject({ type: z.literal("response.output_text.done"), ...itemEvent, text: z.string() }),
    z.looseObject({ type: z.literal("response.refusal.delta"), ...itemEvent, delta: z.string() }),
    z.looseObject({
      type: z.literal("response.function_call_arguments.delta"),
      ...itemEvent,
      delta: z.string(),
    }),
    z.looseObject({
      type: z.literal("response.function_call_arguments.done"),
      ...itemEvent,
      arguments: z.string(),
    }),
    z.looseObject({
      type: z.literal("response.reasoning_summary_text.delta"),
      ...itemEvent,
      summary_index: z.number().int().nonnegative().optional(),
      delta: z.string(),
    }),
    z.looseObject({
      type: z.literal("response.reasoning_text.delta"),
      ...itemEvent,
      delta: z.string(),
    }),
    z.looseObject({
      type: z.literal("error"),
      code: z.string().nullable().optional(),
      message: z.string().nullable().optional(),
      error: errorSchema,
    }),
  ]),
  [
    "response.created",
    "response.in_progress",
    "response.completed",
    "response.incomplete",
    "response.failed",
    "response.output_item.added",
    "response.output_item.done",
    "response.output_text.delta",
    "response.output_text.done",
    "response.refusal.delta",
    "response.function_call_arguments.delta",
    "response.function_call_arguments.done",
    "response.reasoning_summary_text.delta",
    "response.reasoning_text.delta",
    "error",
  ],
);

export type ResponsesUpstreamEvent = z.infer<typeof responsesUpstreamEventSchema>;
