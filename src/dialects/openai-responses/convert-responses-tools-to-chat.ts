import type {
  ChatFunctionToolParam,
  ChatToolChoiceParam,
} from "../../protocols/openai/chat-wire.js";
import type {
  OpenAIResponsesRequest,
  ResponsesCustomTool,
  ResponsesFunctionTool,
} from "../../protocols/openai/responses-request.js";
import { flattenResponsesToolName, mapResponsesToolNames } from "./map-responses-tool-names.js";

export interface ConvertedResponsesTools {
  tools?: ChatFunctionToolParam[];
  tool_choice?: ChatToolChoiceParam;
  parallel_tool_calls?: boolean;
}

type ToolFields = Pick<OpenAIResponsesRequest, "tools" | "tool_choice" | "parallel_tool_calls">;

/**
 * Responses `tools`, `tool_choice` and `parallel_tool_calls` as Chat Completions'. Function tools
 * carry over; tools nested in a `namespace` become functions named `<namespace>__<name>`, and
 * `custom` (free-text) tools functions of one string parameter `input` (see
 * map-responses-tool-names.ts for the way back). Hosted tools (web search, file search, code
 * interpreter, MCP, computer use…) run only at OpenAI: dropped, with a warning. `allowed_tools`
 * keeps only the allowed tools.
 */
export function convertResponsesToolsToChat(
  request: ToolFields,
  warnings: string[],
): ConvertedResponsesTools {
  let tools = mapResponsesToolNames(request.tools, warnings).tools;

  let toolChoice: ChatToolChoiceParam | undefined;
  const choice = request.tool_choice;
  if (typeof choice === "string") toolChoice = choice;
  else if (choice !== undefined && choice !== null) {
    switch (choice.type) {
      case "function":
        toolChoice = {
          type: "function",
          function: { name: flattenResponsesToolName(choice.namespace, choice.name) },
        };
        break;
      case "custom":
        toolChoice = { type: "function", function: { name: choice.name } };
        break;
      case "allowed_tools": {
        const allowed = new Set<string>();
        const allowedNamespaces = new Set<string>();
        for (const entry of choice.tools) {
          if (entry.type === "namespace" && entry.name !== undefined) {
            allowedNamespaces.add(entry.name);
          } else if (entry.name !== undefined) {
            allowed.add(flattenResponsesToolName(entry.namespace, entry.name));
          }
        }
        tools = tools.filter(
          (tool) =>
            allowed.has(tool.chatName) ||
            (tool.target.namespace !== undefined && allowedNamespaces.has(tool.target.namespace)),
        );
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

  if (tools.length === 0) {
    // Chat Completions refuses tool_choice and parallel_tool_calls without tools.
    if (toolChoice !== undefined && toolChoice !== "auto" && toolChoice !== "none") {
      warnings.push("tool_choice was dropped: no function tool could be carried");
    }
    return {};
  }
  const converted: ConvertedResponsesTools = {
    tools: tools.map(({ chatName, tool }) =>
      tool.type === "function"
        ? convertFunctionTool(tool, chatName)
        : convertCustomTool(tool, chatName),
    ),
  };
  if (toolChoice !== undefined) converted.tool_choice = toolChoice;
  const parallel = request.parallel_tool_calls;
  if (parallel !== undefined && parallel !== null) converted.parallel_tool_calls = parallel;
  return converted;
}

function convertFunctionTool(tool: ResponsesFunctionTool, name: string): ChatFunctionToolParam {
  const fn: ChatFunctionToolParam["function"] = {
    name,
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

/**
 * A custom tool takes free text, which Chat function calls cannot carry: it becomes a function of
 * one string parameter, `input`, whose description holds the grammar if the tool has one.
 */
function convertCustomTool(tool: ResponsesCustomTool, name: string): ChatFunctionToolParam {
  let inputDescription = "The tool's whole input, as plain text (not JSON).";
  const format = tool.format;
  if (format?.type === "grammar" && typeof format.definition === "string") {
    const syntax = typeof format.syntax === "string" ? `${format.syntax} ` : "";
    inputDescription += ` It must follow this ${syntax}grammar:\n${format.definition}`;
  }
  const fn: ChatFunctionToolParam["function"] = {
    name,
    parameters: {
      type: "object",
      properties: { input: { type: "string", description: inputDescription } },
      required: ["input"],
      additionalProperties: false,
    },
  };
  if (typeof tool.description === "string" && tool.description !== "") {
    fn.description = tool.description;
  }
  return { type: "function", function: fn };
}
