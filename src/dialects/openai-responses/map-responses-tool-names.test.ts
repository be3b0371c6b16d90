import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../errors.js";
import { openAIResponsesRequestSchema } from "../../protocols/openai/responses-request.js";
import { flattenResponsesToolName, mapResponsesToolNames } from "./map-responses-tool-names.js";

function namesOf(tools: unknown[]) {
  const request = openAIResponsesRequestSchema.parse({ input: "hi", tools });
  const warnings: string[] = [];
  const mapped = mapResponsesToolNames(request.tools, warnings);
  return { mapped, warnings };
}

const fn = (name: string) => ({ type: "function", name, parameters: { type: "object" } });

describe("flattenResponsesToolName", () => {
  // The hashes: `printf '<namespace>\0<name>' | sha256sum`, its first 10 hex digits.
  const cases: [string, string | undefined, string, string][] = [
    ["a tool outside a namespace keeps its name", undefined, "exec_command", "exec_command"],
    ["an empty namespace is none", "", "exec_command", "exec_command"],
    [
      "namespace and name joined by two underscores",
      "mcp__weather",
      "get_forecast",
      "mcp__weather__get_forecast",
    ],
    ["Codex's sub-agent namespace", "multi_agent_v1", "spawn_agent", "multi_agent_v1__spawn_agent"],
    [
      "exactly 64 characters stays readable",
      "n".repeat(30),
      "t".repeat(32),
      `${"n".repeat(30)}__${"t".repeat(32)}`,
    ],
    [
      "65 characters: a prefix and a hash of the pair",
      "n".repeat(30),
      "t".repeat(33),
      `${"n".repeat(30)}__${"t".repeat(21)}_c62e0ffe76`,
    ],
    [
      "characters Chat refuses become _, with a hash",
      "mcp.server",
      "do it",
      "mcp_server__do_it_054a3611bb",
    ],
  ];
  it.each(cases)("%s", (_name, namespace, name, expected) => {
    const flattened = flattenResponsesToolName(namespace, name);
    expect(flattened).toBe(expected);
    expect(flattened).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });

  it("gives two pairs that clean up to the same text different names", () => {
    expect(flattenResponsesToolName("a.b", "c")).not.toBe(flattenResponsesToolName("a b", "c"));
  });
});

describe("mapResponsesToolNames", () => {
  it("flattens namespaces, keeps functions and custom tools, and maps each name back", () => {
    const { mapped, warnings } = namesOf([
      fn("exec_command"),
      {
        type: "custom",
        name: "apply_patch",
        format: { type: "grammar", syntax: "lark", definition: "start: x" },
      },
      {
        type: "namespace",
        name: "mcp__weather",
        description: "Weather tools",
        tools: [fn("get_forecast"), { type: "custom", name: "raw_query" }, { type: "web_search" }],
      },
      { type: "web_search" },
    ]);
    expect(mapped.tools.map((tool) => [tool.chatName, tool.target])).toEqual([
      ["exec_command", { kind: "function", name: "exec_command" }],
      ["apply_patch", { kind: "custom", name: "apply_patch" }],
      [
        "mcp__weather__get_forecast",
        { kind: "function", name: "get_forecast", namespace: "mcp__weather" },
      ],
      ["mcp__weather__raw_query", { kind: "custom", name: "raw_query", namespace: "mcp__weather" }],
    ]);
    expect(mapped.lookup("mcp__weather__get_forecast")).toEqual({
      kind: "function",
      name: "get_forecast",
      namespace: "mcp__weather",
    });
    expect(mapped.lookup("get_forecast")).toBeUndefined();
    expect(warnings).toEqual([
      'tools[2].tools[2]: the web_search tool in namespace "mcp__weather" cannot be carried and was dropped',
      "tools[3]: the web_search tool runs only at OpenAI and was dropped",
    ]);
  });

  it("maps a long namespaced name back exactly", () => {
    const namespace = "mcp__a_very_long_server_name_for_the_knowledge_base";
    const { mapped } = namesOf([
      { type: "namespace", name: namespace, tools: [fn("search_documents")] },
    ]);
    const chatName = mapped.tools[0]?.chatName ?? "";
    expect(chatName.length).toBe(64);
    expect(mapped.lookup(chatName)).toEqual({
      kind: "function",
      name: "search_documents",
      namespace,
    });
  });

  it("refuses two tools that would share a Chat name", () => {
    expect(() =>
      namesOf([
        fn("mcp__kb__lookup"),
        { type: "namespace", name: "mcp__kb", tools: [fn("lookup")] },
      ]),
    ).toThrow(
      new InvalidRequestError(
        'tools: the function tool "mcp__kb__lookup" and the function tool "lookup" in namespace "mcp__kb" would both be the function "mcp__kb__lookup" for this model, which cannot tell their calls apart; rename one',
        { code: "tool_name_collision", param: "tools" },
      ),
    );
  });
});
