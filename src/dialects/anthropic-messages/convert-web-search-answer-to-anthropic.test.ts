import { describe, expect, it } from "vitest";
import { convertWebSearchAnswerToAnthropic } from "./convert-web-search-answer-to-anthropic.js";
import type { AnthropicWebSearchSettings } from "./find-web-search-tool.js";

const SETTINGS: AnthropicWebSearchSettings = {
  maxUses: undefined,
  allowedDomains: [],
  blockedDomains: [],
  userLocation: undefined,
};
const FIRST = "Node 20 came out in April 2023.";
const TEXT = `${FIRST} It is LTS.`;
const ANSWER = {
  id: "resp_abc+1/2==",
  status: "completed",
  output: [
    {
      type: "web_search_call",
      id: "ws_1",
      status: "completed",
      action: {
        type: "search",
        query: "node 20 release",
        sources: [
          { type: "url", url: "https://nodejs.org/en/blog/release/v20.0.0" },
          { type: "url", url: "https://example.com/node" },
        ],
      },
    },
    {
      type: "message",
      content: [
        {
          type: "output_text",
          text: TEXT,
          annotations: [
            {
              type: "url_citation",
              start_index: 0,
              end_index: FIRST.length,
              url: "https://nodejs.org/en/blog/release/v20.0.0",
              title: "Node v20.0.0",
            },
            {
              type: "url_citation",
              start_index: FIRST.length + 1,
              end_index: TEXT.length,
              url: "https://endoflife.date/nodejs",
              title: "Node.js EOL",
            },
          ],
        },
      ],
    },
  ],
  usage: { input_tokens: 100, input_tokens_details: { cached_tokens: 40 }, output_tokens: 20 },
};

const convert = (answer: unknown, settings: Partial<AnthropicWebSearchSettings> = {}) =>
  convertWebSearchAnswerToAnthropic(JSON.stringify(answer), {
    model: "claude-sonnet-4.5",
    settings: { ...SETTINGS, ...settings },
  });

const result = (url: string, title: string) => ({
  type: "web_search_result",
  url,
  title,
  encrypted_content: "",
  page_age: null,
});

describe("convertWebSearchAnswerToAnthropic", () => {
  it("builds server_tool_use, web_search_tool_result and cited text blocks", () => {
    expect(convert(ANSWER)).toEqual({
      id: "msg_resp_abc+1/2==",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4.5",
      content: [
        {
          type: "server_tool_use",
          id: "srvtoolu_respabc12_1",
          name: "web_search",
          input: { query: "node 20 release" },
        },
        {
          type: "web_search_tool_result",
          tool_use_id: "srvtoolu_respabc12_1",
          content: [
            result("https://nodejs.org/en/blog/release/v20.0.0", "Node v20.0.0"),
            result("https://example.com/node", "https://example.com/node"),
            // Cited, though no search listed it: added to the last search's results.
            result("https://endoflife.date/nodejs", "Node.js EOL"),
          ],
        },
        {
          type: "text",
          text: FIRST,
          citations: [
            {
              type: "web_search_result_location",
              url: "https://nodejs.org/en/blog/release/v20.0.0",
              title: "Node v20.0.0",
              encrypted_index: "",
              cited_text: FIRST,
            },
          ],
        },
        { type: "text", text: " " },
        {
          type: "text",
          text: "It is LTS.",
          citations: [
            {
              type: "web_search_result_location",
              url: "https://endoflife.date/nodejs",
              title: "Node.js EOL",
              encrypted_index: "",
              cited_text: "It is LTS.",
            },
          ],
        },
      ],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: {
        input_tokens: 60,
        output_tokens: 20,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 40,
        server_tool_use: { web_search_requests: 1 },
      },
    });
  });

  it("counts spans in code points, merges overlapping ones and keeps uncited text", () => {
    const text = "😀 ab cd";
    const message = convert({
      output: [
        {
          type: "message",
          content: [
            {
              type: "output_text",
              text,
              annotations: [
                {
                  type: "url_citation",
                  start_index: 2,
                  end_index: 4,
                  url: "https://a.test/",
                  title: "A",
                },
                { type: "url_citation", start_index: 3, end_index: 5, url: "https://b.test/" },
                { type: "url_citation", start_index: 9, end_index: 20, url: "https://c.test/" },
              ],
            },
          ],
        },
      ],
    });
    expect(message.content).toEqual([
      { type: "text", text: "😀 " },
      {
        type: "text",
        text: "ab",
        citations: [
          {
            type: "web_search_result_location",
            url: "https://a.test/",
            title: "A",
            encrypted_index: "",
            cited_text: "ab",
          },
          {
            type: "web_search_result_location",
            url: "https://b.test/",
            title: null,
            encrypted_index: "",
            cited_text: "b ",
          },
        ],
      },
      { type: "text", text: " cd" },
    ]);
    expect(message.usage.server_tool_use).toEqual({ web_search_requests: 0 });
  });

  it("removes blocked domains' results and citations, and errs searches past max_uses", () => {
    const second = { ...ANSWER.output[0], id: "ws_2", action: { type: "search", query: "again" } };
    const message = convert(
      { ...ANSWER, output: [ANSWER.output[0], second, ANSWER.output[1]] },
      { blockedDomains: ["nodejs.org"], maxUses: 1 },
    );
    expect(message.content.slice(0, 4)).toEqual([
      {
        type: "server_tool_use",
        id: "srvtoolu_respabc12_1",
        name: "web_search",
        input: { query: "node 20 release" },
      },
      {
        type: "web_search_tool_result",
        tool_use_id: "srvtoolu_respabc12_1",
        content: [
          result("https://example.com/node", "https://example.com/node"),
          result("https://endoflife.date/nodejs", "Node.js EOL"),
        ],
      },
      {
        type: "server_tool_use",
        id: "srvtoolu_respabc12_2",
        name: "web_search",
        input: { query: "again" },
      },
      {
        type: "web_search_tool_result",
        tool_use_id: "srvtoolu_respabc12_2",
        content: { type: "web_search_tool_result_error", error_code: "max_uses_exceeded" },
      },
    ]);
    expect(message.content[4]).toEqual({ type: "text", text: `${FIRST} ` });
    expect(message.usage.server_tool_use).toEqual({ web_search_requests: 1 });
  });

  it("keeps to allowed_domains, and says max_tokens for an answer cut at the output limit", () => {
    const message = convert(
      { ...ANSWER, status: "incomplete", incomplete_details: { reason: "max_output_tokens" } },
      { allowedDomains: ["nodejs.org/en"] },
    );
    expect(message.content[1]).toEqual({
      type: "web_search_tool_result",
      tool_use_id: "srvtoolu_respabc12_1",
      content: [result("https://nodejs.org/en/blog/release/v20.0.0", "Node v20.0.0")],
    });
    expect(message.stop_reason).toBe("max_tokens");
  });

  it("reports a failed search or an answer of the wrong shape as Copilot's failure (502)", () => {
    expect(() =>
      convert({ status: "failed", output: [], error: { code: "server_error", message: "boom" } }),
    ).toThrow(
      expect.objectContaining({ status: 502, message: "Copilot's web search failed: boom" }),
    );
    expect(() => convert({ output: "nope" })).toThrow(
      expect.objectContaining({
        status: 502,
        message:
          "Copilot's web search answer was not understood at output: Invalid input: expected array, received string",
      }),
    );
  });
});
