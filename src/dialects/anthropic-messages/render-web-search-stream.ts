import type {
  AnthropicWebSearchMessage,
  AnthropicWebSearchStreamEvent,
} from "../../protocols/anthropic/web-search-response.js";
import { typedEventMessage, type SseMessage } from "../../sse/format-sse.js";

/**
 * A finished web search answer as Anthropic's stream of events: `message_start`, then per block
 * `content_block_start` / deltas / `content_block_stop` (a `server_tool_use` block's input comes
 * as one `input_json_delta`, a `web_search_tool_result` block whole in its start, a text block's
 * citations as `citations_delta` before its `text_delta`), then `message_delta` with the usage
 * (and `server_tool_use.web_search_requests`) and `message_stop`.
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
export function renderWebSearchStream(message: AnthropicWebSearchMessage): SseMessage[] {
  const { content, usage, stop_reason, stop_sequence } = message;
  const events: AnthropicWebSearchStreamEvent[] = [
    {
      type: "message_start",
      message: {
        ...message,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 0 },
      },
    },
  ];
  content.forEach((block, index) => {
    switch (block.type) {
      case "server_tool_use":
        events.push(
          { type: "content_block_start", index, content_block: { ...block, input: {} } },
          {
            type: "content_block_delta",
            index,
            delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) },
          },
        );
        break;
      case "web_search_tool_result":
        events.push({ type: "content_block_start", index, content_block: block });
        break;
      case "text": {
        events.push({
          type: "content_block_start",
          index,
          content_block: { type: "text", text: "" },
        });
        for (const citation of block.citations ?? []) {
          events.push({
            type: "content_block_delta",
            index,
            delta: { type: "citations_delta", citation },
          });
        }
        events.push({
          type: "content_block_delta",
          index,
          delta: { type: "text_delta", text: block.text },
        });
        break;
      }
      default: {
        const unhandled: never = block;
        throw new Error(`unhandled block ${JSON.stringify(unhandled)}`);
      }
    }
    events.push({ type: "content_block_stop", index });
  });
  events.push(
    {
      type: "message_delta",
      delta: { stop_reason: stop_reason ?? "end_turn", stop_sequence },
      usage,
    },
    { type: "message_stop" },
  );
  return events.map(typedEventMessage);
}
