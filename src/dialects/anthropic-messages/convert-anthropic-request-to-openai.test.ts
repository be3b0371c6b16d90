import { describe, expect, it } from "vitest";
import { anthropicMessagesRequestSchema } from "../../protocols/anthropic/messages-request.js";
import {
  convertAnthropicRequestToOpenAI,
  type ConvertAnthropicRequestOptions,
} from "./convert-anthropic-request-to-openai.js";

const PNG = "iVBORw0KGgo=";

/** Parses the request as the route will (so every case is a valid Anthropic request), then converts. */
function convert(
  fields: Record<string, unknown>,
  options: Partial<ConvertAnthropicRequestOptions> = {},
): { body: unknown; warnings: string[] } {
  const request = anthropicMessagesRequestSchema.parse({
    model: "claude-sonnet-4-20250514",
    max_tokens: 1024,
    messages: [{ role: "user", content: "Hi" }],
    ...fields,
  });
  return convertAnthropicRequestToOpenAI(request, { model: "gpt-4o", ...options });
}

const hi = { role: "user", content: "Hi" };

describe("convertAnthropicRequestToOpenAI: system", () => {
  const cases: [string, unknown, unknown[]][] = [
    ["a string", "Be brief.", [{ role: "system", content: "Be brief." }, hi]],
    [
      "text blocks with cache_control, joined by a blank line",
      [
        { type: "text", text: "You are Claude Code." },
        { type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } },
      ],
      [{ role: "system", content: "You are Claude Code.\n\nBe brief." }, hi],
    ],
    [
      "the billing header block removed",
      [
        { type: "text", text: "x-anthropic-billing-header: cc_version=2.1.75; cc_entrypoint=cli;" },
        { type: "text", text: "Be brief." },
      ],
      [{ role: "system", content: "Be brief." }, hi],
    ],
    [
      "a billing header line inside a block removed, the rest kept",
      "x-anthropic-billing-header: cc_version=1.0.0; cc_entrypoint=cli; cch=00000;\nBe brief.",
      [{ role: "system", content: "Be brief." }, hi],
    ],
    [
      "no system message when only the billing header was there",
      [{ type: "text", text: "x-anthropic-billing-header: cc_version=2.1.75;" }],
      [hi],
    ],
    ["no system message for an empty string", "", [hi]],
  ];
  it.each(cases)("%s", (_name, system, messages) => {
    expect(convert({ system })).toEqual({
      body: { model: "gpt-4o", max_tokens: 1024, messages },
      warnings: [],
    });
  });
});

