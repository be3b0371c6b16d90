// Whole recorded Copilot transcripts through the normalizer, compared with exact expected chunks.
import { describe, expect, it } from "vitest";
import { readCopilotFixtureSseData } from "./__fixtures__/copilot-fixtures.js";
import { createChatChunkNormalizer } from "./normalize-chat-completion-chunk.js";

const defaults = { model: "gpt-4o", created: 1700000000, id: "chatcmpl-default" };

interface ToolCallDelta {
  index: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}
interface NormalizedChunk {
  choices: { index: number; delta: { role?: unknown; tool_calls?: ToolCallDelta[] } }[];
}

/** Feeds every `data` payload but `[DONE]` (the caller's job) and keeps what is sent on. */
async function normalizeFixture(name: string): Promise<unknown[]> {
  const normalize = createChatChunkNormalizer(defaults);
  const outputs: unknown[] = [];
  for (const data of await readCopilotFixtureSseData(`chat/${name}`)) {
    if (data === "[DONE]") continue;
    const output = normalize(data);
    if (output !== undefined) outputs.push(JSON.parse(output));
  }
  return outputs;
}

const safeFilterResults = {
  error: { code: "", message: "" },
  hate: { filtered: false, severity: "safe" },
  self_harm: { filtered: false, severity: "safe" },
  sexual: { filtered: false, severity: "safe" },
  violence: { filtered: false, severity: "safe" },
};

const claudeFilterResults = {
  error: { code: "", message: "" },
  hate: { filtered: false, severity: "0" },
  self_harm: { filtered: false, severity: "0" },
  sexual: { filtered: false, severity: "0" },
  violence: { filtered: false, severity: "0" },
};

