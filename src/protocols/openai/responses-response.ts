/**
 * What the gateway sends back on `/v1/responses` when it answers through Chat Completions: the
 * Response object, its stream events and error events.
 * https://platform.openai.com/docs/api-reference/responses/object and
 * https://platform.openai.com/docs/api-reference/responses-streaming
 */

export type ResponsesItemStatus = "in_progress" | "completed" | "incomplete";

export interface ResponsesOutputText {
  type: "output_text";
  text: string;
  annotations: unknown[];
  logprobs: unknown[];
}

export interface ResponsesOutputRefusal {
  type: "refusal";
  refusal: string;
}

export type ResponsesOutputContent = ResponsesOutputText | ResponsesOutputRefusal;

export interface ResponsesOutputMessage {
  id: string;
  type: "message";
  status: ResponsesItemStatus;
  role: "assistant";
  content: ResponsesOutputContent[];
}

export interface ResponsesFunctionCallItem {
  id: string;
  type: "function_call";
  status: ResponsesItemStatus;
  arguments: string;
  call_id: string;
  name: string;
  /** Set when the tool is nested in a `namespace` tool of the request. */
  namespace?: string;
}

/** A call of a `custom` tool: its free-text input. */
export interface ResponsesCustomToolCallItem {
  id: string;
  type: "custom_tool_call";
  status: ResponsesItemStatus;
  call_id: string;
  name: string;
  input: string;
  namespace?: string;
}

export interface ResponsesSummaryText {
  type: "summary_text";
  text: string;
}

export interface ResponsesReasoningItem {
  id: string;
  type: "reasoning";
  summary: ResponsesSummaryText[];
}

export type ResponsesOutputItem =
  | ResponsesOutputMessage
  | ResponsesFunctionCallItem
  | ResponsesCustomToolCallItem
  | ResponsesReasoningItem;

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponsesStatus = "in_progress" | "completed" | "incomplete" | "failed";

export interface ResponsesError {
  code: string;
  message: string;
}

export interface ResponsesEchoedFunctionTool {
  type: "function";
  name: string;
  description: string | null;
  parameters: Record<string, unknown> | null;
  strict: boolean | null;
}

export type ResponsesEchoedTextFormat =
  | { type: "text" }
  | { type: "json_object" }
  | {
      type: "json_schema";
      name: string;
      schema: Record<string, unknown>;
      description?: string;
      strict: boolean | null;
    };

export interface ResponsesResponse {
  id: string;
  object: "response";
  created_at: number;
  status: ResponsesStatus;
  error: ResponsesError | null;
  incomplete_details: { reason: "max_output_tokens" | "content_filter" } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  model: string;
  output: ResponsesOutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: null;
  reasoning: { effort: string | null; summary: string | null };
  /** CoGPT keeps no responses. */
  store: false;
  temperature: number;
  text: { format: ResponsesEchoedTextFormat; verbosity?: string };
  tool_choice: "auto" | "none" | "required" | Record<string, unknown>;
  tools: ResponsesEchoedFunctionTool[];
  top_p: number;
  truncation: string;
  usage: ResponsesUsage | null;
  user: string | null;
  metadata: Record<string, unknown>;
}

interface ItemEventFields {
  item_id: string;
  output_index: number;
}

/** A stream event before its `sequence_number` is given. */
export type ResponsesStreamEventBody =
  | { type: "response.created" | "response.in_progress"; response: ResponsesResponse }
  | {
      type: "response.completed" | "response.incomplete" | "response.failed";
      response: ResponsesResponse;
      /** Copilot's own cost of the answer (`copilot_usage`), carried through untouched. */
      copilot_usage?: unknown;
    }
  | {
      type: "response.output_item.added" | "response.output_item.done";
      output_index: number;
      item: ResponsesOutputItem;
    }
  | ({
      type: "response.content_part.added" | "response.content_part.done";
      content_index: number;
      part: ResponsesOutputContent;
    } & ItemEventFields)
  | ({
      type: "response.output_text.delta";
      content_index: number;
      delta: string;
      logprobs: unknown[];
    } & ItemEventFields)
  | ({
      type: "response.output_text.done";
      content_index: number;
      text: string;
      logprobs: unknown[];
    } & ItemEventFields)
  | ({ type: "response.refusal.delta"; content_index: number; delta: string } & ItemEventFields)
  | ({ type: "response.refusal.done"; content_index: number; refusal: string } & ItemEventFields)
  | ({ type: "response.function_call_arguments.delta"; delta: string } & ItemEventFields)
  | ({
      type: "response.function_call_arguments.done";
      name: string;
      arguments: string;
    } & ItemEventFields)
  | ({ type: "response.custom_tool_call_input.delta"; delta: string } & ItemEventFields)
  | ({ type: "response.custom_tool_call_input.done"; input: string } & ItemEventFields)
  | ({
      type: "response.reasoning_summary_part.added" | "response.reasoning_summary_part.done";
      summary_index: number;
      part: ResponsesSummaryText;
    } & ItemEventFields)
  | ({
      type: "response.reasoning_summary_text.delta";
      summary_index: number;
      delta: string;
    } & ItemEventFields)
  | ({
      type: "response.reasoning_summary_text.done";
      summary_index: number;
      text: string;
    } & ItemEventFields)
  | ResponsesErrorEventBody;

/**
 * The reference types the `error` event flat (`code`, `message`, `param`), while OpenAI's servers
 * send the same fields nested under `error` (see the recorded openai-error stream). Both are
 * given: typed clients read the flat fields, and the openai SDK raises an APIError on `error`.
 */
export interface ResponsesErrorEventBody {
  type: "error";
  code: string;
  message: string;
  param: null;
  error: { type: string; code: string; message: string; param: null };
}

export type ResponsesStreamEvent = ResponsesStreamEventBody & { sequence_number: number };
