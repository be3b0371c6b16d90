import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAgentHarness, type AgentHarness, type AgentRun } from "./agent-harness.js";

// The real Claude Code CLI (node_modules/.bin/claude) against the gateway and the fake upstream.
// Each case scripts what the "model" answers (fake.scriptNext) and checks what the agent did.

const CLAUDE = "claude-sonnet-4.5";
const OTHER_CLAUDE = "claude-opus-4.5";
const AGENT_TIMEOUT_MS = 90_000;
let agents: AgentHarness;

beforeAll(async () => {
  agents = await startAgentHarness();
});
afterAll(() => agents.close());
beforeEach(() => {
  agents.harness.fake.reset();
  agents.proxy.reset();
});

/** The final `result` event Claude Code prints in stream-json mode. */
function resultOf(run: AgentRun): Record<string, unknown> {
  const result = run.events.find((event) => event["type"] === "result");
  expect(result, `no result event; stderr: ${run.stderr}`).toBeDefined();
  return result!;
}

function upstreamBodies(path: string): Record<string, unknown>[] {
  return agents.harness.fake.requests
    .filter((request) => request.method === "POST" && request.path === path)
    .map((request) => JSON.parse(request.body) as Record<string, unknown>);
}

interface ContentBlock {
  type: string;
  id?: string;
  text?: string;
}

/** Every content block of a Messages history (string contents have none). */
function blocksOf(messages: readonly { content: unknown }[]): ContentBlock[] {
  return messages.flatMap((message) =>
    Array.isArray(message.content) ? (message.content as ContentBlock[]) : [],
  );
}

