import { describe, expect, it } from "vitest";
import type { AnthropicMessagesRequest } from "../../protocols/anthropic/messages-request.js";
import type { AnthropicWebSearchMessage } from "../../protocols/anthropic/web-search-response.js";
import { convertWebSearchRequestToResponses } from "./convert-web-search-request-to-responses.js";
import { findWebSearchTool, isOnDomain } from "./find-web-search-tool.js";
import { renderWebSearchStream } from "./render-web-search-stream.js";

const request = (extra: Partial<AnthropicMessagesRequest> = {}): AnthropicMessagesRequest => ({
  model: "claude-sonnet-4.5",
  max_tokens: 100,
  messages: [{ role: "user", content: "Perform a web search for the query: cogpt" }],
  ...extra,
});

describe("findWebSearchTool", () => {
  it("finds a dated web_search tool and reads its settings", () => {
    expect(
      findWebSearchTool([
        { name: "Bash", input_schema: {} },
        {
          type: "web_search_20250305",
          name: "web_search",
          max_uses: 3,
          blocked_domains: ["x.test"],
          user_location: { type: "approximate", city: "Paris" },
        },
      ]),
    ).toEqual({
      maxUses: 3,
      allowedDomains: [],
      blockedDomains: ["x.test"],
      userLocation: { type: "approximate", city: "Paris" },
    });
    expect(findWebSearchTool([{ name: "Bash", input_schema: {} }])).toBeUndefined();
    expect(findWebSearchTool(undefined)).toBeUndefined();
  });

  it("refuses both domain lists, or a list that is not one, with a 400 naming the tool", () => {
    const both = { type: "web_search_20250305", name: "web_search" };
    expect(() =>
      findWebSearchTool([{ ...both, allowed_domains: ["a.test"], blocked_domains: ["b.test"] }]),
    ).toThrow(
      expect.objectContaining({
        status: 400,
        message: "tools.0: give allowed_domains or blocked_domains, not both",
      }),
    );
    expect(() => findWebSearchTool([{ ...both, allowed_domains: "a.test" }])).toThrow(
      expect.objectContaining({
        status: 400,
        message: "tools.0.allowed_domains: Invalid input: expected array, received string",
      }),
    );
  });

  it.each([
    ["https://docs.nodejs.org/api", ["nodejs.org"], true],
    ["https://nodejs.org/en/blog", ["nodejs.org/en"], true],
    ["https://nodejs.org/fr/blog", ["nodejs.org/en"], false],
    ["https://notnodejs.org/", ["nodejs.org"], false],
    ["not a url", ["nodejs.org"], false],
  ])("isOnDomain(%s, %j) is %s", (url, domains, expected) => {
    expect(isOnDomain(url, domains)).toBe(expected);
  });
});

describe("convertWebSearchRequestToResponses", () => {
  it("sends the conversation's text, the system prompt and the web_search tool", () => {
    const settings = {
      maxUses: undefined,
      allowedDomains: ["nodejs.org"],
      blockedDomains: [],
      userLocation: { type: "approximate", country: "FR" },
    };
    expect(
      convertWebSearchRequestToResponses(
        request({
          system: [{ type: "text", text: "Search well." }],
          messages: [
            { role: "user", content: [{ type: "text", text: "Find cogpt" }] },
            { role: "assistant", content: "Which one?" },
            {
              role: "user",
              content: [
                { type: "text", text: "The gateway." },
                { type: "image", source: { type: "url", url: "https://x.test/a.png" } },
              ],
            },
          ],
        }),
        settings,
        "gpt-5.4",
      ),
    ).toEqual({
      body: {
        model: "gpt-5.4",
        input: [
          { type: "message", role: "user", content: "Find cogpt" },
          { type: "message", role: "assistant", content: "Which one?" },
          { type: "message", role: "user", content: "The gateway." },
        ],
        instructions: "Search well.",
        tools: [
          {
            type: "web_search",
            filters: { allowed_domains: ["nodejs.org"] },
            user_location: { type: "approximate", country: "FR" },
          },
        ],
        include: ["web_search_call.action.sources"],
        store: false,
        stream: false,
      },
      warnings: ['a "image" block (the web search model gets the text only)'],
    });
  });

  it("asks in the instructions to keep off blocked domains (Responses has no blocklist)", () => {
    const { body } = convertWebSearchRequestToResponses(
      request(),
      {
        maxUses: 1,
        allowedDomains: [],
        blockedDomains: ["a.test", "b.test"],
        userLocation: undefined,
      },
      "gpt-5.4",
    );
    expect(body.instructions).toBe("Do not use results from these domains: a.test, b.test.");
    expect(body.tools).toEqual([{ type: "web_search" }]);
  });
});

describe("renderWebSearchStream", () => {
  it("renders each block's start, deltas and stop, then the usage", () => {
    const usage = {
      input_tokens: 5,
      output_tokens: 7,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      server_tool_use: { web_search_requests: 1 },
    };
    const citation = {
      type: "web_search_result_location" as const,
      url: "https://a.test/",
      title: "A",
      encrypted_index: "",
      cited_text: "Cited.",
    };
    const toolResult = {
      type: "web_search_tool_result" as const,
      tool_use_id: "srvtoolu_1",
      content: [],
    };
    const message: AnthropicWebSearchMessage = {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4.5",
      content: [
        { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "q" } },
        toolResult,
        { type: "text", text: "Cited.", citations: [citation] },
      ],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage,
    };
    expect(
      renderWebSearchStream(message).map((event) => [
        event.event,
        JSON.parse(event.data) as unknown,
      ]),
    ).toEqual([
      [
        "message_start",
        {
          type: "message_start",
          message: {
            ...message,
            content: [],
            stop_reason: null,
            usage: { ...usage, output_tokens: 0 },
          },
        },
      ],
      [
        "content_block_start",
        {
          type: "content_block_start",
          index: 0,
          content_block: {
            type: "server_tool_use",
            id: "srvtoolu_1",
            name: "web_search",
            input: {},
          },
        },
      ],
      [
        "content_block_delta",
        {
          type: "content_block_delta",
          index: 0,
          delta: { type: "input_json_delta", partial_json: '{"query":"q"}' },
        },
      ],
      ["content_block_stop", { type: "content_block_stop", index: 0 }],
      ["content_block_start", { type: "content_block_start", index: 1, content_block: toolResult }],
      ["content_block_stop", { type: "content_block_stop", index: 1 }],
      [
        "content_block_start",
        { type: "content_block_start", index: 2, content_block: { type: "text", text: "" } },
      ],
      [
        "content_block_delta",
        { type: "content_block_delta", index: 2, delta: { type: "citations_delta", citation } },
      ],
      [
        "content_block_delta",
        { type: "content_block_delta", index: 2, delta: { type: "text_delta", text: "Cited." } },
      ],
      ["content_block_stop", { type: "content_block_stop", index: 2 }],
      [
        "message_delta",
        { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage },
      ],
      ["message_stop", { type: "message_stop" }],
    ]);
  });
});
