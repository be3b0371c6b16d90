import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeCopilot } from "./fake-copilot.js";
import { fakeCopilotHeaders, fetchFakeCopilotToken, startFakeCopilot } from "./fake-copilot.js";

// The Responses `web_search` tool: one search whose sources derive from the query, and an
// answer whose sentences cite them (url_citation annotations), streamed and not.

const CREATED = 1767225600;
let fake: FakeCopilot;
let headers: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeCopilot({
    now: () => CREATED * 1000,
    responsesItemIds: "stable",
    webSearchModels: ["gpt-5.4"],
  });
  headers = {
    ...fakeCopilotHeaders(await fetchFakeCopilotToken(fake)),
    "content-type": "application/json",
  };
});
afterAll(() => fake.close());

async function post(body: unknown) {
  const response = await request(`${fake.copilotUrl}/responses`, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
  return { status: response.statusCode, text: await response.body.text() };
}

const SEARCH = {
  model: "gpt-5.4",
  input: "Perform a web search for the query: Node 20 release date",
  tools: [{ type: "web_search" }],
  include: ["web_search_call.action.sources"],
};
const FIRST = "Result 1 for Node 20 release date says this about Node 20 release date.";
const TEXT = `${FIRST} Result 2 for Node 20 release date agrees.`;
const ANNOTATIONS = [
  {
    type: "url_citation",
    start_index: 0,
    end_index: FIRST.length,
    url: "https://example.com/search/node-20-release-date/1",
    title: "Result 1 for Node 20 release date",
  },
  {
    type: "url_citation",
    start_index: FIRST.length + 1,
    end_index: TEXT.length,
    url: "https://example.org/search/node-20-release-date/2",
    title: "Result 2 for Node 20 release date",
  },
];
const SEARCH_CALL = {
  type: "web_search_call",
  id: "OpaqueFakeId+N/item0==",
  status: "completed",
  action: {
    type: "search",
    query: "Node 20 release date",
    sources: [
      { type: "url", url: "https://example.com/search/node-20-release-date/1" },
      { type: "url", url: "https://example.org/search/node-20-release-date/2" },
    ],
  },
};
const MESSAGE = {
  type: "message",
  id: "OpaqueFakeId+N/item1==",
  status: "completed",
  role: "assistant",
  content: [{ type: "output_text", text: TEXT, annotations: ANNOTATIONS, logprobs: [] }],
};

/** Ids carry the fake's request serial; the tests compare them without it. */
const withoutSerial = (text: string): unknown =>
  JSON.parse(text.replaceAll(/OpaqueFakeId\+\d+\//g, "OpaqueFakeId+N/"));

describe("POST /responses with the web_search tool", () => {
  it("searches once and answers with cited sentences", async () => {
    const response = await post(SEARCH);
    expect(response.status).toBe(200);
    expect(withoutSerial(response.text)).toMatchObject({
      status: "completed",
      output: [SEARCH_CALL, MESSAGE],
      tools: [{ type: "web_search" }],
    });
  });

  it("leaves the sources out unless `include` asks for them, and keeps to allowed_domains", async () => {
    const response = await post({
      ...SEARCH,
      include: undefined,
      tools: [{ type: "web_search", filters: { allowed_domains: ["nodejs.org"] } }],
    });
    const answer = withoutSerial(response.text) as { output: Record<string, unknown>[] };
    expect(answer.output[0]).toEqual({
      ...SEARCH_CALL,
      action: { type: "search", query: "Node 20 release date" },
    });
    expect(JSON.stringify(answer.output[1])).toContain(
      '"url":"https://nodejs.org/search/node-20-release-date/1"',
    );
    expect(JSON.stringify(answer.output[1])).toContain(
      '"url":"https://nodejs.org/search/node-20-release-date/2"',
    );
  });

  it("streams the search's events and each annotation before the text is done", async () => {
    const response = await post({ ...SEARCH, stream: true });
    expect(response.status).toBe(200);
    const events = response.text
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => withoutSerial(line.slice(6)) as Record<string, unknown>);
    expect(events.map((event) => event["type"])).toEqual([
      "response.created",
      "response.in_progress",
      "keepalive",
      "response.output_item.added",
      "response.web_search_call.in_progress",
      "response.web_search_call.searching",
      "response.web_search_call.completed",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      ...TEXT.split(" ").map(() => "response.output_text.delta"),
      "response.output_text.annotation.added",
      "response.output_text.annotation.added",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events[3]).toMatchObject({ item: { ...SEARCH_CALL, status: "in_progress" } });
    expect(events[7]).toMatchObject({ output_index: 0, item: SEARCH_CALL });
    const annotations = events.filter(
      (event) => event["type"] === "response.output_text.annotation.added",
    );
    expect(annotations).toMatchObject([
      { output_index: 1, annotation_index: 0, annotation: ANNOTATIONS[0] },
      { output_index: 1, annotation_index: 1, annotation: ANNOTATIONS[1] },
    ]);
    expect(events.at(-1)).toMatchObject({ response: { output: [SEARCH_CALL, MESSAGE] } });
  });

  it("refuses the tool for a model not configured to search", async () => {
    const response = await post({ ...SEARCH, model: "gpt-5.4-mini" });
    expect(response).toEqual({
      status: 400,
      text:
        JSON.stringify({
          error: {
            message: 'The use of the web search tool is not supported for model "gpt-5.4-mini"',
            code: "invalid_request_body",
          },
        }) + "\n",
    });
  });

  it("keeps answering requests without the tool as before", async () => {
    const response = await post({ model: "gpt-5.4-mini", input: "hi" });
    expect(JSON.parse(response.text)).toMatchObject({
      output: [
        {
          type: "message",
          content: [{ type: "output_text", text: "Hello from gpt-5.4-mini! You said: hi" }],
        },
      ],
    });
  });
});
