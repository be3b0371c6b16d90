import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness } from "./harness.js";

// What Copilot's /v1/messages refuses (issue 14 items 5 and 6), through the gateway, against the
// fake upstream that refuses the same: Claude Code's request shape, PDFs by URL, and thinking
// blocks carried across a model switch (and across a restart of the gateway).

const SONNET = "claude-sonnet-4.5";
const OPUS = "claude-opus-4.5";

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

function client(headers: Record<string, string> = {}): Anthropic {
  return new Anthropic({
    apiKey: FAKE_GITHUB_TOKEN,
    baseURL: h.gateway.url,
    maxRetries: 0,
    defaultHeaders: headers,
  });
}

function sentToMessages() {
  return h.fake.requests.filter((r) => r.server === "copilot" && r.path === "/v1/messages");
}

const CLAUDE_CODE_BETAS =
  "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27," +
  "prompt-caching-scope-2026-01-05,thinking-token-count-2026-05-13";

describe("Claude Code's request shape on a Claude model", () => {
  it("succeeds, and what reaches Copilot has no scope, ttl, strict or unknown beta", async () => {
    const logsBefore = h.logs.length;
    const message = await client({ "anthropic-beta": CLAUDE_CODE_BETAS }).messages.create({
      model: SONNET,
      max_tokens: 200,
      system: [
        {
          type: "text",
          text: "You are a coding agent.",
          cache_control: { type: "ephemeral", scope: "global", ttl: "1h" },
        } as Anthropic.TextBlockParam,
      ],
      messages: [
        {
          role: "user",
          content: [
            {
              type: "text",
              text: "List the files, secret-word-zebra",
              cache_control: { type: "ephemeral", ttl: "5m" },
            },
          ],
        },
      ],
      tools: [
        {
          name: "Bash",
          description: "Run a command",
          input_schema: { type: "object", properties: { command: { type: "string" } } },
          strict: true,
          cache_control: { type: "ephemeral", ttl: "1h" },
        },
      ],
    });
    expect(message.content).toEqual([
      expect.objectContaining({
        type: "tool_use",
        name: "Bash",
        input: { echo: "List the files, secret-word-zebra" },
      }),
    ]);
    const [upstream] = sentToMessages();
    expect(upstream?.headers["anthropic-beta"]).toBe(
      "interleaved-thinking-2025-05-14,context-management-2025-06-27",
    );
    const body = JSON.parse(upstream!.body) as Record<string, unknown>;
    expect(body["system"]).toEqual([
      { type: "text", text: "You are a coding agent.", cache_control: { type: "ephemeral" } },
    ]);
    expect(body["messages"]).toEqual([
      {
        role: "user",
        content: [
          {
            type: "text",
            text: "List the files, secret-word-zebra",
            cache_control: { type: "ephemeral" },
          },
        ],
      },
    ]);
    expect(body["tools"]).toEqual([
      {
        name: "Bash",
        description: "Run a command",
        input_schema: { type: "object", properties: { command: { type: "string" } } },
        cache_control: { type: "ephemeral" },
      },
    ]);
    const changes = h.logs
      .slice(logsBefore)
      .filter((line) => line.includes("changed for Copilot"))
      .map((line) => line.slice(line.indexOf("changed for Copilot")).trim());
    expect(changes).toEqual([
      "changed for Copilot: dropped anthropic-beta claude-code-20250219, prompt-caching-scope-2026-01-05, thinking-token-count-2026-05-13",
      "changed for Copilot: removed cache_control.scope from 1 block",
      "changed for Copilot: removed cache_control.ttl from 3 blocks",
      "changed for Copilot: removed strict from 1 tool",
    ]);
    expect(h.logs.join("")).not.toContain("secret-word-zebra");
  });
});

describe("a PDF that is not base64", () => {
  it("is refused with a 400 invalid_request_error naming the block, before Copilot", async () => {
    const error: unknown = await client()
      .messages.create({
        model: SONNET,
        max_tokens: 100,
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "Summarise this" },
              { type: "document", source: { type: "url", url: "https://example.com/paper.pdf" } },
            ],
          },
        ],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.BadRequestError>).error).toEqual({
      type: "error",
      error: {
        type: "invalid_request_error",
        message:
          "messages.0.content.1: a document with a url source cannot be sent to Copilot's " +
          "/v1/messages, which reads PDFs sent as base64 only; send the file's bytes as a base64 source",
      },
    });
    expect(sentToMessages()).toEqual([]);
  });
});

const THINKING = { type: "enabled", budget_tokens: 1024 } as const;

/** One turn with thinking on; the answer's content goes back as the assistant turn. */
async function turn(
  model: string,
  history: Anthropic.MessageParam[],
  prompt: string,
  stream: boolean,
): Promise<Anthropic.MessageParam[]> {
  const messages: Anthropic.MessageParam[] = [...history, { role: "user", content: prompt }];
  const request = { model, max_tokens: 2048, thinking: THINKING, messages };
  const answer = stream
    ? await client().messages.stream(request).finalMessage()
    : await client().messages.create(request);
  expect(answer.content[0]).toMatchObject({
    type: "thinking",
    signature: expect.stringMatching(/^sig_fake_/),
  });
  return [...messages, { role: "assistant", content: answer.content }];
}

function thinkingSentLast(): string[] {
  const body = JSON.parse(sentToMessages().at(-1)!.body) as {
    messages: { content: unknown }[];
  };
  return body.messages.flatMap((message) =>
    Array.isArray(message.content)
      ? (message.content as { type: string; signature?: string }[])
          .filter((block) => block.type === "thinking")
          .map((block) => block.signature!)
      : [],
  );
}

describe.each([
  ["whole answers", false],
  ["streamed answers", true],
])("thinking blocks across a model switch (%s)", (_name, stream) => {
  it("drops the other model's blocks, keeps the model's own", async () => {
    const first = await turn(SONNET, [], "one", stream);
    const sonnetSignature = (first[1]!.content as Anthropic.ThinkingBlock[])[0]!.signature;

    // Opus gets Sonnet's block: Copilot would refuse it, so it is left out.
    const second = await turn(OPUS, first, "two", stream);
    expect(thinkingSentLast()).toEqual([]);
    const opusSignature = (second[3]!.content as Anthropic.ThinkingBlock[])[0]!.signature;

    // Back on Sonnet: its own block goes, Opus's does not.
    await turn(SONNET, second, "three", stream);
    expect(thinkingSentLast()).toEqual([sonnetSignature]);
    expect(opusSignature).not.toBe(sonnetSignature);
  });
});

describe("the signature registry", () => {
  it("survives a restart of the gateway (kept in the cache file)", async () => {
    const first = await turn(SONNET, [], "before the restart", false);
    await h.restart();
    await turn(OPUS, first, "after the restart", false);
    expect(thinkingSentLast()).toEqual([]);
  });

  it("keeps a block it has never seen: Copilot is the judge of it", async () => {
    const unknown: Anthropic.MessageParam[] = [
      { role: "user", content: "earlier" },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "elsewhere", signature: "sig_from_elsewhere" },
          { type: "text", text: "ok" },
        ],
      },
    ];
    const error: unknown = await client()
      .messages.create({
        model: SONNET,
        max_tokens: 2048,
        thinking: THINKING,
        messages: [...unknown, { role: "user", content: "now" }],
      })
      .catch((caught: unknown) => caught);
    expect(thinkingSentLast()).toEqual(["sig_from_elsewhere"]);
    expect((error as InstanceType<typeof Anthropic.BadRequestError>).status).toBe(400);
  });
});