describe("createChatChunkNormalizer on recorded Copilot streams", () => {
  it("gpt-4o-mini: drops the leading filter chunk, adds object", async () => {
    const base = {
      created: 1736612602,
      id: "chatcmpl-AoYYcb7OYhwgR6DnybUuIsSXWfOBB",
      model: "gpt-4o-mini-2024-07-18",
      system_fingerprint: "fp_5154047bf2",
      object: "chat.completion.chunk",
    };
    const filters = {
      content_filter_offsets: { check_offset: 4829, start_offset: 4829, end_offset: 4849 },
      content_filter_results: safeFilterResults,
    };
    expect(await normalizeFixture("chat-stream.gpt-4o-mini.2025-01-11.sse")).toEqual([
      {
        ...base,
        choices: [
          { index: 0, ...filters, delta: { content: "", role: "assistant" }, finish_reason: null },
        ],
      },
      {
        ...base,
        choices: [{ index: 0, ...filters, delta: { content: "generate" }, finish_reason: null }],
      },
      {
        ...base,
        choices: [{ index: 0, ...filters, delta: { content: "_code" }, finish_reason: null }],
      },
      {
        ...base,
        choices: [{ index: 0, ...filters, delta: { content: "_sample" }, finish_reason: null }],
      },
      {
        ...base,
        choices: [{ index: 0, ...filters, delta: { content: null }, finish_reason: "stop" }],
        usage: { completion_tokens: 3, prompt_tokens: 956, total_tokens: 959 },
      },
    ]);
  });

  it("claude-3.5-sonnet: role only on the first delta, total_tokens 0 becomes the sum", async () => {
    const outputs = await normalizeFixture("chat-stream.claude-3.5-sonnet.2025-01-11.sse");
    const base = {
      id: "msg_bdrk_01QvF9cjvJsrNcCgTvaPw1zk",
      model: "claude-3.5-sonnet",
      object: "chat.completion.chunk",
    };
    expect(outputs.length).toBe(94);
    expect(outputs.slice(0, 2)).toEqual([
      {
        ...base,
        created: 1736614523,
        choices: [
          {
            index: 0,
            delta: { content: "This project is an", role: "assistant" },
            finish_reason: null,
          },
        ],
      },
      {
        ...base,
        created: 1736614523,
        choices: [
          {
            index: 0,
            content_filter_offsets: { check_offset: 0, start_offset: 0, end_offset: 150 },
            content_filter_results: claudeFilterResults,
            delta: { content: " app" },
            finish_reason: null,
          },
        ],
      },
    ]);
    expect(outputs.slice(-2)).toEqual([
      {
        ...base,
        created: 1736614530,
        choices: [
          {
            index: 0,
            content_filter_offsets: { check_offset: 0, start_offset: 0, end_offset: 1088 },
            content_filter_results: claudeFilterResults,
            delta: { content: "." },
            finish_reason: null,
          },
        ],
      },
      {
        ...base,
        created: 1736614530,
        choices: [{ finish_reason: "stop", index: 0, delta: { content: null } }],
        usage: { completion_tokens: 296, prompt_tokens: 5471, total_tokens: 5767 },
      },
    ]);
    const laterRoles = (outputs.slice(1) as NormalizedChunk[]).filter(
      (chunk) => chunk.choices[0] !== undefined && "role" in chunk.choices[0].delta,
    );
    expect(laterRoles).toEqual([]);
  });

  it("two tool calls sharing index 0: the second call gets index 1", async () => {
    const outputs = await normalizeFixture(
      "chat-stream.claude-3.5-sonnet.two-tool-calls-same-index.2025-03-14.sse",
    );
    expect(outputs.length).toBe(142);
    const toolCalls = (outputs as NormalizedChunk[]).flatMap(
      (chunk) => chunk.choices[0]?.delta.tool_calls ?? [],
    );
    expect(toolCalls.filter((call) => call.id !== undefined)).toEqual([
      {
        function: { name: "edit_file" },
        id: "tooluse_448k6WHnTpS28K0Bd1bhgA",
        index: 0,
        type: "function",
      },
      {
        function: { name: "edit_file" },
        id: "tooluse_2SRF2HShTXOoLdGrjWuGiw",
        index: 1,
        type: "function",
      },
    ]);
    expect(toolCalls.map((call) => call.index)).toEqual([
      ...Array<number>(26).fill(0),
      ...Array<number>(106).fill(1),
    ]);
    // Merged by index, as the openai SDK does, each call keeps only its own arguments.
    const argumentsByIndex = ["", ""];
    for (const call of toolCalls) argumentsByIndex[call.index] += call.function?.arguments ?? "";
    expect(
      argumentsByIndex.map((text) => [text.length, text.slice(0, 30), text.slice(-20)]),
    ).toEqual([
      [172, '{"filePath":"/Users/roblou/cod', '    return a * b;\\"}'],
      [676, '"filePath":"/Users/roblou/code', '..existing code..."}'],
    ]);
    expect(outputs.at(-1)).toEqual({
      choices: [{ finish_reason: "tool_calls", index: 0, delta: { content: null } }],
      created: 1741911507,
      id: "ba49856c-7de2-485b-87cd-6ff61c58407e",
      usage: { completion_tokens: 170, prompt_tokens: 2128, total_tokens: 2298 },
      model: "claude-3.5-sonnet",
      object: "chat.completion.chunk",
    });
  });

  it("n=2 interleaved choices: each choice keeps its first role; model from the defaults", async () => {
    const base = {
      created: 1717766967,
      id: "chatcmpl-9XTwlPjQvCcybmQxvS39Ouj4EEG89",
      object: "chat.completion.chunk",
      model: "gpt-4o",
    };
    const filters = {
      content_filter_offsets: { check_offset: 1811, start_offset: 1811, end_offset: 1819 },
      content_filter_results: safeFilterResults,
    };
    const choiceChunks = (index: number): unknown[] => [
      {
        ...base,
        choices: [
          { index, ...filters, delta: { content: "", role: "assistant" }, finish_reason: null },
        ],
      },
      {
        ...base,
        choices: [{ index, ...filters, delta: { content: "generate" }, finish_reason: null }],
      },
      {
        ...base,
        choices: [{ finish_reason: "stop", index, ...filters, delta: { content: null } }],
      },
    ];
    expect(await normalizeFixture("chat-stream.n2-choices-interleaved.2024-06-07.sse")).toEqual([
      ...choiceChunks(0),
      ...choiceChunks(1),
      ...choiceChunks(2),
    ]);
  });

  it("legacy function_call: passes through, later deltas lose their role", async () => {
    const base = {
      created: 1717591770,
      id: "chatcmpl-9WkN0MexQZVb1yEgTn8jqMX24oHej",
      object: "chat.completion.chunk",
      model: "gpt-4o",
    };
    const argumentChunk = (text: string): unknown => ({
      ...base,
      choices: [
        {
          index: 0,
          delta: { content: null, function_call: { arguments: text } },
          finish_reason: null,
        },
      ],
    });
    expect(await normalizeFixture("chat-stream.legacy-function_call.2024-06-05.sse")).toEqual([
      {
        ...base,
        choices: [
          {
            index: 0,
            delta: {
              content: null,
              role: "assistant",
              function_call: { arguments: "", name: "get_current_weather" },
            },
            finish_reason: null,
          },
        ],
      },
      argumentChunk("{\n"),
      argumentChunk(" "),
      argumentChunk(' "'),
      argumentChunk("location"),
      argumentChunk('":'),
      argumentChunk(' "'),
      argumentChunk("Z"),
      argumentChunk('"\n'),
      argumentChunk("}"),
      {
        ...base,
        choices: [{ finish_reason: "function_call", index: 0, delta: { content: null } }],
      },
    ]);
  });

  it('cot_summary (EDITED): "model":"" and "id":"" fall back (the first id sent holds for the stream); role kept on its first delta', async () => {
    const base = {
      model: "gpt-4o",
      object: "chat.completion.chunk",
      system_fingerprint: "fp_ef29a3520f",
      usage: null,
    };
    // The recorded id (chatcmpl-BnAI…) appears only after two id-less chunks were sent.
    const toolCallChoice = (delta: unknown, finishReason: string | null): unknown => ({
      content_filter_results: {},
      delta,
      finish_reason: finishReason,
      index: 0,
      logprobs: null,
    });
    expect(await normalizeFixture("chat-stream.cot_summary-cot_id.EDITED.sse")).toEqual([
      {
        ...base,
        id: "chatcmpl-default",
        created: 1751057335,
        choices: [
          {
            content_filter_results: {},
            delta: { cot_summary: " " },
            index: 0,
            finish_reason: null,
          },
        ],
      },
      {
        ...base,
        id: "chatcmpl-default",
        created: 1751057335,
        choices: [
          {
            content_filter_results: {},
            delta: { cot_summary: "Analy" },
            index: 0,
            finish_reason: null,
          },
        ],
      },
      {
        ...base,
        id: "chatcmpl-default",
        created: 1751057335,
        choices: [
          {
            content_filter_results: {},
            delta: { cot_summary: "zing" },
            index: 0,
            finish_reason: null,
          },
        ],
      },
      {
        ...base,
        id: "chatcmpl-default",
        created: 1751242659,
        choices: [
          toolCallChoice(
            {
              content: null,
              refusal: null,
              role: "assistant",
              tool_calls: [
                {
                  function: { arguments: "", name: "read_file" },
                  id: "call_bNK0HIaqlEFyZK6wEz8bXDXJ",
                  index: 0,
                  type: "function",
                },
              ],
            },
            null,
          ),
        ],
      },
      {
        ...base,
        id: "chatcmpl-default",
        created: 1751057334,
        choices: [
          toolCallChoice(
            { tool_calls: [{ function: { arguments: "arg-part1" }, index: 0 }] },
            null,
          ),
        ],
      },
      {
        ...base,
        id: "chatcmpl-default",
        created: 1751057334,
        choices: [
          toolCallChoice(
            { tool_calls: [{ function: { arguments: "arg-part2" }, index: 0 }] },
            null,
          ),
        ],
      },
      {
        ...base,
        id: "chatcmpl-default",
        created: 1751057334,
        choices: [toolCallChoice({}, "tool_calls")],
      },
      {
        ...base,
        id: "chatcmpl-default",
        created: 1751050807,
        choices: [
          {
            content_filter_results: {},
            delta: { cot_id: "cot_a3074ac0-a8e8-4a55-bb5b-65cbb1648dcf" },
            index: 0,
            finish_reason: null,
          },
        ],
      },
    ]);
  });
});
