import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness } from "./harness.js";

// Anthropic's web_search server tool, which Copilot refuses: run by the gateway through
// WEB_SEARCH_MODEL's Responses web_search tool, or refused with a 400 naming the setting.

const SEARCH_TOOL = {
  type: "web_search_20250305",
  name: "web_search",
  max_uses: 8,
} as const satisfies Anthropic.WebSearchTool20250305;

/** What Claude Code's WebSearch sends (a separate request; its only tool is web_search). */
const searchRequest = (model: string) => ({
  model,
  max_tokens: 1000,
  system: "You are an assistant for performing a web search tool use",
  messages: [
    { role: "user" as const, content: "Perform a web search for the query: Node 20 release date" },
  ],
  tools: [SEARCH_TOOL],
  tool_choice: { type: "tool" as const, name: "web_search" },
});

const FIRST = "Result 1 for Node 20 release date says this about Node 20 release date.";
const SECOND = "Result 2 for Node 20 release date agrees.";
const URL_1 = "https://example.com/search/node-20-release-date/1";
const URL_2 = "https://example.org/search/node-20-release-date/2";
const citation = (url: string, title: string, cited: string) => ({
  type: "web_search_result_location",
  url,
  title,
  encrypted_index: "",
  cited_text: cited,
});
const result = (url: string, title: string) => ({
  type: "web_search_result",
  url,
  title,
  encrypted_content: "",
  page_age: null,
});
/** The blocks the fake's search gives, with the server tool id left open. */
const expectedContent = (id: string) => [
  { type: "server_tool_use", id, name: "web_search", input: { query: "Node 20 release date" } },
  {
    type: "web_search_tool_result",
    tool_use_id: id,
    content: [
      result(URL_1, "Result 1 for Node 20 release date"),
      result(URL_2, "Result 2 for Node 20 release date"),
    ],
  },
  {
    type: "text",
    text: FIRST,
    citations: [citation(URL_1, "Result 1 for Node 20 release date", FIRST)],
  },
  { type: "text", text: " " },
  {
    type: "text",
    text: SECOND,
    citations: [citation(URL_2, "Result 2 for Node 20 release date", SECOND)],
  },
];

describe("web_search without WEB_SEARCH_MODEL", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it("answers 400 invalid_request_error naming the setting, and calls no model", async () => {
    const client = new Anthropic({
      apiKey: FAKE_GITHUB_TOKEN,
      baseURL: h.gateway.url,
      maxRetries: 0,
    });
    const error = await client.messages
      .create(searchRequest("claude-sonnet-4.5"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    const bad = error as InstanceType<typeof Anthropic.BadRequestError>;
    expect(bad.status).toBe(400);
    expect(bad.error).toEqual({
      type: "error",
      error: {
        type: "invalid_request_error",
        message:
          "Copilot does not serve Anthropic's web_search server tool, and this gateway has no WEB_SEARCH_MODEL set to run it: set WEB_SEARCH_MODEL to a model that serves /responses with its web_search tool (for example gpt-5.4), or send the request without the tool",
      },
    });
    const modelCalls = h.fake.requests.filter(
      (r) =>
        r.server === "copilot" &&
        ["/v1/messages", "/responses", "/chat/completions"].includes(r.path),
    );
    expect(modelCalls).toEqual([]);
  });
});

describe("web_search with WEB_SEARCH_MODEL=gpt-5.4", () => {
  let h: Harness;
  let client: Anthropic;
  beforeAll(async () => {
    h = await startHarness({ env: { WEB_SEARCH_MODEL: "gpt-5.4" } });
    client = new Anthropic({ apiKey: FAKE_GITHUB_TOKEN, baseURL: h.gateway.url, maxRetries: 0 });
  });
  afterAll(() => h.close());

  it("runs the search on the search model and answers with the blocks and citations", async () => {
    h.fake.reset();
    const message = await client.messages.create(searchRequest("claude-sonnet-4.5"));
    const id = (message.content[0] as { id: string }).id;
    expect(id).toMatch(/^srvtoolu_[A-Za-z0-9_]+$/);
    expect(message).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4.5",
      stop_reason: "end_turn",
      usage: { server_tool_use: { web_search_requests: 1 } },
    });
    expect(message.content).toEqual(expectedContent(id));

    const upstream = h.fake.requests.filter((r) => r.server === "copilot" && r.method === "POST");
    expect(upstream.map((r) => r.path)).toEqual(["/responses"]);
    expect(JSON.parse(upstream[0]!.body)).toEqual({
      model: "gpt-5.4",
      input: [
        {
          type: "message",
          role: "user",
          content: "Perform a web search for the query: Node 20 release date",
        },
      ],
      instructions: "You are an assistant for performing a web search tool use",
      tools: [{ type: "web_search" }],
      include: ["web_search_call.action.sources"],
      store: false,
      stream: false,
    });
  });

  it("streams the Anthropic event sequence for the same blocks", async () => {
    const stream = client.messages.stream(searchRequest("gpt-4o"));
    const types: string[] = [];
    stream.on("streamEvent", (event) => {
      const delta = "delta" in event && "type" in event.delta ? `:${event.delta.type}` : "";
      types.push(event.type + delta);
    });
    const final = await stream.finalMessage();
    const id = (final.content[0] as { id: string }).id;
    expect(final.content).toEqual(expectedContent(id));
    expect(final.usage).toMatchObject({ server_tool_use: { web_search_requests: 1 } });
    expect(types).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta:input_json_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_stop",
      "content_block_start",
      "content_block_delta:citations_delta",
      "content_block_delta:text_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta:text_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta:citations_delta",
      "content_block_delta:text_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });
});
