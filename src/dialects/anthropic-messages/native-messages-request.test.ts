import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../errors.js";
import type { ThinkingSignatures } from "../dialect.js";
import { anthropicHeaders, prepareNativeMessagesBody } from "./native-messages-request.js";

const MODEL = "claude-sonnet-4.5";

/** The body as the adapter receives it: the raw text and the fields it reads. */
function prepare(body: Record<string, unknown>, signatures?: ThinkingSignatures) {
  const raw = JSON.stringify(body);
  const request = body as { model: string; system?: string };
  return { raw, ...prepareNativeMessagesBody(request, raw, MODEL, signatures) };
}

/** Signatures "made" by one model: `sig-<model>-…`. */
const signaturesByModel: ThinkingSignatures = {
  isForeign: (signature, modelId) =>
    signature.startsWith("sig-") && !signature.startsWith(`sig-${modelId}-`),
  record: () => undefined,
};

describe("prepareNativeMessagesBody", () => {
  it("sends the client's bytes, the same string, when nothing needs changing", () => {
    const raw = `{"model":"${MODEL}",  "max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`;
    const prepared = prepareNativeMessagesBody({ model: MODEL }, raw, MODEL);
    expect(prepared).toEqual({ body: raw, notes: [] });
    expect(prepared.body).toBe(raw);
  });

  it("sends the bytes as they are when a cheap check matched only content", () => {
    const raw = JSON.stringify({
      model: MODEL,
      messages: [{ role: "user", content: 'be "strict" about "cache_control" and "scope"' }],
    });
    expect(prepareNativeMessagesBody({ model: MODEL }, raw, MODEL)).toEqual({
      body: raw,
      notes: [],
    });
  });

  it("removes cache_control scope and ttl from system, message, nested and tool blocks", () => {
    const { body, notes } = prepare({
      model: MODEL,
      system: [
        { type: "text", text: "sys", cache_control: { type: "ephemeral", scope: "global" } },
      ],
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "a", cache_control: { type: "ephemeral", ttl: "1h" } },
            {
              type: "tool_result",
              tool_use_id: "t1",
              content: [
                {
                  type: "text",
                  text: "r",
                  cache_control: { type: "ephemeral", ttl: "5m", scope: "org" },
                },
              ],
            },
          ],
        },
      ],
      tools: [
        {
          name: "Bash",
          input_schema: {},
          strict: true,
          cache_control: { type: "ephemeral", ttl: "1h" },
        },
        { name: "Read", input_schema: {}, strict: false },
        { name: "Edit", input_schema: {} },
      ],
    });
    expect(JSON.parse(body)).toEqual({
      model: MODEL,
      system: [{ type: "text", text: "sys", cache_control: { type: "ephemeral" } }],
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "a", cache_control: { type: "ephemeral" } },
            {
              type: "tool_result",
              tool_use_id: "t1",
              content: [{ type: "text", text: "r", cache_control: { type: "ephemeral" } }],
            },
          ],
        },
      ],
      tools: [
        { name: "Bash", input_schema: {}, cache_control: { type: "ephemeral" } },
        { name: "Read", input_schema: {} },
        { name: "Edit", input_schema: {} },
      ],
    });
    expect(notes).toEqual([
      "removed cache_control.scope from 2 blocks",
      "removed cache_control.ttl from 3 blocks",
      "removed strict from 2 tools",
    ]);
  });

  it("renames the model and removes the billing-header line, saying so", () => {
    const raw = JSON.stringify({
      model: "claude-sonnet-4-5-20250929",
      system: [
        { type: "text", text: "x-anthropic-billing-header: cc_version=2.1" },
        { type: "text", text: "You are Claude Code." },
      ],
      messages: [{ role: "user", content: "hi" }],
    });
    const request = JSON.parse(raw) as { model: string; system: { type: "text"; text: string }[] };
    const { body, notes } = prepareNativeMessagesBody(request, raw, MODEL);
    expect(JSON.parse(body)).toEqual({
      model: MODEL,
      system: [{ type: "text", text: "You are Claude Code." }],
      messages: [{ role: "user", content: "hi" }],
    });
    expect(notes).toEqual(["removed the x-anthropic-billing-header line from the system prompt"]);
  });

  it("refuses a url or file document source with a 400 naming the block", () => {
    const url = { type: "document", source: { type: "url", url: "https://example.com/a.pdf" } };
    expect(() =>
      prepare({
        model: MODEL,
        messages: [{ role: "user", content: [{ type: "text", text: "a" }, url] }],
      }),
    ).toThrow(
      new InvalidRequestError(
        "messages.0.content.1: a document with a url source cannot be sent to Copilot's " +
          "/v1/messages, which reads PDFs sent as base64 only; send the file's bytes as a base64 source",
        { param: "messages.0.content.1.source" },
      ),
    );
    const file = { type: "document", source: { type: "file", file_id: "file_1" } };
    const nested = { type: "tool_result", tool_use_id: "t", content: [file] };
    let thrown: unknown;
    try {
      prepare({
        model: MODEL,
        messages: [
          { role: "user", content: "a" },
          { role: "assistant", content: "b" },
          { role: "user", content: [nested] },
        ],
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidRequestError);
    expect((thrown as InvalidRequestError).status).toBe(400);
    expect((thrown as InvalidRequestError).param).toBe("messages.2.content.0.content.0.source");
    expect((thrown as Error).message).toMatch(
      /^messages\.2\.content\.0\.content\.0: a document with a file source/,
    );
  });

  it("keeps a base64 PDF as it is", () => {
    const pdf = {
      type: "document",
      source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" },
    };
    const { raw, body, notes } = prepare({
      model: MODEL,
      messages: [{ role: "user", content: [pdf] }],
    });
    expect(body).toBe(raw);
    expect(notes).toEqual([]);
  });

  it("drops thinking blocks of another model and unsigned ones, keeps its own and unknown ones", () => {
    const own = { type: "thinking", thinking: "mine", signature: `sig-${MODEL}-1` };
    const foreign = { type: "thinking", thinking: "theirs", signature: "sig-claude-opus-4.5-1" };
    const foreignRedacted = { type: "redacted_thinking", data: "sig-claude-opus-4.5-2" };
    const unknown = { type: "redacted_thinking", data: "opaque-from-elsewhere" };
    const unsigned = { type: "thinking", thinking: "no signature", signature: "" };
    const { body, notes } = prepare(
      {
        model: MODEL,
        messages: [
          { role: "user", content: "one" },
          { role: "assistant", content: [foreign, { type: "text", text: "A" }] },
          { role: "user", content: "two" },
          { role: "assistant", content: [foreignRedacted] },
          { role: "user", content: "three" },
          { role: "assistant", content: [own, unknown, unsigned, { type: "text", text: "B" }] },
          { role: "user", content: "four" },
        ],
      },
      signaturesByModel,
    );
    expect(JSON.parse(body)).toEqual({
      model: MODEL,
      messages: [
        { role: "user", content: "one" },
        { role: "assistant", content: [{ type: "text", text: "A" }] },
        { role: "user", content: "two" },
        { role: "user", content: "three" },
        { role: "assistant", content: [own, unknown, { type: "text", text: "B" }] },
        { role: "user", content: "four" },
      ],
    });
    expect(notes).toEqual([
      "dropped 2 thinking blocks signed by another model or account",
      "dropped 1 thinking block without a signature",
      "dropped 1 message left empty",
    ]);
  });

  it("sends the bytes as they are when every thinking block is the model's own", () => {
    const own = { type: "thinking", thinking: "mine", signature: `sig-${MODEL}-1` };
    const { raw, body, notes } = prepare(
      {
        model: MODEL,
        thinking: { type: "enabled", budget_tokens: 1024 },
        messages: [
          { role: "user", content: "one" },
          { role: "assistant", content: [own, { type: "text", text: "A" }] },
          { role: "user", content: "two" },
        ],
      },
      signaturesByModel,
    );
    expect(body).toBe(raw);
    expect(notes).toEqual([]);
  });
});

