import { z } from "zod";
import { knownTypeOrUnsupported } from "./typed-union.js";

/*
 * The Responses API's hosted `web_search` tool, between CoGPT and Copilot: the body CoGPT sends
 * to run a search (plain types) and the answer (zod: untrusted). Only what the web search
 * fulfilment reads. https://platform.openai.com/docs/guides/tools-web-search
 */

export interface ResponsesWebSearchToolParam {
  type: "web_search";
  filters?: { allowed_domains: string[] };
  user_location?: Record<string, unknown>;
}

export type OpenAIResponsesWebSearchRequestBody = {
  model: string;
  input: { type: "message"; role: "user" | "assistant"; content: string }[];
  instructions?: string;
  max_output_tokens?: number;
  tools: [ResponsesWebSearchToolParam];
  /** Without it the search's sources are left out of `web_search_call.action`. */
  include: ["web_search_call.action.sources"];
  store: false;
  stream: false;
};

const optionalCount = z.number().nullable().optional();

const urlCitationSchema = z.looseObject({
  type: z.literal("url_citation"),
  url: z.string(),
  title: z.string().nullable().optional(),
  start_index: z.number().int(),
  end_index: z.number().int(),
});

export type ResponsesUrlCitation = z.infer<typeof urlCitationSchema>;

const annotationSchema = knownTypeOrUnsupported(urlCitationSchema, ["url_citation"]);

const contentSchema = knownTypeOrUnsupported(
  z.discriminatedUnion("type", [
    z.looseObject({
      type: z.literal("output_text"),
      text: z.string(),
      annotations: z.array(annotationSchema).nullable().optional(),
    }),
    z.looseObject({ type: z.literal("refusal"), refusal: z.string() }),
  ]),
  ["output_text", "refusal"],
);

const sourceSchema = z.looseObject({ type: z.string().optional(), url: z.string().optional() });

const outputItemSchema = knownTypeOrUnsupported(
  z.discriminatedUnion("type", [
    z.looseObject({ type: z.literal("message"), content: z.array(contentSchema).optional() }),
    z.looseObject({
      type: z.literal("web_search_call"),
      id: z.string().optional(),
      status: z.string().optional(),
      action: z
        .looseObject({
          type: z.string().optional(),
          query: z.string().nullable().optional(),
          sources: z.array(sourceSchema).nullable().optional(),
        })
        .nullable()
        .optional(),
    }),
  ]),
  ["message", "web_search_call"],
);

export type ResponsesWebSearchOutputItem = z.infer<typeof outputItemSchema>;

/** A whole Response to a web search request. */
export const responsesWebSearchAnswerSchema = z.looseObject({
  id: z.string().optional(),
  status: z.string().optional(),
  output: z.array(outputItemSchema),
  usage: z
    .looseObject({
      input_tokens: optionalCount,
      output_tokens: optionalCount,
      input_tokens_details: z.looseObject({ cached_tokens: optionalCount }).nullable().optional(),
    })
    .nullable()
    .optional(),
  error: z
    .looseObject({
      code: z.string().nullable().optional(),
      message: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  incomplete_details: z
    .looseObject({ reason: z.string().nullable().optional() })
    .nullable()
    .optional(),
});

export type ResponsesWebSearchAnswer = z.infer<typeof responsesWebSearchAnswerSchema>;
