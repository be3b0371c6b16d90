import { describe, expect, it } from "vitest";
import { openAIResponsesRequestSchema } from "../../protocols/openai/responses-request.js";
import { initiatorOfResponsesInput, responsesInputHasImage } from "./responses-request-traits.js";

function parseInput(input: unknown) {
  return openAIResponsesRequestSchema.parse({ input }).input;
}

const user = { role: "user", content: "hi" };
const call = { type: "function_call", call_id: "call_1", name: "f", arguments: "{}" };
const output = { type: "function_call_output", call_id: "call_1", output: "42" };
const image = { type: "input_image", image_url: "data:image/png;base64,AA==", detail: "auto" };

describe("initiatorOfResponsesInput", () => {
  const cases: [string, unknown, "user" | "agent"][] = [
    ["a string", "hi", "user"],
    ["a new user message", [user], "user"],
    ["a user message after a whole tool exchange", [user, call, output, user], "user"],
    ["a function result", [user, call, output], "agent"],
    ["a function call (the model's turn continues)", [user, call], "agent"],
    ["an assistant prefill", [user, { role: "assistant", content: "Sure" }], "agent"],
    ["a reasoning item last", [user, { type: "reasoning", summary: [] }], "agent"],
    ["a developer message last", [{ role: "developer", content: "x" }], "user"],
    ["a system message last", [{ role: "system", content: "x" }], "user"],
    ["a hosted tool output", [user, { type: "computer_call_output", call_id: "c" }], "agent"],
    [
      "a custom tool call",
      [user, { type: "custom_tool_call", call_id: "c", name: "t", input: "x" }],
      "agent",
    ],
    [
      "a custom tool output",
      [user, { type: "custom_tool_call_output", call_id: "c", output: "ok" }],
      "agent",
    ],
    ["an item reference", [{ type: "item_reference", id: "msg_1" }], "user"],
    ["no items", [], "user"],
  ];
  it.each(cases)("%s", (_name, input, expected) => {
    expect(initiatorOfResponsesInput(parseInput(input))).toBe(expected);
  });
});

describe("responsesInputHasImage", () => {
  const cases: [string, unknown, boolean][] = [
    ["a string", "hi", false],
    ["text only", [user, { role: "user", content: [{ type: "input_text", text: "x" }] }], false],
    ["an image in a user message", [{ role: "user", content: [image] }], true],
    [
      "an image given by file id",
      [{ role: "user", content: [{ type: "input_image", file_id: "f" }] }],
      true,
    ],
    ["an image in a function output", [call, { ...output, output: [image] }], true],
    [
      "a computer-use screenshot",
      [{ type: "computer_call_output", call_id: "c", output: { type: "computer_screenshot" } }],
      true,
    ],
    ["a function result in text", [call, output], false],
  ];
  it.each(cases)("%s", (_name, input, expected) => {
    expect(responsesInputHasImage({ input: parseInput(input) })).toBe(expected);
  });
});
