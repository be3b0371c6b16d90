import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgentHarness, type AgentHarness } from "./agent-harness.js";

// Claude Code's WebSearch tool through the gateway (issue 14 item 7): the main model (GPT, on
// /responses) calls WebSearch; Claude Code sends its separate web_search request; the gateway
// runs it on WEB_SEARCH_MODEL's Responses web_search tool; the results reach the main model.

const AGENT_TIMEOUT_MS = 90_000;
let agents: AgentHarness;

beforeAll(async () => {
  agents = await startAgentHarness({ env: { WEB_SEARCH_MODEL: "gpt-5.4" } });
});
afterAll(() => agents.close());

function upstreamBodies(path: string): Record<string, unknown>[] {
  return agents.harness.fake.requests
    .filter((request) => request.method === "POST" && request.path === path)
    .map((request) => JSON.parse(request.body) as Record<string, unknown>);
}

describe("Claude Code's WebSearch through the gateway", () => {
  it(
    "runs the search on the search model and gives the main model its results",
    async () => {
      const fake = agents.harness.fake;
      fake.scriptNext(
        "/responses",
        { toolCalls: [{ name: "WebSearch", arguments: { query: "Node 20 release date" } }] },
        { model: "gpt-5.4", tool: "WebSearch" },
      );
      fake.scriptNext(
        "/responses",
        { text: "Node 20 came out in April 2023." },
        { model: "gpt-5.4", tool: "WebSearch" },
      );
      const run = await agents.runClaude({
        prompt: "When did Node 20 come out?",
        model: "gpt-5.4",
        allowedTools: ["WebSearch"],
      });
      const result = run.events.find((event) => event["type"] === "result");
      expect(result, `no result; stderr: ${run.stderr}\n${run.stdout}`).toMatchObject({
        is_error: false,
        result: "Node 20 came out in April 2023.",
      });
      const bodies = upstreamBodies("/responses");
      const search = bodies.find(
        (body) =>
          Array.isArray(body["tools"]) &&
          (body["tools"] as { type: string }[]).some((tool) => tool.type === "web_search"),
      );
      expect(search).toMatchObject({
        model: "gpt-5.4",
        tools: [{ type: "web_search" }],
        input: [
          {
            role: "user",
            content: "Perform a web search for the query: Node 20 release date",
          },
        ],
      });
      // The main model's follow-up carries the search's results as WebSearch's tool output.
      const followUp = JSON.stringify(bodies.at(-1));
      expect(followUp).toContain("https://example.com/search/node-20-release-date/1");
      expect(followUp).toContain("Result 1 for Node 20 release date");
      expect(agents.proxy.attempts).toEqual([]);
    },
    AGENT_TIMEOUT_MS,
  );
});
