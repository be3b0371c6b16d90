// Whole Copilot transcripts, normalised as the gateway does, through the translator: the exact
// Anthropic event sequence is compared.
import { formatSseMessages, typedEventMessage } from "../../sse/format-sse.js";
import { describe, expect, it } from "vitest";
import type { AnthropicStreamEvent } from "../../protocols/anthropic/messages-response.js";
import { readCopilotFixtureSseData } from "../../translate/__fixtures__/copilot-fixtures.js";
import { createChatChunkNormalizer } from "../../translate/normalize-chat-completion-chunk.js";
import {
  createAnthropicStreamTranslator,
  type AnthropicStreamTranslatorOptions,
} from "./create-anthropic-stream-translator.js";

const MODEL = "claude-sonnet-4-20250514";

/** Feeds every payload but `[DONE]`, normalised, then calls finish() unless told not to. */
function translate(
  payloads: readonly string[],
  options: Partial<AnthropicStreamTranslatorOptions> = {},
  finish = true,
): AnthropicStreamEvent[] {
  const normalize = createChatChunkNormalizer({
    model: "copilot-model",
    created: 1700000000,
    id: "chatcmpl-default",
  });
  const translator = createAnthropicStreamTranslator({ model: MODEL, ...options });
  const events: AnthropicStreamEvent[] = [];
  for (const data of payloads) {
    if (data === "[DONE]") continue;
    const normalized = normalize(data);
    if (normalized !== undefined) events.push(...translator.push(JSON.parse(normalized)));
  }
  if (finish) events.push(...translator.finish());
  return events;
}

async function fixture(name: string): Promise<string[]> {
  return readCopilotFixtureSseData(`chat/${name}`);
}

/** Consecutive deltas of one block merged, with how many there were, for long transcripts. */
function mergeDeltas(events: readonly AnthropicStreamEvent[]): unknown[] {
  const merged: unknown[] = [];
  for (const event of events) {
    const last = merged.at(-1) as
      { type: string; index: number; delta: Record<string, string>; pieces: number } | undefined;
    if (
      event.type === "content_block_delta" &&
      last?.type === "content_block_delta" &&
      last.index === event.index &&
      last.delta.type === event.delta.type
    ) {
      for (const [key, value] of Object.entries(event.delta)) {
        if (key !== "type") last.delta[key] = `${last.delta[key] ?? ""}${value}`;
      }
      last.pieces += 1;
    } else if (event.type === "content_block_delta") {
      merged.push({ ...event, delta: { ...event.delta }, pieces: 1 });
    } else {
      merged.push(event);
    }
  }
  return merged;
}

const noCache = { cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

function messageStart(id: string, inputTokens = 0): AnthropicStreamEvent {
  return {
    type: "message_start",
    message: {
      id,
      type: "message",
      role: "assistant",
      model: MODEL,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: inputTokens, output_tokens: 0, ...noCache },
    },
  };
}

function textDelta(index: number, text: string): AnthropicStreamEvent {
  return { type: "content_block_delta", index, delta: { type: "text_delta", text } };
}

function jsonDelta(index: number, partial_json: string): AnthropicStreamEvent {
  return { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json } };
}

function thinkingDelta(index: number, thinking: string): AnthropicStreamEvent {
  return { type: "content_block_delta", index, delta: { type: "thinking_delta", thinking } };
}

const ping: AnthropicStreamEvent = { type: "ping" };
const stop = (index: number): AnthropicStreamEvent => ({ type: "content_block_stop", index });
const textStart = (index: number): AnthropicStreamEvent => ({
  type: "content_block_start",
  index,
  content_block: { type: "text", text: "" },
});
const toolStart = (index: number, id: string, name: string): AnthropicStreamEvent => ({
  type: "content_block_start",
  index,
  content_block: { type: "tool_use", id, name, input: {} },
});
const thinkingStart = (index: number): AnthropicStreamEvent => ({
  type: "content_block_start",
  index,
  content_block: { type: "thinking", thinking: "", signature: "" },
});

function messageEnd(
  stopReason: string,
  usage: { input_tokens: number; output_tokens: number; cache_read_input_tokens?: number },
): AnthropicStreamEvent[] {
  return [
    {
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { ...noCache, ...usage },
    } as AnthropicStreamEvent,
    { type: "message_stop" },
  ];
}

