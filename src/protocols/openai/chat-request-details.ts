import { z } from "zod";
import { knownTypeOrUnsupported, stringOrArrayOf, stringOrObject } from "./typed-union.js";

/**
 * The fields of a `/v1/chat/completions` request that a translation to the Responses API reads,
 * checked in detail. `chat-request.ts` checks only what passthrough needs; this schema is applied
 * on top of it when the request must be rewritten.
 * https://platform.openai.com/docs/api-reference/chat/create
 */

const textPartSchema = z.looseObject({ type: z.literal("text"), text: z.string() });

const contentPartSchema = knownTypeOrUnsupported(
  z.discriminatedUnion("type", [
    textPartSchema,
    z.looseObject({
      type: z.literal("image_url"),
      image_url: z.looseObject({ url: z.string(), detail: z.string().nullable().optional() }),
    }),
    z.looseObject({
      type: z.literal("file"),
      file: z.looseObject({
        file_data: z.string().nullable().optional(),
        file_id: z.string().nullable().optional(),
        filename: z.string().nullable().optional(),
      }),
    }),
    z.looseObject({ type: z.literal("refusal"), refusal: z.string() }),
  ]),
  ["text", "image_url", "file", "refusal"],
);

const contentSchema = stringOrArrayOf(contentPartSchema).nullable().optional();

const toolCallSchema = knownTypeOrUnsupported(
  z.looseObject({
    type: z.literal("function"),
    id: z.string().min(1),
    function: z.looseObject({
      name: z.string().min(1),
      arguments: z.string().nullable().optional(),
    }),
  }),
  ["function"],
  // Some clients leave out the type of a function call.
  { type: "function", when: "function" },
);

const messageSchema = z.discriminatedUnion("role", [
  z.looseObject({ role: z.literal("system"), content: contentSchema }),
  z.looseObject({ role: z.literal("developer"), content: contentSchema }),
  z.looseObject({ role: z.literal("user"), content: contentSchema }),
  z.looseObject({
    role: z.literal("assistant"),
    content: contentSchema,
    refusal: z.string().nullable().optional(),
    tool_calls: z.array(toolCallSchema).nullable().optional(),
    function_call: z
      .looseObject({ name: z.string().min(1), arguments: z.string().nullable().optional() })
      .nullable()
      .optional(),
  }),
  z.looseObject({
    role: z.literal("tool"),
    tool_call_id: z.string().min(1),
    content: contentSchema,
  }),
  z.looseObject({ role: z.literal("function"), name: z.string().min(1), content: contentSchema }),
]);

const toolSchema = knownTypeOrUnsupported(
  z.looseObject({
    type: z.literal("function"),
    function: z.looseObject({
      name: z.string().min(1),
      description: z.string().nullable().optional(),
      parameters: z.looseObject({}).nullable().optional(),
      strict: z.boolean().nullable().optional(),
    }),
  }),
  ["function"],
);

const toolChoiceSchema = stringOrObject(
  z.enum(["auto", "none", "required"]),
  knownTypeOrUnsupported(
    z.discriminatedUnion("type", [
      z.looseObject({
        type: z.literal("function"),
        function: z.looseObject({ name: z.string().min(1) }),
      }),
      z.looseObject({
        type: z.literal("allowed_tools"),
        allowed_tools: z.looseObject({
          mode: z.enum(["auto", "required"]),
          tools: z.array(
            z.looseObject({
              type: z.string(),
              function: z.looseObject({ name: z.string() }).optional(),
            }),
          ),
        }),
      }),
    ]),
    ["function", "allowed_tools"],
  ),
);

const responseFormatSchema = knownTypeOrUnsupported(
  z.discriminatedUnion("type", [
    z.looseObject({ type: z.literal("text") }),
    z.looseObject({ type: z.literal("json_object") }),
    z.looseObject({
      type: z.literal("json_schema"),
      json_schema: z.looseObject({
        name: z.string().min(1),
        schema: z.looseObject({}).optional(),
        description: z.string().nullable().optional(),
        strict: z.boolean().nullable().optional(),
      }),
    }),
  ]),
  ["text", "json_object", "json_schema"],
);

const optionalTokens = z.number().int().positive().nullable().optional();
const optionalText = z.string().nullable().optional();

export const openAIChatRequestDetailsSchema = z.looseObject({
  messages: z.array(messageSchema).min(1),
  max_tokens: optionalTokens,
  max_completion_tokens: optionalTokens,
  temperature: z.number().nullable().optional(),
  top_p: z.number().nullable().optional(),
  n: z.number().int().nullable().optional(),
  tools: z.array(toolSchema).nullable().optional(),
  tool_choice: toolChoiceSchema.nullable().optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  response_format: responseFormatSchema.nullable().optional(),
  reasoning_effort: optionalText,
  verbosity: optionalText,
  user: optionalText,
  safety_identifier: optionalText,
  prompt_cache_key: optionalText,
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  stream: z.boolean().nullable().optional(),
});

export type OpenAIChatRequestDetails = z.infer<typeof openAIChatRequestDetailsSchema>;
export type ChatRequestMessage = z.infer<typeof messageSchema>;
export type ChatRequestContentPart = z.infer<typeof contentPartSchema>;
export type ChatRequestTool = z.infer<typeof toolSchema>;
export type ChatRequestToolChoice = z.infer<typeof toolChoiceSchema>;
export type ChatRequestResponseFormat = z.infer<typeof responseFormatSchema>;
