import { describe, expect, it } from "vitest";
import { openAIResponsesRequestSchema } from "./responses-request.js";

function issueOf(body: unknown): { path: PropertyKey[]; message: string } | undefined {
  const result = openAIResponsesRequestSchema.safeParse(body);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return issue === undefined ? undefined : { path: issue.path, message: issue.message };
}

describe("openAIResponsesRequestSchema", () => {
  it("takes a string input", () => {
    expect(openAIResponsesRequestSchema.parse({ model: "gpt-4o", input: "hi" })).toEqual({
      model: "gpt-4o",
      input: "hi",
    });
  });

  it("types an easy input message that leaves out its type", () => {
    expect(
      openAIResponsesRequestSchema.parse({ input: [{ role: "user", content: "hi" }] }),
    ).toEqual({ input: [{ type: "message", role: "user", content: "hi" }] });
  });

  it("keeps items, parts, tools and formats of unknown types apart, with the original", () => {
    expect(
      openAIResponsesRequestSchema.parse({
        input: [
          { type: "web_search_call", id: "ws_1", status: "completed" },
          { role: "user", content: [{ type: "input_audio", input_audio: { data: "AA==" } }] },
        ],
        tools: [{ type: "web_search" }],
        tool_choice: { type: "file_search" },
        text: { format: { type: "grammar", syntax: "lark" } },
      }),
    ).toEqual({
      input: [
        {
          type: "unsupported",
          unsupportedType: "web_search_call",
          value: { type: "web_search_call", id: "ws_1", status: "completed" },
        },
        {
          type: "message",
          role: "user",
          content: [
            {
              type: "unsupported",
              unsupportedType: "input_audio",
              value: { type: "input_audio", input_audio: { data: "AA==" } },
            },
          ],
        },
      ],
      tools: [
        { type: "unsupported", unsupportedType: "web_search", value: { type: "web_search" } },
      ],
      tool_choice: {
        type: "unsupported",
        unsupportedType: "file_search",
        value: { type: "file_search" },
      },
      text: {
        format: {
          type: "unsupported",
          unsupportedType: "grammar",
          value: { type: "grammar", syntax: "lark" },
        },
      },
    });
  });

  const refused: [string, unknown, { path: PropertyKey[]; message: string }][] = [
    [
      "a text part without text",
      { input: [{ role: "user", content: [{ type: "input_text" }] }] },
      {
        path: ["input", 0, "content", 0, "text"],
        message: "Invalid input: expected string, received undefined",
      },
    ],
    [
      "a function call without a call_id",
      { input: [{ type: "function_call", name: "f", arguments: "{}" }] },
      {
        path: ["input", 0, "call_id"],
        message: "Invalid input: expected string, received undefined",
      },
    ],
    [
      "an item without a type or role",
      { input: [{ content: "hi" }] },
      { path: ["input", 0, "type"], message: "Required" },
    ],
    [
      "a message of an unknown role",
      { input: [{ role: "tool", content: "x" }] },
      {
        path: ["input", 0, "role"],
        message: 'Invalid option: expected one of "user"|"assistant"|"system"|"developer"',
      },
    ],
    [
      "a function tool without a name",
      { input: "hi", tools: [{ type: "function", parameters: {} }] },
      {
        path: ["tools", 0, "name"],
        message: "Invalid input: expected string, received undefined",
      },
    ],
    [
      "an unknown tool_choice mode",
      { input: "hi", tool_choice: "any" },
      {
        path: ["tool_choice"],
        message: 'Invalid option: expected one of "auto"|"none"|"required"',
      },
    ],
    [
      "a function tool_choice without a name",
      { input: "hi", tool_choice: { type: "function" } },
      {
        path: ["tool_choice", "name"],
        message: "Invalid input: expected string, received undefined",
      },
    ],
    [
      "a json_schema format without a schema",
      { input: "hi", text: { format: { type: "json_schema", name: "x" } } },
      {
        path: ["text", "format", "schema"],
        message: "Invalid input: expected object, received undefined",
      },
    ],
    [
      "no input",
      { model: "gpt-4o" },
      { path: ["input"], message: "Expected a string or an array" },
    ],
  ];
  it.each(refused)("refuses %s, naming the field", (_name, body, expected) => {
    expect(issueOf(body)).toEqual(expected);
  });
});