describe("createAnthropicStreamTranslator on recorded Copilot streams", () => {
  it("claude-sonnet-4 text", async () => {
    expect(translate(await fixture("chat-stream.claude-sonnet-4.text.2026-02-13.sse"))).toEqual([
      messageStart("msg_vrtx_018EegYBxUkMSEZ98ekgTDxH"),
      ping,
      textStart(0),
      textDelta(0, "7 * 8 ="),
      textDelta(0, " 56."),
      stop(0),
      ...messageEnd("end_turn", { input_tokens: 23, output_tokens: 14 }),
    ]);
  });

  it("claude-3.5-sonnet text: one text block of 93 deltas", async () => {
    const events = translate(await fixture("chat-stream.claude-3.5-sonnet.2025-01-11.sse"), {
      inputTokensEstimate: 5400,
    });
    expect(mergeDeltas(events)).toEqual([
      messageStart("msg_bdrk_01QvF9cjvJsrNcCgTvaPw1zk", 5400),
      ping,
      textStart(0),
      {
        type: "content_block_delta",
        index: 0,
        delta: { type: "text_delta", text: CLAUDE_TEXT },
        pieces: 93,
      },
      stop(0),
      ...messageEnd("end_turn", { input_tokens: 5471, output_tokens: 296 }),
    ]);
  });

  it("claude-3.5-sonnet text then a tool call", async () => {
    const toolId = "tooluse_9eC8o8MvTN-KOWuDGXgq1Q";
    expect(
      translate(await fixture("chat-stream.claude-3.5-sonnet.text-then-tool-call.2025-05-19.sse")),
    ).toEqual([
      messageStart("msg_938bb8e2-6276-4a58-bca3-c675cfe7f2f5"),
      ping,
      textStart(0),
      ...["I", "'ll", " help", " you examine", " the most", " recent commit using", " the shell"]
        .concat([" comman", "d `git show HEAD", "`."])
        .map((text) => textDelta(0, text)),
      stop(0),
      toolStart(1, toolId, "developer__shell"),
      jsonDelta(1, '{"command'),
      jsonDelta(1, '": '),
      jsonDelta(1, '"git show H'),
      jsonDelta(1, "EAD"),
      jsonDelta(1, '"}'),
      stop(1),
      ...messageEnd("tool_use", { input_tokens: 2594, output_tokens: 56 }),
    ]);
  });

  it("claude-3.5-sonnet two tool calls sharing index 0: two tool_use blocks", async () => {
    const events = translate(
      await fixture("chat-stream.claude-3.5-sonnet.two-tool-calls-same-index.2025-03-14.sse"),
    );
    const merged = mergeDeltas(events) as {
      type: string;
      delta?: { partial_json?: string; text?: string };
    }[];
    const summarized = merged.map((event) => {
      const json = event.delta?.partial_json;
      if (json === undefined) return event;
      return { ...event, delta: [json.length, json.slice(0, 30), json.slice(-20)] };
    });
    expect(summarized).toEqual([
      messageStart("msg_ba49856c-7de2-485b-87cd-6ff61c58407e"),
      ping,
      textStart(0),
      {
        type: "content_block_delta",
        index: 0,
        delta: {
          type: "text_delta",
          text: "I'll make two changes:\n1. Add a multiply function to test.js\n2. Modify server.js to return a random dad joke from a small collection",
        },
        pieces: 9,
      },
      stop(0),
      toolStart(1, "tooluse_448k6WHnTpS28K0Bd1bhgA", "edit_file"),
      {
        type: "content_block_delta",
        index: 1,
        delta: [172, '{"filePath":"/Users/roblou/cod', '    return a * b;\\"}'],
        pieces: 24,
      },
      stop(1),
      toolStart(2, "tooluse_2SRF2HShTXOoLdGrjWuGiw", "edit_file"),
      {
        type: "content_block_delta",
        index: 2,
        delta: [676, '"filePath":"/Users/roblou/code', '..existing code..."}'],
        pieces: 104,
      },
      stop(2),
      ...messageEnd("tool_use", { input_tokens: 2128, output_tokens: 170 }),
    ]);
  });

  it("gpt-4o tool call (leading filter chunk, usage with cached_tokens 0)", async () => {
    expect(translate(await fixture("chat-stream.gpt-4o.tool-call.2025-05-18.sse"))).toEqual([
      messageStart("msg_chatcmpl-BYcbLSepxSXIxgUX2WZCFZrjqjp0l"),
      ping,
      toolStart(0, "call_7m75SYp4UrPhxhtdZdawEK5J", "get_weather"),
      jsonDelta(0, '{"'),
      jsonDelta(0, "location"),
      jsonDelta(0, '":"'),
      jsonDelta(0, "San"),
      jsonDelta(0, " Francisco"),
      jsonDelta(0, '"}'),
      stop(0),
      ...messageEnd("tool_use", { input_tokens: 73, output_tokens: 16 }),
    ]);
  });

  it("cot_summary reasoning (EDITED) as a thinking block; no usage: the estimate", async () => {
    expect(
      translate(await fixture("chat-stream.cot_summary-cot_id.EDITED.sse"), {
        inputTokensEstimate: 120,
      }),
    ).toEqual([
      messageStart("msg_chatcmpl-default", 120),
      ping,
      thinkingStart(0),
      thinkingDelta(0, " "),
      thinkingDelta(0, "Analy"),
      thinkingDelta(0, "zing"),
      stop(0),
      toolStart(1, "call_bNK0HIaqlEFyZK6wEz8bXDXJ", "read_file"),
      jsonDelta(1, "arg-part1"),
      jsonDelta(1, "arg-part2"),
      stop(1),
      ...messageEnd("tool_use", { input_tokens: 120, output_tokens: 0 }),
    ]);
  });
});

