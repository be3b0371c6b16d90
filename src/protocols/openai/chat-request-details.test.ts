import { describe, expect, it } from "vitest";
import { openAIChatRequestDetailsSchema } from "./chat-request-details.js";

function issueOf(body: unknown): { path: PropertyKey[]; message: string } | undefined {
  const result = openAIChatRequestDetailsSchema.safeParse(body);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return issue === undefined ? undefined : { path: issue.path, message: issue.message };
}

const hi = { role: "user", content: "Hi" };

describe("openAIChatRequestDetailsSchema", () => {
  it("types a tool call that leaves out its type, and keeps unknown parts and tools apart", () => {
    expect(
      openAIChatRequestDetailsSchema.parse({
        messages: [
          { role: "user", content: [{ type: "input_audio", input_audio: { data: "AA==" } }] },
          {
            role: "assistant",
            tool_calls: [{ id: "c1", function: { name: "f", arguments: "{}" } }],
          },
        ],
        tools: [{ type: "custom", custom: { name: "exec" } }],
      }),
    ).toEqual({
      messages: [
        {
          role: "user",
          content: [
            {
              type: "unsupported",
              unsupportedType: "input_audio",
              value: { type: "input_audio", input_audio: { data: "AA==" } },
            },
          ],
        },
        {
          role: "assistant",
          tool_calls: [{ type: "function", id: "c1", function: { name: "f", arguments: "{}" } }],
        },
      ],
      tools: [
        {
          type: "unsupported",
          unsupportedType: "custom",
          value: { type: "custom", custom: { name: "exec" } },
        },
      ],
    });
  });

  const refused: [string, unknown, { path: PropertyKey[]; message: string }][] = [
    [
      "a tool message without tool_call_id",
      { messages: [{ role: "tool", content: "x" }] },
      {
        path: ["messages", 0, "tool_call_id"],
        message: "Invalid input: expected string, received undefined",
      },
    ],
    [
      "an image part without a url",
      { messages: [{ role: "user", content: [{ type: "image_url", image_url: {} }] }] },
      {
        path: ["messages", 0, "content", 0, "image_url", "url"],
        message: "Invalid input: expected string, received undefined",
      },
    ],
    [
      "an unknown tool_choice mode",
      { messages: [hi], tool_choice: "any" },
      {
        path: ["tool_choice"],
        message: 'Invalid option: expected one of "auto"|"none"|"required"',
      },
    ],
    [
      "a function tool_choice without a name",
      { messages: [hi], tool_choice: { type: "function", function: {} } },
      {
        path: ["tool_choice", "function", "name"],
        message: "Invalid input: expected string, received undefined",
      },
    ],
    [
      "a json_schema response_format without a name",
      { messages: [hi], response_format: { type: "json_schema", json_schema: { schema: {} } } },
      {
        path: ["response_format", "json_schema", "name"],
        message: "Invalid input: expected string, received undefined",
      },
    ],
  ];
  it.each(refused)("refuses %s, naming the field", (_name, body, expected) => {
    expect(issueOf(body)).toEqual(expected);
  });
});
