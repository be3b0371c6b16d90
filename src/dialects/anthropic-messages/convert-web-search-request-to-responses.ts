import type { AnthropicMessagesRequest } from "../../protocols/anthropic/messages-request.js";
import type {
  OpenAIResponsesWebSearchRequestBody,
  ResponsesWebSearchToolParam,
} from "../../protocols/openai/responses-web-search-wire.js";
import type { AnthropicWebSearchSettings } from "./find-web-search-tool.js";

export interface ConvertedWebSearchRequest {
  readonly body: OpenAIResponsesWebSearchRequestBody;
  /** What could not be carried over, for the log. */
  readonly warnings: readonly string[];
}

/**
 * A Messages request with the `web_search` server tool as a Responses request to the search
 * model: the conversation's text (Claude Code sends one user message, "Perform a web search for
 * the query: …"), the system prompt as instructions, and the hosted `web_search` tool with the
 * allowed domains and the user's location. Responses has no blocklist: blocked domains are
 * asked for in the instructions, and their results are removed from the answer afterwards.
 */
export function convertWebSearchRequestToResponses(
  request: AnthropicMessagesRequest,
  settings: AnthropicWebSearchSettings,
  model: string,
): ConvertedWebSearchRequest {
  const warnings: string[] = [];
  const input: OpenAIResponsesWebSearchRequestBody["input"] = [];
  for (const message of request.messages) {
    const role = message.role === "assistant" ? "assistant" : "user";
    if (typeof message.content === "string") {
      input.push({ type: "message", role, content: message.content });
      continue;
    }
    const texts: string[] = [];
    for (const block of message.content) {
      if (block.type === "text") texts.push(block.text);
      else warnings.push(`a "${block.type}" block (the web search model gets the text only)`);
    }
    if (texts.length > 0) input.push({ type: "message", role, content: texts.join("\n\n") });
  }

  const instructions: string[] = [];
  const system = request.system;
  if (typeof system === "string" && system !== "") instructions.push(system);
  if (Array.isArray(system)) instructions.push(...system.map((block) => block.text));
  if (settings.blockedDomains.length > 0) {
    instructions.push(
      `Do not use results from these domains: ${settings.blockedDomains.join(", ")}.`,
    );
  }

  const tool: ResponsesWebSearchToolParam = { type: "web_search" };
  if (settings.allowedDomains.length > 0) {
    tool.filters = { allowed_domains: [...settings.allowedDomains] };
  }
  if (settings.userLocation !== undefined) tool.user_location = settings.userLocation;

  const body: OpenAIResponsesWebSearchRequestBody = {
    model,
    input,
    tools: [tool],
    include: ["web_search_call.action.sources"],
    store: false,
    stream: false,
  };
  if (instructions.length > 0) body.instructions = instructions.join("\n\n");
  return { body, warnings };
}
