// Issue 14 items 1 and 8 through the real gateway, driven by the official openai SDK against the
// fake upstream: Codex-style namespace and custom tools for a chat-only model, stable item ids
// over Copilot's rotating ones, and a degenerate tool call cut with an error.
import Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.reset();
});

function chatBodies(): Record<string, unknown>[] {
  return h.fake.requests
    .filter((r) => r.server === "copilot" && r.path === "/chat/completions")
    .map((r) => JSON.parse(r.body) as Record<string, unknown>);
}

const CHAT_ONLY = "gpt-4o";
const tools: OpenAI.Responses.Tool[] = [
  {
    type: "namespace",
    name: "mcp__weather",
    description: "Weather tools",
    tools: [
      {
        type: "function",
        name: "get_forecast",
        description: "Forecast for a city",
        parameters: { type: "object", properties: { city: { type: "string" } } },
        strict: false,
      },
    ],
  },
  { type: "custom", name: "apply_patch", description: "Edit files with a patch" },
];
const PATCH = "*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch";

function scriptBothCalls(): void {
  h.fake.scriptNext("/chat/completions", {
    toolCalls: [
      { name: "mcp__weather__get_forecast", arguments: { city: "Paris" } },
      { name: "apply_patch", arguments: { input: PATCH } },
    ],
  });
}

/** The calls of a Response, without their generated ids. */
function callsOf(output: readonly OpenAI.Responses.ResponseOutputItem[]) {
  return output.map((item) => {
    if (item.type === "function_call") {
      return {
        type: item.type,
        name: item.name,
        namespace: item.namespace,
        arguments: item.arguments,
      };
    }
    if (item.type === "custom_tool_call")
      return { type: item.type, name: item.name, input: item.input };
    return { type: item.type };
  });
}

const expectedCalls = [
  {
    type: "function_call",
    name: "get_forecast",
    namespace: "mcp__weather",
    arguments: '{"city":"Paris"}',
  },
  { type: "custom_tool_call", name: "apply_patch", input: PATCH },
];

describe("namespace and custom tools for a chat-only model", () => {
  it("offers them flattened and answers with the client's names (whole answer)", async () => {
    scriptBothCalls();
    const response = await h.openai().responses.create({ model: CHAT_ONLY, input: "Go", tools });
    expect(callsOf(response.output)).toEqual(expectedCalls);
    const offered = (chatBodies()[0]?.["tools"] as { function: { name: string } }[]).map(
      (tool) => tool.function.name,
    );
    expect(offered).toEqual(["mcp__weather__get_forecast", "apply_patch"]);
  });

  it("streams them with the client's names, a custom call's input in its own events", async () => {
    scriptBothCalls();
    const stream = h.openai().responses.stream({ model: CHAT_ONLY, input: "Go", tools });
    const types: string[] = [];
    stream.on("event", (event) => types.push(event.type));
    const final = await stream.finalResponse();
    expect(callsOf(final.output)).toEqual(expectedCalls);
    expect(types).toContain("response.custom_tool_call_input.done");
  });

  it("takes the calls and their outputs back in the history, under the flattened names", async () => {
    h.fake.scriptNext("/chat/completions", { text: "All done." });
    const response = await h.openai().responses.create({
      model: CHAT_ONLY,
      tools,
      input: [
        { role: "user", content: "Go" },
        {
          type: "function_call",
          call_id: "call_1",
          name: "get_forecast",
          namespace: "mcp__weather",
          arguments: '{"city":"Paris"}',
        },
        { type: "function_call_output", call_id: "call_1", output: "Sunny" },
        { type: "custom_tool_call", call_id: "call_2", name: "apply_patch", input: PATCH },
        { type: "custom_tool_call_output", call_id: "call_2", output: "Patched" },
      ],
    });
    expect(response.output_text).toBe("All done.");
    expect(chatBodies()[0]?.["messages"]).toEqual([
      { role: "user", content: "Go" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "mcp__weather__get_forecast", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: "Sunny" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_2",
            type: "function",
            function: { name: "apply_patch", arguments: JSON.stringify({ input: PATCH }) },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_2", content: "Patched" },
    ]);
  });
});

describe("item ids across a streamed item's events", () => {
  it.each([
    ["native (Copilot rotates them)", "gpt-5.3-codex"],
    ["translated", CHAT_ONLY],
  ])("stay the same, %s", async (_name, model) => {
    const stream = h.openai().responses.stream({ model, input: "Say something long enough" });
    const idsByIndex = new Map<number, Set<string>>();
    stream.on("event", (event) => {
      const record = event as unknown as {
        output_index?: number;
        item_id?: string;
        item?: { id?: string };
      };
      const id = record.item_id ?? record.item?.id;
      if (record.output_index === undefined || id === undefined) return;
      const ids = idsByIndex.get(record.output_index) ?? new Set<string>();
      ids.add(id);
      idsByIndex.set(record.output_index, ids);
    });
    const final = await stream.finalResponse();
    expect(
      final.output.map((item) => [...(idsByIndex.get(final.output.indexOf(item)) ?? [])]),
    ).toEqual(final.output.map((item) => [item.id]));
  });
});

describe("a tool call that degenerates into whitespace", () => {
  const degenerate = { degenerateToolCall: { name: "exec_command", whitespaceCharacters: 6000 } };
  const message =
    'The tool call "exec_command" degenerated into whitespace (2000 whitespace characters in a row with nothing else): the answer was cut instead of streaming until max_output_tokens; try again';

  it("is cut with an error event on a native Responses stream", async () => {
    h.fake.scriptNext("/responses", degenerate);
    const stream = h.openai().responses.stream({ model: "gpt-5.3-codex", input: "Run it" });
    await expect(stream.finalResponse()).rejects.toThrow(message);
  });

  it("is cut with an error chunk for a Chat client of a Responses-only model", async () => {
    h.fake.scriptNext("/responses", degenerate);
    const stream = await h.openai().chat.completions.create({
      model: "gpt-5.3-codex",
      messages: [{ role: "user", content: "Run it" }],
      stream: true,
    });
    const read = async () => {
      for await (const _chunk of stream) {
        // Read to the end.
      }
    };
    await expect(read()).rejects.toThrow(message);
  });

  it("is cut with an error event for an Anthropic client of a Responses-only model", async () => {
    h.fake.scriptNext("/responses", degenerate);
    const anthropic = new Anthropic({
      apiKey: FAKE_GITHUB_TOKEN,
      baseURL: h.gateway.url,
      maxRetries: 0,
    });
    const stream = anthropic.messages.stream({
      model: "gpt-5.3-codex",
      max_tokens: 100,
      messages: [{ role: "user", content: "Run it" }],
    });
    // The SDK's message is the event's JSON.
    await expect(stream.finalMessage()).rejects.toThrow(
      JSON.stringify({ type: "error", error: { type: "api_error", message } }),
    );
  });
});
