import {
  isCustomTool,
  type AnthropicToolChoice,
  type AnthropicToolParam,
} from "../../protocols/anthropic/messages-request.js";
import type {
  ChatFunctionToolParam,
  ChatToolChoiceParam,
} from "../../protocols/openai/chat-wire.js";

export interface ConvertedTools {
  tools?: ChatFunctionToolParam[];
  tool_choice?: ChatToolChoiceParam;
  parallel_tool_calls?: boolean;
}

// Tool fields with a Chat Completions counterpart, or (cache_control) a mere caching hint.
const CARRIED_TOOL_FIELDS = new Set([
  "name",
  "type",
  "description",
  "input_schema",
  "strict",
  "cache_control",
]);

/**
 * Anthropic `tools` and `tool_choice` as Chat Completions `tools`, `tool_choice` and
 * `parallel_tool_calls`. Client tools become functions; server tools (web search, code
 * execution, Anthropic-defined bash or editor tools) run at Anthropic only: dropped, with a warning.
 */
export function convertAnthropicToolsToOpenAI(
  tools: readonly AnthropicToolParam[] | undefined,
  toolChoice: AnthropicToolChoice | undefined,
  warnings: string[],
): ConvertedTools {
  const functions: ChatFunctionToolParam[] = [];
  (tools ?? []).forEach((tool, index) => {
    const at = `tools[${index}]`;
    if (!isCustomTool(tool) || tool.input_schema === undefined) {
      warnings.push(
        `${at}: the server tool "${tool.name}" (${String(tool.type)}) runs only at Anthropic and was dropped`,
      );
      return;
    }
    const dropped = Object.keys(tool).filter((key) => !CARRIED_TOOL_FIELDS.has(key));
    if (dropped.length > 0) {
      warnings.push(
        `${at}: fields not carried by Chat Completions were dropped: ${dropped.join(", ")}`,
      );
    }
    const fn: ChatFunctionToolParam["function"] = {
      name: tool.name,
      parameters: tool.input_schema,
    };
    if (tool.description !== undefined) fn.description = tool.description;
    if (tool.strict !== undefined) fn.strict = tool.strict;
    functions.push({ type: "function", function: fn });
  });

  if (functions.length === 0) {
    // Chat Completions refuses a tool_choice without tools; only `any` and `tool` lose meaning.
    if (toolChoice !== undefined && (toolChoice.type === "any" || toolChoice.type === "tool")) {
      warnings.push(`tool_choice "${toolChoice.type}" was dropped: no tool could be carried`);
    }
    return {};
  }
  return { tools: functions, ...convertToolChoice(toolChoice, functions, warnings) };
}

function convertToolChoice(
  toolChoice: AnthropicToolChoice | undefined,
  functions: readonly ChatFunctionToolParam[],
  warnings: string[],
): Omit<ConvertedTools, "tools"> {
  if (toolChoice === undefined) return {};
  const parallel =
    toolChoice.type !== "none" && toolChoice.disable_parallel_tool_use === true
      ? { parallel_tool_calls: false }
      : {};
  switch (toolChoice.type) {
    case "auto":
      return { tool_choice: "auto", ...parallel };
    case "any":
      return { tool_choice: "required", ...parallel };
    case "tool":
      if (!functions.some((tool) => tool.function.name === toolChoice.name)) {
        warnings.push(
          `tool_choice names "${toolChoice.name}", which is not among the tools carried; it was dropped`,
        );
        return parallel;
      }
      return {
        tool_choice: { type: "function", function: { name: toolChoice.name } },
        ...parallel,
      };
    case "none":
      return { tool_choice: "none" };
    default: {
      const unhandled: never = toolChoice;
      return unhandled;
    }
  }
}
