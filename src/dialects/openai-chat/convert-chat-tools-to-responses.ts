import type { OpenAIChatRequestDetails } from "../../protocols/openai/chat-request-details.js";
import type {
  ResponsesFunctionToolParam,
  ResponsesToolChoiceParam,
} from "../../protocols/openai/responses-wire.js";

export interface ConvertedChatTools {
  tools?: ResponsesFunctionToolParam[];
  tool_choice?: ResponsesToolChoiceParam;
  parallel_tool_calls?: boolean;
}

type ToolFields = Pick<OpenAIChatRequestDetails, "tools" | "tool_choice" | "parallel_tool_calls">;

/**
 * Chat Completions `tools`, `tool_choice` and `parallel_tool_calls` as the Responses API's.
 * Function tools carry over (flattened: the Responses API has no `function` wrapper); custom
 * tools are dropped with a warning, since their calls could not be given back as Chat tool calls.
 */
export function convertChatToolsToResponses(
  request: ToolFields,
  warnings: string[],
): ConvertedChatTools {
  const tools: ResponsesFunctionToolParam[] = [];
  (request.tools ?? []).forEach((tool, index) => {
    if (tool.type === "unsupported") {
      warnings.push(
        `tools[${index}]: ${tool.unsupportedType} tools are not supported and were dropped`,
      );
      return;
    }
    const fn = tool.function;
    const converted: ResponsesFunctionToolParam = {
      type: "function",
      name: fn.name,
      parameters: fn.parameters ?? null,
      // Chat functions are lenient unless marked strict; Responses functions are strict by default.
      strict: fn.strict ?? false,
    };
    if (typeof fn.description === "string") converted.description = fn.description;
    tools.push(converted);
  });
  if (tools.length === 0) return {};

  const converted: ConvertedChatTools = { tools };
  const choice = convertToolChoice(request.tool_choice, warnings);
  if (choice !== undefined) converted.tool_choice = choice;
  const parallel = request.parallel_tool_calls;
  if (typeof parallel === "boolean") converted.parallel_tool_calls = parallel;
  return converted;
}

function convertToolChoice(
  choice: OpenAIChatRequestDetails["tool_choice"],
  warnings: string[],
): ResponsesToolChoiceParam | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (typeof choice === "string") return choice;
  switch (choice.type) {
    case "function":
      return { type: "function", name: choice.function.name };
    case "allowed_tools": {
      const names = choice.allowed_tools.tools.flatMap((tool) =>
        tool.type === "function" && tool.function !== undefined ? [tool.function.name] : [],
      );
      return {
        type: "allowed_tools",
        mode: choice.allowed_tools.mode,
        tools: names.map((name) => ({ type: "function", name })),
      };
    }
    case "unsupported":
      warnings.push(`tool_choice "${choice.unsupportedType}" is not supported and was dropped`);
      return undefined;
    default: {
      const unhandled: never = choice;
      return unhandled;
    }
  }
}