/** A hand-made Copilot-style stream: reasoning, text, a tool call, text again, usage last. */
function chunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
  return JSON.stringify({
    id: "chatcmpl-reason",
    created: 1700000000,
    model: "gpt-5-mini",
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });
}

const reasoningStream = [
  chunk({ role: "assistant", reasoning_text: "The user wants " }),
  chunk({ reasoning_text: "the weather." }),
  chunk({ reasoning_opaque: "opaque-state", content: "Let me check." }),
  chunk({
    tool_calls: [
      { index: 0, id: "call_w", type: "function", function: { name: "weather", arguments: "" } },
    ],
  }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Oslo"}' } }] }),
  chunk({ content: "Done." }),
  chunk({}, "stop"),
  JSON.stringify({
    id: "chatcmpl-reason",
    choices: [],
    usage: {
      prompt_tokens: 900,
      completion_tokens: 60,
      total_tokens: 960,
      prompt_tokens_details: { cached_tokens: 800 },
    },
  }),
  "[DONE]",
];

describe("createAnthropicStreamTranslator", () => {
  it("reasoning, signature, text, a tool call and text again; usage after the finish", () => {
    expect(translate(reasoningStream)).toEqual([
      messageStart("msg_chatcmpl-reason"),
      ping,
      thinkingStart(0),
      thinkingDelta(0, "The user wants "),
      thinkingDelta(0, "the weather."),
      {
        type: "content_block_delta",
        index: 0,
        delta: { type: "signature_delta", signature: "opaque-state" },
      },
      stop(0),
      textStart(1),
      textDelta(1, "Let me check."),
      stop(1),
      toolStart(2, "call_w", "weather"),
      jsonDelta(2, '{"city":"Oslo"}'),
      stop(2),
      textStart(3),
      textDelta(3, "Done."),
      stop(3),
      // "stop" with a tool call in the message: the client must still run the tool.
      ...messageEnd("tool_use", {
        input_tokens: 100,
        output_tokens: 60,
        cache_read_input_tokens: 800,
      }),
    ]);
  });

  it("a given messageId wins over the chunk id", () => {
    const [start] = translate(reasoningStream, { messageId: "msg_given" });
    expect(start).toEqual(messageStart("msg_given"));
  });

  it("a stream cut short (no finish_reason) ends with an error event, not message_stop", async () => {
    const payloads = await fixture(
      "chat-stream.claude-3.5-sonnet.text-then-tool-call.2025-05-19.sse",
    );
    // The ten text chunks, the tool call's start, its empty and its first arguments.
    const events = translate(payloads.slice(0, 13));
    expect(events.slice(-3)).toEqual([
      toolStart(1, "tooluse_9eC8o8MvTN-KOWuDGXgq1Q", "developer__shell"),
      jsonDelta(1, '{"command'),
      {
        type: "error",
        error: {
          type: "api_error",
          message: "The upstream stream ended before the answer was complete",
        },
      },
    ]);
  });

  it("nothing at all before finish: only the error event", () => {
    expect(translate([])).toEqual([
      {
        type: "error",
        error: {
          type: "api_error",
          message: "The upstream stream ended before the answer was complete",
        },
      },
    ]);
  });

  it('finish_reason "error" ends with an error event', () => {
    expect(translate([chunk({ content: "Par" }), chunk({}, "error")])).toEqual([
      messageStart("msg_chatcmpl-reason"),
      ping,
      textStart(0),
      textDelta(0, "Par"),
      stop(0),
      {
        type: "error",
        error: {
          type: "api_error",
          message: 'Copilot ended the answer with finish_reason "error"',
        },
      },
    ]);
  });

  it("an error chunk mid-stream becomes an error event; later chunks and finish add nothing", () => {
    const translator = createAnthropicStreamTranslator({ model: MODEL });
    const first = translator.push({
      id: "chatcmpl-x",
      choices: [{ index: 0, delta: { content: "Hi" }, finish_reason: null }],
    });
    const failed = translator.push({ error: { message: "upstream overloaded", code: "x" } });
    const after = translator.push({
      id: "chatcmpl-x",
      choices: [{ index: 0, delta: { content: "more" }, finish_reason: "stop" }],
    });
    expect([first.length, failed, after, translator.finish()]).toEqual([
      4,
      [{ type: "error", error: { type: "api_error", message: "upstream overloaded" } }],
      [],
      [],
    ]);
  });

  it("length → max_tokens; finish twice gives nothing more", () => {
    const translator = createAnthropicStreamTranslator({ model: MODEL });
    translator.push({
      id: "c",
      choices: [{ index: 0, delta: { content: "a" }, finish_reason: "length" }],
    });
    expect([translator.finish(), translator.finish()]).toEqual([
      messageEnd("max_tokens", { input_tokens: 0, output_tokens: 0 }),
      [],
    ]);
  });

  it("refuses a chunk that is not a chat completion chunk", () => {
    const translator = createAnthropicStreamTranslator({ model: MODEL });
    expect(() => translator.push({ choices: "nope" })).toThrow(
      "Copilot sent a chat completion chunk that was not understood",
    );
  });
});

describe("formatAnthropicEvent", () => {
  it("names the event and puts the JSON on one data line", () => {
    expect(formatTypedEvent(textDelta(0, "a\nb"))).toBe(
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a\\nb"}}\n\n',
    );
  });
});

const CLAUDE_TEXT =
  "This project is an app manager CLI tool, primarily focused on managing Windsurf installations. Here are the key points:\n\n1. **Main Purpose**\n- Manages application installations, currently only supporting Windsurf\n- Specifically designed for Arch-based Linux distributions where Windsurf isn't officially available\n\n2. **Core Features**\n- Install Windsurf: Downloads and installs the latest version\n- Uninstall Windsurf: Removes the Windsurf installation\n\n3. **Key Components**\n- Uses [`windsurf`](src/commands/windsurf/command.ts) command with two subcommands:\n  - [`installWindsurf`](src/commands/windsurf/install/command.ts): Handles downloading and installation\n  - [`uninstallWindsurf`](src/commands/windsurf/uninstall/command.ts): Handles removal\n\n4. **Usage**\n```sh\napp-manager windsurf install   # Install Windsurf\napp-manager windsurf uninstall # Remove Windsurf\n```\n\nThe project is built with TypeScript and uses Bun as the runtime environment. It leverages several libraries like `citty` for CLI commands, `effect` for functional programming patterns, and `consola` for logging.";

function formatTypedEvent<Event extends { readonly type: string }>(event: Event): string {
  return formatSseMessages([typedEventMessage(event)]);
}