describe("anthropicHeaders", () => {
  it("forwards only the anthropic-beta values Copilot accepts, and names the others", () => {
    expect(
      anthropicHeaders(
        "claude-code-20250219, interleaved-thinking-2025-05-14,prompt-caching-scope-2026-01-05," +
          "context-management-2025-06-27,thinking-token-count-2026-05-13",
      ),
    ).toEqual({
      headers: {
        "anthropic-version": "2023-06-01",
        "anthropic-beta": "interleaved-thinking-2025-05-14,context-management-2025-06-27",
      },
      notes: [
        "dropped anthropic-beta claude-code-20250219, prompt-caching-scope-2026-01-05, thinking-token-count-2026-05-13",
      ],
    });
  });

  it("sends no anthropic-beta when none is accepted or none was sent", () => {
    expect(anthropicHeaders("claude-code-20250219")).toEqual({
      headers: { "anthropic-version": "2023-06-01" },
      notes: ["dropped anthropic-beta claude-code-20250219"],
    });
    expect(anthropicHeaders(undefined)).toEqual({
      headers: { "anthropic-version": "2023-06-01" },
      notes: [],
    });
    expect(anthropicHeaders("advanced-tool-use-2025-11-20")).toEqual({
      headers: {
        "anthropic-version": "2023-06-01",
        "anthropic-beta": "advanced-tool-use-2025-11-20",
      },
      notes: [],
    });
  });

  it("does not quote a value that is not a feature name", () => {
    expect(anthropicHeaders("evil\u0007value").notes).toEqual(["dropped anthropic-beta (other)"]);
  });
});
