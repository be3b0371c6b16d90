import type { OpenAIResponsesRequest } from "../../protocols/openai/responses-request.js";
import type {
  ResponsesEchoedFunctionTool,
  ResponsesEchoedTextFormat,
  ResponsesError,
  ResponsesOutputItem,
  ResponsesResponse,
  ResponsesStatus,
  ResponsesUsage,
} from "../../protocols/openai/responses-response.js";

export interface ResponsesResponseParts {
  readonly id: string;
  readonly createdAt: number;
  /** The model name to report (the one the client asked for). */
  readonly model: string;
  readonly request: OpenAIResponsesRequest;
  readonly status: ResponsesStatus;
  readonly output: ResponsesOutputItem[];
  readonly usage: ResponsesUsage | null;
  readonly error?: ResponsesError | undefined;
  readonly incompleteDetails?: ResponsesResponse["incomplete_details"] | undefined;
}

/**
 * A Response object. Like OpenAI's, it echoes the request's settings (with the API's defaults
 * where the client set none). `output_text` is left out: it is not part of the wire object, and
 * the SDKs compute it from `output`.
 * https://platform.openai.com/docs/api-reference/responses/object
 */
export function buildResponsesResponse(parts: ResponsesResponseParts): ResponsesResponse {
  const request = parts.request;
  const text: ResponsesResponse["text"] = { format: echoTextFormat(request.text?.format) };
  const verbosity = request.text?.verbosity;
  if (typeof verbosity === "string") text.verbosity = verbosity;
  return {
    id: parts.id,
    object: "response",
    created_at: parts.createdAt,
    status: parts.status,
    error: parts.error ?? null,
    incomplete_details: parts.incompleteDetails ?? null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: parts.model,
    output: parts.output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: {
      effort: request.reasoning?.effort ?? null,
      summary: request.reasoning?.summary ?? null,
    },
    store: false,
    temperature: request.temperature ?? 1,
    text,
    tool_choice: echoToolChoice(request.tool_choice),
    tools: echoTools(request.tools),
    top_p: request.top_p ?? 1,
    truncation: request.truncation ?? "disabled",
    usage: parts.usage,
    user: request.user ?? null,
    metadata: request.metadata ?? {},
  };
}

function echoTextFormat(
  format: NonNullable<OpenAIResponsesRequest["text"]>["format"],
): ResponsesEchoedTextFormat {
  if (format === undefined || format === null) return { type: "text" };
  switch (format.type) {
    case "json_object":
      return { type: "json_object" };
    case "json_schema": {
      const echoed: ResponsesEchoedTextFormat = {
        type: "json_schema",
        name: format.name,
        schema: format.schema,
        strict: format.strict ?? null,
      };
      if (typeof format.description === "string") echoed.description = format.description;
      return echoed;
    }
    // An unsupported format was not applied: the answer is plain text.
    case "text":
    case "unsupported":
      return { type: "text" };
    default: {
      const unhandled: never = format;
      return unhandled;
    }
  }
}

function echoToolChoice(
  choice: OpenAIResponsesRequest["tool_choice"],
): ResponsesResponse["tool_choice"] {
  if (choice === undefined || choice === null) return "auto";
  if (typeof choice === "string") return choice;
  return choice.type === "unsupported" ? choice.value : { ...choice };
}

/** The function tools that were carried; hosted tools were dropped and are not reported. */
function echoTools(tools: OpenAIResponsesRequest["tools"]): ResponsesEchoedFunctionTool[] {
  const echoed: ResponsesEchoedFunctionTool[] = [];
  for (const tool of tools ?? []) {
    if (tool.type !== "function") continue;
    echoed.push({
      type: "function",
      name: tool.name,
      description: tool.description ?? null,
      parameters: tool.parameters ?? null,
      strict: tool.strict ?? null,
    });
  }
  return echoed;
}