describe("Claude Code against the gateway", () => {
  it(
    "prints the model's text for a plain turn on a Claude model (native /v1/messages)",
    async () => {
      agents.harness.fake.scriptNext(
        "/v1/messages",
        { text: "The answer is 42." },
        { tool: "Bash" },
      );
      const run = await agents.runClaude({ prompt: "What is the answer?", model: CLAUDE });
      expect(resultOf(run)).toMatchObject({
        subtype: "success",
        is_error: false,
        result: "The answer is 42.",
      });
      expect(run.exitCode).toBe(0);
      const bodies = upstreamBodies("/v1/messages");
      expect(bodies.map((body) => body["model"])).toContain(CLAUDE);
      expect(agents.proxy.attempts).toEqual([]);
    },
    AGENT_TIMEOUT_MS,
  );

  let toolRunHome = "";
  it(
    "runs the Bash tool the model calls, and sends its result back upstream",
    async () => {
      const fake = agents.harness.fake;
      fake.scriptNext(
        "/v1/messages",
        {
          toolCalls: [
            {
              name: "Bash",
              arguments: {
                command: "printf made-by-claude > claude-out.txt",
                description: "Write",
              },
            },
          ],
        },
        { tool: "Bash" },
      );
      fake.scriptNext("/v1/messages", { text: "I wrote the file." }, { tool: "Bash" });
      const run = await agents.runClaude({
        prompt: "Write the file.",
        model: CLAUDE,
        allowedTools: ["Bash"],
      });
      toolRunHome = run.home;
      expect(resultOf(run)).toMatchObject({ is_error: false, result: "I wrote the file." });
      expect(readFileSync(join(agents.workDir, "claude-out.txt"), "utf8")).toBe("made-by-claude");

      const mainTurns = upstreamBodies("/v1/messages").filter((body) =>
        Array.isArray(body["tools"]),
      );
      const followUp = mainTurns.at(-1)!;
      const messages = followUp["messages"] as { role: string; content: unknown }[];
      const toolUse = blocksOf(messages).find((block) => block.type === "tool_use");
      expect(toolUse).toMatchObject({
        name: "Bash",
        input: { command: "printf made-by-claude > claude-out.txt" },
      });
      const last = messages.at(-1)!;
      expect(last.role).toBe("user");
      expect(last.content).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: "tool_result", tool_use_id: toolUse!.id }),
        ]),
      );
      expect(agents.proxy.attempts).toEqual([]);
    },
    AGENT_TIMEOUT_MS,
  );

  it(
    "continues the conversation: the earlier tool call and result go upstream with the new turn",
    async () => {
      expect(toolRunHome).not.toBe("");
      agents.harness.fake.scriptNext("/v1/messages", { text: "Still here." }, { tool: "Bash" });
      const run = await agents.runClaude({
        prompt: "Are you still there?",
        model: CLAUDE,
        continueIn: toolRunHome,
      });
      expect(resultOf(run)).toMatchObject({ is_error: false, result: "Still here." });
      const body = upstreamBodies("/v1/messages")
        .filter((candidate) => Array.isArray(candidate["tools"]))
        .at(-1)!;
      const blocks = blocksOf(body["messages"] as { content: unknown }[]);
      expect(blocks.map((block) => block.type)).toEqual(
        expect.arrayContaining(["tool_use", "tool_result"]),
      );
      expect(blocks.some((block) => block.text === "Are you still there?")).toBe(true);
    },
    AGENT_TIMEOUT_MS,
  );

  it(
    "works with a GPT model the gateway serves through /responses",
    async () => {
      agents.harness.fake.scriptNext("/responses", { text: "GPT speaking." }, { model: "gpt-5.4" });
      const run = await agents.runClaude({ prompt: "Who is this?", model: "gpt-5.4" });
      expect(resultOf(run)).toMatchObject({ is_error: false, result: "GPT speaking." });
      expect(upstreamBodies("/responses").map((body) => body["model"])).toContain("gpt-5.4");
      expect(agents.proxy.attempts).toEqual([]);
    },
    AGENT_TIMEOUT_MS,
  );

  // In -p mode Claude Code 2.1.197 does not send earlier turns' thinking blocks upstream, so
  // foreign signatures (item 5) do not arise here; test/e2e covers them.
  it(
    "switches model mid-conversation: Claude, then GPT, then another Claude",
    async () => {
      const fake = agents.harness.fake;
      fake.scriptNext("/v1/messages", { text: "First, Sonnet." }, { model: CLAUDE, tool: "Bash" });
      const first = await agents.runClaude({ prompt: "Turn one.", model: CLAUDE });
      expect(resultOf(first)).toMatchObject({ is_error: false, result: "First, Sonnet." });

      fake.scriptNext("/responses", { text: "Then GPT." }, { model: "gpt-5.4" });
      const second = await agents.runClaude({
        prompt: "Turn two.",
        model: "gpt-5.4",
        continueIn: first.home,
      });
      expect(resultOf(second)).toMatchObject({ is_error: false, result: "Then GPT." });

      fake.scriptNext("/v1/messages", { text: "Now Opus." }, { model: OTHER_CLAUDE, tool: "Bash" });
      const third = await agents.runClaude({
        prompt: "Turn three.",
        model: OTHER_CLAUDE,
        continueIn: first.home,
      });
      expect(resultOf(third)).toMatchObject({ is_error: false, result: "Now Opus." });
      const last = upstreamBodies("/v1/messages")
        .filter((body) => body["model"] === OTHER_CLAUDE && Array.isArray(body["tools"]))
        .at(-1)!;
      const texts = blocksOf(last["messages"] as { content: unknown }[]).map((block) => block.text);
      expect(texts).toEqual(expect.arrayContaining(["First, Sonnet.", "Then GPT.", "Turn three."]));
    },
    AGENT_TIMEOUT_MS,
  );

  // Claude Code's gateway discovery reads Anthropic's Models API page (issue 14 item 3).
  it(
    "discovers the gateway's Claude models through /v1/models (gateway model discovery)",
    async () => {
      agents.harness.fake.scriptNext("/v1/messages", { text: "ok" }, { tool: "Bash" });
      const run = await agents.runClaude({
        prompt: "hi",
        model: CLAUDE,
        // Discovery is "nonessential traffic": this run keeps the other switches only.
        env: {
          CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY: "1",
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "",
        },
      });
      expect(resultOf(run)).toMatchObject({ is_error: false });
      const cache = join(run.home, ".claude", "cache", "gateway-models.json");
      expect(existsSync(cache), "Claude Code cached no gateway models").toBe(true);
      const cached = JSON.parse(readFileSync(cache, "utf8")) as {
        models: { id: string; display_name?: string }[];
      };
      expect(cached.models.map((model) => model.id)).toContain(CLAUDE);
      expect(cached.models.find((model) => model.id === CLAUDE)?.display_name).toBeTypeOf("string");
      // With nonessential traffic allowed, Claude Code also asks api.anthropic.com for its
      // bootstrap; the proxy refused it. Nothing else may be tried.
      expect(
        agents.proxy.attempts.filter((attempt) => attempt !== "CONNECT api.anthropic.com:443"),
      ).toEqual([]);
    },
    AGENT_TIMEOUT_MS,
  );
});
