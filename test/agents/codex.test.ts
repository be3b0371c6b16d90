import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { offeredToolNames } from "../fake-copilot/scripted-answers.js";
import { startAgentHarness, type AgentHarness, type AgentRun } from "./agent-harness.js";

// The real Codex CLI (node_modules/.bin/codex exec --json) against the gateway as a Responses
// provider over HTTP. Each case scripts what the "model" answers and checks what Codex did.

const AGENT_TIMEOUT_MS = 90_000;
const CLAUDE = "claude-sonnet-4.5";
/** Appended to the provider's table: the gateway may be driven over a WebSocket. */
const WEBSOCKET_PROVIDER = "supports_websockets = true\n";
let agents: AgentHarness;

beforeAll(async () => {
  agents = await startAgentHarness();
});
afterAll(() => agents.close());
beforeEach(() => {
  agents.harness.fake.reset();
  agents.proxy.reset();
});

/** The texts of Codex's `agent_message` items, in order. */
function agentMessages(run: AgentRun): string[] {
  return run.events.flatMap((event) => {
    const item = event["item"] as { type?: string; text?: string } | undefined;
    return event["type"] === "item.completed" && item?.type === "agent_message"
      ? [item.text ?? ""]
      : [];
  });
}

function upstreamBodies(path: string): Record<string, unknown>[] {
  return agents.harness.fake.requests
    .filter((request) => request.method === "POST" && request.path === path)
    .map((request) => JSON.parse(request.body) as Record<string, unknown>);
}

/** The gateway may serve a Claude model through /chat/completions or /v1/messages. */
const CLAUDE_ROUTES = ["/chat/completions", "/v1/messages"] as const;

function claudeUpstreamBodies(): Record<string, unknown>[] {
  return CLAUDE_ROUTES.flatMap((route) => upstreamBodies(route));
}

function expectCompleted(run: AgentRun): void {
  const failed = run.events.filter((event) => event["type"] === "turn.failed");
  expect(failed, run.stderr).toEqual([]);
  expect(run.events.map((event) => event["type"])).toContain("turn.completed");
  expect(run.exitCode).toBe(0);
}

describe("Codex against the gateway", () => {
  it(
    "prints the model's text for a plain turn on a GPT Responses model",
    async () => {
      agents.harness.fake.scriptNext("/responses", { text: "Codex says hi." });
      const run = await agents.runCodex({ prompt: "Say hi.", model: "gpt-5.4" });
      expectCompleted(run);
      expect(agentMessages(run)).toEqual(["Codex says hi."]);
      expect(upstreamBodies("/responses").map((body) => body["model"])).toEqual(["gpt-5.4"]);
      expect(agents.proxy.attempts).toEqual([]);
    },
    AGENT_TIMEOUT_MS,
  );

  it(
    "runs the shell command the model calls and sends its output back upstream",
    async () => {
      const fake = agents.harness.fake;
      fake.scriptNext("/responses", {
        toolCalls: [
          {
            name: "exec_command",
            arguments: { cmd: "printf made-by-codex > codex-out.txt && echo wrote-it" },
          },
        ],
      });
      fake.scriptNext("/responses", { text: "Done." });
      const run = await agents.runCodex({ prompt: "Write the file.", model: "gpt-5.4" });
      expectCompleted(run);
      expect(readFileSync(join(agents.workDir, "codex-out.txt"), "utf8")).toBe("made-by-codex");
      expect(agentMessages(run)).toEqual(["Done."]);

      const bodies = upstreamBodies("/responses");
      expect(bodies).toHaveLength(2);
      const input = bodies[1]!["input"] as {
        type: string;
        call_id?: string;
        name?: string;
        output?: unknown;
      }[];
      const call = input.find((item) => item.type === "function_call");
      expect(call).toMatchObject({ name: "exec_command" });
      const output = input.find((item) => item.type === "function_call_output");
      expect(output?.call_id).toBe(call?.call_id);
      expect(JSON.stringify(output?.output)).toContain("wrote-it");
      expect(agents.proxy.attempts).toEqual([]);
    },
    AGENT_TIMEOUT_MS,
  );

  it(
    "works with a Claude model",
    async () => {
      for (const route of CLAUDE_ROUTES) {
        agents.harness.fake.scriptNext(route, { text: "Claude via Codex." }, { model: CLAUDE });
      }
      const run = await agents.runCodex({ prompt: "Who is this?", model: CLAUDE });
      expectCompleted(run);
      expect(agentMessages(run)).toEqual(["Claude via Codex."]);
      expect(claudeUpstreamBodies().map((body) => body["model"])).toEqual([CLAUDE]);
      expect(agents.proxy.attempts).toEqual([]);
    },
    AGENT_TIMEOUT_MS,
  );

  it(
    "works with a chat-only model, which the gateway serves through /chat/completions",
    async () => {
      agents.harness.fake.scriptNext("/chat/completions", { text: "Chat model here." });
      const run = await agents.runCodex({ prompt: "Who is this?", model: "gpt-4.1" });
      expectCompleted(run);
      expect(agentMessages(run)).toEqual(["Chat model here."]);
      expect(upstreamBodies("/chat/completions").map((body) => body["model"])).toEqual(["gpt-4.1"]);
      expect(agents.proxy.attempts).toEqual([]);
    },
    AGENT_TIMEOUT_MS,
  );

  // Issue 14 item 1: Codex sends its sub-agent tools as a Responses `namespace` tool
  // (multi_agent_v1: spawn_agent, …); translated for a Claude model they arrive flattened
  // (`multi_agent_v1__spawn_agent`), not dropped.
  it(
    "keeps Codex's namespace tools when the model is a Claude model",
    async () => {
      for (const route of CLAUDE_ROUTES) {
        agents.harness.fake.scriptNext(route, { text: "ok" }, { model: CLAUDE });
      }
      const run = await agents.runCodex({ prompt: "hi", model: CLAUDE });
      expectCompleted(run);
      const [body] = claudeUpstreamBodies();
      expect(offeredToolNames(body?.["tools"])).toEqual(
        expect.arrayContaining(["multi_agent_v1__spawn_agent", "multi_agent_v1__wait_agent"]),
      );
    },
    AGENT_TIMEOUT_MS,
  );

  // The gateway accepts the WebSocket upgrade on /v1/responses and drives Copilot's
  // ws:/responses transport for models that list it.
  it(
    "talks Responses over a WebSocket when the provider allows it",
    async () => {
      agents.harness.fake.scriptNext("/responses", { text: "Over the socket." });
      const run = await agents.runCodex({
        prompt: "Say it.",
        model: "gpt-5.4",
        config: WEBSOCKET_PROVIDER,
        configOverrides: ["features.responses_websockets=true"],
      });
      expectCompleted(run);
      expect(agentMessages(run)).toEqual(["Over the socket."]);
      // Codex falls back to HTTP (and says so in an error item) when the upgrade is refused.
      const errors = run.events.flatMap((event) => {
        const item = event["item"] as { type?: string; message?: string } | undefined;
        return item?.type === "error" ? [item.message ?? ""] : [];
      });
      expect(errors.filter((message) => message.includes("WebSocket"))).toEqual([]);
      const frames = agents.harness.fake.requests.filter(
        (request) => request.path === "/responses" && request.method === "WS",
      );
      expect(frames).toHaveLength(1);
      expect(agents.proxy.attempts).toEqual([]);
    },
    AGENT_TIMEOUT_MS,
  );
});
