import { createHash } from "node:crypto";
import { InvalidRequestError } from "../../errors.js";
import type {
  OpenAIResponsesRequest,
  ResponsesCustomTool,
  ResponsesFunctionTool,
} from "../../protocols/openai/responses-request.js";

/** What a Chat function name stands for in the client's Responses request. */
export interface ResponsesToolTarget {
  /** `custom` tools take one free-text input, carried as the Chat argument `{"input": …}`. */
  readonly kind: "function" | "custom";
  /** The tool's own name, as the client declared it. */
  readonly name: string;
  /** The `namespace` tool it is nested in, if any. */
  readonly namespace?: string;
}

/** One client tool as Chat Completions sees it. */
export interface FlattenedResponsesTool {
  readonly chatName: string;
  readonly target: ResponsesToolTarget;
  readonly tool: ResponsesFunctionTool | ResponsesCustomTool;
}

export interface ResponsesToolNames {
  /** The function and custom tools, namespaced ones flattened, in the request's order. */
  readonly tools: readonly FlattenedResponsesTool[];
  /** The client's tool behind a Chat function name; undefined for a name it did not offer. */
  readonly lookup: (chatName: string) => ResponsesToolTarget | undefined;
}

// OpenAI's rule for function names: https://platform.openai.com/docs/api-reference/chat/create
const CHAT_FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const HASH_LENGTH = 10;

/**
 * The Chat function name of a tool nested in a namespace: `<namespace>__<name>`, or, when that is
 * longer than 64 characters or holds characters Chat refuses, a readable prefix of it and a hash
 * of the exact pair. A pure function of the pair, so calls in the input history map the same way
 * whether or not the request still offers the tool. A tool outside a namespace keeps its name.
 */
export function flattenResponsesToolName(namespace: string | null | undefined, name: string) {
  if (namespace === undefined || namespace === null || namespace === "") return name;
  const joined = `${namespace}__${name}`;
  if (CHAT_FUNCTION_NAME.test(joined)) return joined;
  const hash = createHash("sha256").update(`${namespace}\0${name}`).digest("hex");
  const prefix = joined.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64 - HASH_LENGTH - 1);
  return `${prefix}_${hash.slice(0, HASH_LENGTH)}`;
}

/**
 * The request's function, custom and namespaced tools under the names Chat Completions will
 * see, and the way back. Two tools that would share a Chat name (a top-level `a__b` beside `b`
 * in namespace `a`) are refused: a call could not be told apart. Hosted tools, and tools of
 * other types inside a namespace, are left out with a warning.
 */
export function mapResponsesToolNames(
  tools: OpenAIResponsesRequest["tools"],
  warnings: string[] = [],
): ResponsesToolNames {
  const flattened: FlattenedResponsesTool[] = [];
  const byChatName = new Map<string, ResponsesToolTarget>();

  function add(tool: ResponsesFunctionTool | ResponsesCustomTool, namespace?: string): void {
    const chatName = flattenResponsesToolName(namespace, tool.name);
    const target: ResponsesToolTarget =
      namespace === undefined
        ? { kind: tool.type, name: tool.name }
        : { kind: tool.type, name: tool.name, namespace };
    const taken = byChatName.get(chatName);
    if (taken !== undefined) {
      throw new InvalidRequestError(
        `tools: ${describe(taken)} and ${describe(target)} would both be the function "${chatName}" for this model, which cannot tell their calls apart; rename one`,
        { code: "tool_name_collision", param: "tools" },
      );
    }
    byChatName.set(chatName, target);
    flattened.push({ chatName, target, tool });
  }

  (tools ?? []).forEach((tool, index) => {
    switch (tool.type) {
      case "function":
      case "custom":
        add(tool);
        break;
      case "namespace":
        tool.tools.forEach((nested, nestedIndex) => {
          if (nested.type === "unsupported") {
            warnings.push(
              `tools[${index}].tools[${nestedIndex}]: the ${nested.unsupportedType} tool in namespace "${tool.name}" cannot be carried and was dropped`,
            );
          } else add(nested, tool.name);
        });
        break;
      case "unsupported":
        warnings.push(
          `tools[${index}]: the ${tool.unsupportedType} tool runs only at OpenAI and was dropped`,
        );
        break;
      default: {
        const unhandled: never = tool;
        return unhandled;
      }
    }
  });
  return { tools: flattened, lookup: (chatName) => byChatName.get(chatName) };
}

function describe(target: ResponsesToolTarget): string {
  return target.namespace === undefined
    ? `the ${target.kind} tool "${target.name}"`
    : `the ${target.kind} tool "${target.name}" in namespace "${target.namespace}"`;
}
