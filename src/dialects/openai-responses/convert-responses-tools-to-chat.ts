import type {
  ChatFunctionToolParam,
  ChatToolChoiceParam,
} from "../../protocols/openai/chat-wire.js";
import type {
  OpenAIResponsesRequest,
  ResponsesFunctionTool,
} from "../../protocols/openai/responses-request.js";

export interface ConvertedResponsesTools {
  tools?: ChatFunctionToolParam[];
  tool_choice?: ChatToolChoiceParam;
  parallel_tool_calls?: boolean;
}

type ToolFields = Pick<OpenAIResponsesRequest, "tools" | "tool_choice" | "parallel_tool_calls">;

/**
 * Responses `tools`, `tool_choice` and `parallel_tool_calls` as Chat Completions'. Function tools
 * carry over; hosted tools (web search, file search, code interpreter, MCP, computer use…) run only
 * at OpenAI: dropped, with a warning. `allowed_tools` keeps only the allowed functions.
 */
export function convertResponsesToolsToChat(
  request: ToolFields,
  warnings: string[],
): ConvertedResponsesTools {
  let functions: ResponsesFunctionTool[] = [];
  (request.tools ?? []).forEach((tool, index) => {
    if (tool.type === "function") functions.push(tool);
    else {
      warnings.push(
        `tools[${index}]: the ${tool.unsupportedType} tool runs only at OpenAI and was dropped`,
      );
    }
  });

  let toolChoice: ChatToolChoiceParam | undefined;
  const choice = request.tool_choice;
  if (typeof choice === "string") toolChoice = choice;
  else if (choice !== undefined && choice !== null) {
    switch (choice.type) {
      case "function":
        toolChoice = { type: "function", function: { name: choice.name } };
        break;
      case "allowed_tools": {
        const allowed = new Set(choice.tools.map((tool) => tool.name));
        functions = functions.filter((tool) => allowed.has(tool.name));
        toolChoice = choice.mode;
        break;
      }
      case "unsupported":
        warnings.push(
          `tool_choice "${choice.unsupportedType}" names a tool that runs only at OpenAI and was dropped`,
        );
        break;
      default: {
        const unhandled: never = choice;
        return unhandled;
      }
    }
  }

  if (functions.length === 0) {
    // Chat Completions refuses tool_choice and parallel_tool_calls without tools.
    if (toolChoice !== undefined && toolChoice !== "auto" && toolChoice !== "none") {
      warnings.push("tool_choice was dropped: no function tool could be carried");
    }
    return {};
  }
  const converted: ConvertedResponsesTools = { tools: functions.map(convertFunctionTool) };
  if (toolChoice !== undefined) converted.tool_choice = toolChoice;
  const parallel = request.parallel_tool_calls;
  if (parallel !== undefined && parallel !== null) converted.parallel_tool_calls = parallel;
  return converted;
}

function convertFunctionTool(tool: ResponsesFunctionTool): ChatFunctionToolParam {
  const fn: ChatFunctionToolParam["function"] = {
    name: tool.name,
    // Chat Completions wants an object schema; a function without parameters takes none.
    parameters: tool.parameters ?? { type: "object", properties: {} },
  };
  if (typeof tool.description === "string" && tool.description !== "") {
    fn.description = tool.description;
  }
  // Responses makes functions strict by default, Chat Completions does not; strict mode refuses
  // the many schemas written without it in mind, so only an explicit value is carried.
  if (typeof tool.strict === "boolean") fn.strict = tool.strict;
  return { type: "function", function: fn };
}
