import { z } from "zod";
import { knownTypeOrUnsupported, stringOrArrayOf, stringOrObject } from "./typed-union.js";

/**
 * What clients send to `POST /v1/responses`.
 * https://platform.openai.com/docs/api-reference/responses/create — fields the gateway reads
 * are checked; unknown fields pass (loose objects). Parts, items, tools and tool choices of a
 * type the gateway does not translate are kept as `UnsupportedTyped` (see typed-union.ts).
 */

const inputTextSchema = z.looseObject({ type: z.literal("input_text"), text: z.string() });

const inputImageSchema = z.looseObject({
  type: z.literal("input_image"),
  image_url: z.string().nullable().optional(),
  file_id: z.string().nullable().optional(),
  detail: z.string().nullable().optional(),
});

const inputFileSchema = z.looseObject({
  type: z.literal("input_file"),
  file_id: z.string().nullable().optional(),
  file_data: z.string().nullable().optional(),
  file_url: z.string().nullable().optional(),
  filename: z.string().nullable().optional(),
});

const messagePartSchema = knownTypeOrUnsupported(
  z.discriminatedUnion("type", [
    inputTextSchema,
    inputImageSchema,
    inputFileSchema,
    // Earlier assistant turns, as the Responses API returned them.
    z.looseObject({ type: z.literal("output_text"), text: z.string() }),
    z.looseObject({ type: z.literal("refusal"), refusal: z.string() }),
  ]),
  ["input_text", "input_image", "input_file", "output_text", "refusal"],
);

const functionOutputPartSchema = knownTypeOrUnsupported(
  z.discriminatedUnion("type", [inputTextSchema, inputImageSchema, inputFileSchema]),
  ["input_text", "input_image", "input_file"],
);

const inputItemSchema = knownTypeOrUnsupported(
  z.discriminatedUnion("type", [
    z.looseObject({
      type: z.literal("message"),
      role: z.enum(["user", "assistant", "system", "developer"]),
      content: stringOrArrayOf(messagePartSchema),
    }),
    z.looseObject({
      type: z.literal("function_call"),
      call_id: z.string().min(1),
      name: z.string().min(1),
      arguments: z.string(),
      // A call of a tool nested in a `namespace` tool (Codex's MCP and sub-agent tools).
      namespace: z.string().nullable().optional(),
    }),
    z.looseObject({
      type: z.literal("function_call_output"),
      call_id: z.string().min(1),
      output: stringOrArrayOf(functionOutputPartSchema),
    }),
    z.looseObject({
      type: z.literal("custom_tool_call"),
      call_id: z.string().min(1),
      name: z.string().min(1),
      input: z.string(),
      namespace: z.string().nullable().optional(),
    }),
    z.looseObject({
      type: z.literal("custom_tool_call_output"),
      call_id: z.string().min(1),
      output: stringOrArrayOf(functionOutputPartSchema),
    }),
    z.looseObject({ type: z.literal("reasoning") }),
    z.looseObject({ type: z.literal("item_reference"), id: z.string() }),
  ]),
  [
    "message",
    "function_call",
    "function_call_output",
    "custom_tool_call",
    "custom_tool_call_output",
    "reasoning",
    "item_reference",
  ],
  // An "easy" input message ({role, content}) may leave out its type.
  { type: "message", when: "role" },
);

const functionToolSchema = z.looseObject({
  type: z.literal("function"),
  name: z.string().min(1),
  description: z.string().nullable().optional(),
  parameters: z.looseObject({}).nullable().optional(),
  strict: z.boolean().nullable().optional(),
});

/** A tool whose input is free text, optionally constrained by a grammar (Codex's apply_patch). */
const customToolSchema = z.looseObject({
  type: z.literal("custom"),
  name: z.string().min(1),
  description: z.string().nullable().optional(),
  format: z
    .looseObject({
      type: z.string(),
      syntax: z.string().nullable().optional(),
      definition: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
});

const nestedToolSchema = knownTypeOrUnsupported(
  z.discriminatedUnion("type", [functionToolSchema, customToolSchema]),
  ["function", "custom"],
);

const toolSchema = knownTypeOrUnsupported(
  z.discriminatedUnion("type", [
    functionToolSchema,
    customToolSchema,
    // Tools grouped under a name; calls come back with `namespace` set (Codex's MCP servers).
    z.looseObject({
      type: z.literal("namespace"),
      name: z.string().min(1),
      description: z.string().nullable().optional(),
      tools: z.array(nestedToolSchema),
    }),
  ]),
  ["function", "custom", "namespace"],
);

const toolChoiceObjectSchema = knownTypeOrUnsupported(
  z.discriminatedUnion("type", [
    z.looseObject({
      type: z.literal("function"),
      name: z.string().min(1),
      namespace: z.string().nullable().optional(),
    }),
    z.looseObject({ type: z.literal("custom"), name: z.string().min(1) }),
    z.looseObject({
      type: z.literal("allowed_tools"),
      mode: z.enum(["auto", "required"]),
      tools: z.array(
        z.looseObject({
          type: z.string(),
          name: z.string().optional(),
          namespace: z.string().nullable().optional(),
        }),
      ),
    }),
  ]),
  ["function", "custom", "allowed_tools"],
);

const toolChoiceSchema = stringOrObject(
  z.enum(["auto", "none", "required"]),
  toolChoiceObjectSchema,
);

const textFormatSchema = knownTypeOrUnsupported(
  z.discriminatedUnion("type", [
    z.looseObject({ type: z.literal("text") }),
    z.looseObject({
      type: z.literal("json_schema"),
      name: z.string().min(1),
      schema: z.looseObject({}),
      description: z.string().nullable().optional(),
      strict: z.boolean().nullable().optional(),
    }),
    z.looseObject({ type: z.literal("json_object") }),
  ]),
  ["text", "json_schema", "json_object"],
);

export const openAIResponsesRequestSchema = z.looseObject({
  model: z.string().optional(),
  input: stringOrArrayOf(inputItemSchema),
  instructions: z.string().nullable().optional(),
  max_output_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().nullable().optional(),
  top_p: z.number().nullable().optional(),
  tools: z.array(toolSchema).nullable().optional(),
  tool_choice: toolChoiceSchema.nullable().optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  reasoning: z
    .looseObject({
      effort: z.string().nullable().optional(),
      summary: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  text: z
    .looseObject({
      format: textFormatSchema.nullable().optional(),
      verbosity: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  user: z.string().nullable().optional(),
  safety_identifier: z.string().nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  truncation: z.string().nullable().optional(),
  stream: z.boolean().nullable().optional(),
  store: z.boolean().nullable().optional(),
  previous_response_id: z.string().nullable().optional(),
});

export type OpenAIResponsesRequest = z.infer<typeof openAIResponsesRequestSchema>;
export type ResponsesInputItem = z.infer<typeof inputItemSchema>;
export type ResponsesMessagePart = z.infer<typeof messagePartSchema>;
export type ResponsesFunctionOutputPart = z.infer<typeof functionOutputPartSchema>;
export type ResponsesInputImage = z.infer<typeof inputImageSchema>;
export type ResponsesTool = z.infer<typeof toolSchema>;
export type ResponsesFunctionTool = Extract<ResponsesTool, { type: "function" }>;
export type ResponsesCustomTool = Extract<ResponsesTool, { type: "custom" }>;
export type ResponsesNamespaceTool = Extract<ResponsesTool, { type: "namespace" }>;
export type ResponsesToolChoice = z.infer<typeof toolChoiceSchema>;
export type ResponsesTextFormat = z.infer<typeof textFormatSchema>;
