import type {
  AnthropicStopReason,
  AnthropicTextBlock,
  AnthropicUsage,
} from "./messages-response.js";

/**
 * The blocks of an answer to a request with Anthropic's `web_search` server tool, which the
 * gateway fulfils itself (Copilot refuses the tool).
 * https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/web-search-tool
 */

export interface AnthropicServerToolUseBlock {
  type: "server_tool_use";
  /** `srvtoolu_…` */
  id: string;
  name: "web_search";
  input: { query: string };
}

export interface AnthropicWebSearchResult {
  type: "web_search_result";
  url: string;
  title: string;
  /** Anthropic's own opaque page content; empty: the gateway has none to give. */
  encrypted_content: string;
  page_age: string | null;
}

export interface AnthropicWebSearchToolResultError {
  type: "web_search_tool_result_error";
  error_code: "max_uses_exceeded" | "unavailable" | "invalid_tool_input" | "too_many_requests";
}

export interface AnthropicWebSearchToolResultBlock {
  type: "web_search_tool_result";
  tool_use_id: string;
  content: AnthropicWebSearchResult[] | AnthropicWebSearchToolResultError;
}

export interface AnthropicWebSearchCitation {
  type: "web_search_result_location";
  url: string;
  title: string | null;
  /** Anthropic's own opaque pointer into the page; empty: the gateway has none to give. */
  encrypted_index: string;
  /** The cited passage of the answer (Anthropic caps it at 150 characters). */
  cited_text: string;
}

export interface AnthropicCitedTextBlock extends AnthropicTextBlock {
  citations?: AnthropicWebSearchCitation[];
}

export type AnthropicWebSearchContentBlock =
  AnthropicServerToolUseBlock | AnthropicWebSearchToolResultBlock | AnthropicCitedTextBlock;

export interface AnthropicWebSearchUsage extends AnthropicUsage {
  server_tool_use: { web_search_requests: number };
}

export interface AnthropicWebSearchMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: AnthropicWebSearchContentBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  usage: AnthropicWebSearchUsage;
}

/** The stream events of a web search answer (the blocks above, and their deltas). */
export type AnthropicWebSearchStreamEvent =
  | { type: "message_start"; message: AnthropicWebSearchMessage }
  | {
      type: "content_block_start";
      index: number;
      /** A server_tool_use block starts with an empty input; its query follows as a delta. */
      content_block:
        | AnthropicWebSearchContentBlock
        | (Omit<AnthropicServerToolUseBlock, "input"> & { input: Record<string, never> });
    }
  | {
      type: "content_block_delta";
      index: number;
      delta:
        | { type: "input_json_delta"; partial_json: string }
        | { type: "citations_delta"; citation: AnthropicWebSearchCitation }
        | { type: "text_delta"; text: string };
    }
  | { type: "content_block_stop"; index: number }
  | {
      type: "message_delta";
      delta: { stop_reason: AnthropicStopReason; stop_sequence: string | null };
      usage: AnthropicWebSearchUsage;
    }
  | { type: "message_stop" };