describe("convertAnthropicRequestToOpenAI: user content", () => {
  const cases: [string, unknown, unknown[], string[]][] = [
    ["a string", "Hello", [{ role: "user", content: "Hello" }], []],
    [
      "one text block as a string",
      [{ type: "text", text: "Hello", cache_control: { type: "ephemeral" } }],
      [{ role: "user", content: "Hello" }],
      [],
    ],
    [
      "text and images (base64 and URL) as parts",
      [
        { type: "text", text: "What is this?" },
        { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
        { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
      ],
      [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
            { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
          ],
        },
      ],
      [],
    ],
    [
      "an image by file id dropped with a warning",
      [
        { type: "text", text: "See" },
        { type: "image", source: { type: "file", file_id: "file_011" } },
      ],
      [{ role: "user", content: "See" }],
      [
        "messages[0].content[1]: an image given by Anthropic file id cannot be carried and was dropped",
      ],
    ],
    [
      "a text document, labelled with its title and context",
      [
        {
          type: "document",
          source: { type: "text", media_type: "text/plain", data: "The grass is green." },
          title: "facts.txt",
          context: "Trusted",
        },
        { type: "text", text: "Summarise" },
      ],
      [
        {
          role: "user",
          content: [
            {
              type: "text",
              text: '<document title="facts.txt">\n<context>Trusted</context>\nThe grass is green.\n</document>',
            },
            { type: "text", text: "Summarise" },
          ],
        },
      ],
      [],
    ],
    [
      "a content document: its text labelled, its images as parts",
      [
        {
          type: "document",
          source: {
            type: "content",
            content: [
              { type: "text", text: "Page one" },
              { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
              { type: "text", text: "Page two" },
            ],
          },
        },
      ],
      [
        {
          role: "user",
          content: [
            { type: "text", text: "<document>\nPage one\n\nPage two\n</document>" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
          ],
        },
      ],
      [],
    ],
    [
      "PDF and URL documents dropped with warnings",
      [
        {
          type: "document",
          source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" },
        },
        { type: "document", source: { type: "url", url: "https://example.com/a.pdf" } },
        { type: "text", text: "Read them" },
      ],
      [{ role: "user", content: "Read them" }],
      [
        "messages[0].content[0]: a base64 document (application/pdf) cannot be carried by Chat Completions and was dropped",
        "messages[0].content[1]: a document given by URL cannot be carried and was dropped",
      ],
    ],
    [
      "a server-tool block dropped with a warning",
      [
        { type: "search_result", source: "https://a", title: "A", content: [] },
        { type: "text", text: "Use it" },
      ],
      [{ role: "user", content: "Use it" }],
      ["messages[0].content[0]: a search_result block only Anthropic can act on was dropped"],
    ],
  ];
  it.each(cases)("%s", (_name, content, messages, warnings) => {
    expect(convert({ messages: [{ role: "user", content }] })).toEqual({
      body: { model: "gpt-4o", max_tokens: 1024, messages },
      warnings,
    });
  });
});

describe("convertAnthropicRequestToOpenAI: tool use and tool results", () => {
  const assistantCalls = {
    role: "assistant",
    content: [
      { type: "thinking", thinking: "I should look.", signature: "sig" },
      { type: "text", text: "Let me look." },
      { type: "tool_use", id: "toolu_A", name: "read", input: { path: "a.txt" } },
      { type: "tool_use", id: "toolu_B", name: "screenshot", input: {} },
    ],
  };
  const openAIAssistantCalls = {
    role: "assistant",
    content: "Let me look.",
    tool_calls: [
      {
        id: "toolu_A",
        type: "function",
        function: { name: "read", arguments: '{"path":"a.txt"}' },
      },
      { id: "toolu_B", type: "function", function: { name: "screenshot", arguments: "{}" } },
    ],
  };

  it("puts tool results first, then the rest of the user turn (tool images before it)", () => {
    const userTurn = {
      role: "user",
      content: [
        { type: "text", text: "Also, hurry." },
        { type: "tool_result", tool_use_id: "toolu_A", content: "hello" },
        { type: "image", source: { type: "url", url: "https://example.com/x.png" } },
        {
          type: "tool_result",
          tool_use_id: "toolu_B",
          is_error: true,
          content: [
            { type: "text", text: "partial capture" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
          ],
        },
      ],
    };
    expect(convert({ messages: [hi, assistantCalls, userTurn] })).toEqual({
      body: {
        model: "gpt-4o",
        max_tokens: 1024,
        messages: [
          hi,
          openAIAssistantCalls,
          { role: "tool", tool_call_id: "toolu_A", content: "hello" },
          { role: "tool", tool_call_id: "toolu_B", content: "Error: partial capture" },
          {
            role: "user",
            content: [
              { type: "text", text: "(images from tool result toolu_B)" },
              { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
              { type: "text", text: "Also, hurry." },
              { type: "image_url", image_url: { url: "https://example.com/x.png" } },
            ],
          },
        ],
      },
      warnings: [],
    });
  });

  const resultCases: [string, unknown, unknown[]][] = [
    [
      "text blocks joined",
      {
        type: "tool_result",
        tool_use_id: "toolu_A",
        content: [
          { type: "text", text: "line 1" },
          { type: "text", text: "line 2" },
        ],
      },
      [{ role: "tool", tool_call_id: "toolu_A", content: "line 1\n\nline 2" }],
    ],
    [
      "no content",
      { type: "tool_result", tool_use_id: "toolu_A" },
      [{ role: "tool", tool_call_id: "toolu_A", content: "" }],
    ],
    [
      "an error without content",
      { type: "tool_result", tool_use_id: "toolu_A", is_error: true },
      [{ role: "tool", tool_call_id: "toolu_A", content: "Error" }],
    ],
    [
      "an error given as a string",
      { type: "tool_result", tool_use_id: "toolu_A", is_error: true, content: "ENOENT" },
      [{ role: "tool", tool_call_id: "toolu_A", content: "Error: ENOENT" }],
    ],
    [
      "images only: the tool message points to them",
      {
        type: "tool_result",
        tool_use_id: "toolu_B",
        content: [{ type: "image", source: { type: "url", url: "https://example.com/s.png" } }],
      },
      [
        {
          role: "tool",
          tool_call_id: "toolu_B",
          content: "(the result is the images in the next message)",
        },
        {
          role: "user",
          content: [
            { type: "text", text: "(images from tool result toolu_B)" },
            { type: "image_url", image_url: { url: "https://example.com/s.png" } },
          ],
        },
      ],
    ],
    [
      "a text document inside a result",
      {
        type: "tool_result",
        tool_use_id: "toolu_A",
        content: [{ type: "document", source: { type: "text", data: "body" }, title: "a.txt" }],
      },
      [
        {
          role: "tool",
          tool_call_id: "toolu_A",
          content: '<document title="a.txt">\nbody\n</document>',
        },
      ],
    ],
  ];
  it.each(resultCases)("a tool result: %s", (_name, block, expected) => {
    const { body } = convert({
      messages: [hi, assistantCalls, { role: "user", content: [block] }],
    });
    expect((body as { messages: unknown[] }).messages.slice(2)).toEqual(expected);
  });

  const assistantCases: [string, unknown, unknown[]][] = [
    ["a string", "Sure.", [{ role: "assistant", content: "Sure." }]],
    [
      "tool calls only: content null",
      [{ type: "tool_use", id: "toolu_A", name: "ls", input: { dir: "." } }],
      [
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "toolu_A", type: "function", function: { name: "ls", arguments: '{"dir":"."}' } },
          ],
        },
      ],
    ],
    [
      "texts around a call joined",
      [
        { type: "text", text: "First." },
        { type: "redacted_thinking", data: "EnC=" },
        { type: "text", text: "Second." },
      ],
      [{ role: "assistant", content: "First.\n\nSecond." }],
    ],
    [
      "thinking only: no message at all",
      [{ type: "thinking", thinking: "Hm", signature: "s" }],
      [],
    ],
  ];
  it.each(assistantCases)("an assistant turn: %s", (_name, content, expected) => {
    const { body, warnings } = convert({ messages: [hi, { role: "assistant", content }] });
    expect((body as { messages: unknown[] }).messages.slice(1)).toEqual(expected);
    expect(warnings).toEqual([]);
  });

  it("keeps a system turn inside messages in place", () => {
    const { body } = convert({
      messages: [hi, { role: "system", content: [{ type: "text", text: "Now be terse." }] }, hi],
    });
    expect((body as { messages: unknown[] }).messages).toEqual([
      hi,
      { role: "system", content: "Now be terse." },
      hi,
    ]);
  });
});

describe("convertAnthropicRequestToOpenAI: parameters", () => {
  const cases: [
    string,
    Record<string, unknown>,
    Partial<ConvertAnthropicRequestOptions>,
    unknown,
    string[],
  ][] = [
    [
      "sampling, stop sequences and user pass",
      {
        temperature: 0.2,
        top_p: 0.9,
        stop_sequences: ["END", "STOP"],
        metadata: { user_id: "user-42" },
      },
      {},
      { max_tokens: 1024, temperature: 0.2, top_p: 0.9, stop: ["END", "STOP"], user: "user-42" },
      [],
    ],
    [
      "empty stop sequences and a null user are not sent",
      { stop_sequences: [], metadata: { user_id: null } },
      {},
      { max_tokens: 1024 },
      [],
    ],
    [
      "max_completion_tokens for models that want it",
      {},
      { preferMaxCompletionTokens: true },
      { max_completion_tokens: 1024 },
      [],
    ],
    [
      "top_k dropped with a warning",
      { top_k: 40 },
      {},
      { max_tokens: 1024 },
      ["top_k is not supported by Chat Completions and was dropped"],
    ],
    [
      "stream with usage",
      { stream: true },
      {},
      { max_tokens: 1024, stream: true, stream_options: { include_usage: true } },
      [],
    ],
    ["stream false is the default", { stream: false }, {}, { max_tokens: 1024 }, []],
    [
      "unknown fields dropped with one warning; cache_control silently",
      { service_tier: "auto", container: "c_1", cache_control: { type: "ephemeral" } },
      {},
      { max_tokens: 1024 },
      ["fields not supported by Chat Completions were dropped: service_tier, container"],
    ],
    [
      "thinking budget 1024 → low",
      { thinking: { type: "enabled", budget_tokens: 1024 } },
      { reasoningEfforts: ["low", "medium", "high"] },
      { max_tokens: 1024, reasoning_effort: "low" },
      [],
    ],
    [
      "thinking budget 4096 → medium",
      { thinking: { type: "enabled", budget_tokens: 4096 } },
      { reasoningEfforts: ["low", "medium", "high"] },
      { max_tokens: 1024, reasoning_effort: "medium" },
      [],
    ],
    [
      "thinking budget 31999 → high",
      { thinking: { type: "enabled", budget_tokens: 31999 } },
      { reasoningEfforts: ["low", "medium", "high"] },
      { max_tokens: 1024, reasoning_effort: "high" },
      [],
    ],
    [
      "medium clamped down to what the model offers",
      { thinking: { type: "enabled", budget_tokens: 8000 } },
      { reasoningEfforts: ["low", "high"] },
      { max_tokens: 1024, reasoning_effort: "low" },
      ['reasoning effort "medium" is not offered by gpt-4o; "low" was sent'],
    ],
    [
      "a model with no efforts: thinking dropped with a warning",
      { thinking: { type: "enabled", budget_tokens: 2048 } },
      {},
      { max_tokens: 1024 },
      [
        'thinking (effort "low") was dropped: gpt-4o takes no reasoning effort through Chat Completions',
      ],
    ],
    [
      "thinking disabled sends nothing",
      { thinking: { type: "disabled" } },
      { reasoningEfforts: ["low"] },
      { max_tokens: 1024 },
      [],
    ],
    [
      "adaptive thinking leaves the effort to the model",
      { thinking: { type: "adaptive" } },
      { reasoningEfforts: ["low"] },
      { max_tokens: 1024 },
      [],
    ],
    [
      "output_config.effort wins over the budget, clamped",
      { thinking: { type: "enabled", budget_tokens: 1024 }, output_config: { effort: "max" } },
      { reasoningEfforts: ["none", "low", "medium", "high"] },
      { max_tokens: 1024, reasoning_effort: "high" },
      ['reasoning effort "max" is not offered by gpt-4o; "high" was sent'],
    ],
    [
      "output_config.format as a JSON schema response format",
      { output_config: { format: { type: "json_schema", schema: { type: "object" } } } },
      {},
      {
        max_tokens: 1024,
        response_format: {
          type: "json_schema",
          json_schema: { name: "output", schema: { type: "object" } },
        },
      },
      [],
    ],
  ];
  it.each(cases)("%s", (_name, fields, options, expected, warnings) => {
    expect(convert(fields, options)).toEqual({
      body: { model: "gpt-4o", messages: [hi], ...(expected as object) },
      warnings,
    });
  });
});
