import { describe, expect, it } from "vitest";
import type { ConversionContext } from "../dialect.js";
import { createSignatureRecorder, recordThinkingSignatures } from "./record-thinking-signatures.js";

function contextRecording(recorded: string[][]): ConversionContext {
  return {
    model: { id: "claude-sonnet-4.5" },
    created: 0,
    header: () => undefined,
    signatures: {
      isForeign: () => false,
      record: (signature, modelId) => recorded.push([signature, modelId]),
    },
  };
}

const event = (name: string, data: object) => ({
  event: name,
  data: JSON.stringify({ type: name, ...data }),
  id: undefined,
});

describe("recordThinkingSignatures", () => {
  it("records thinking and redacted_thinking signatures of a whole answer", () => {
    const recorded: string[][] = [];
    const content = [
      { type: "thinking", thinking: "t", signature: "sig-a" },
      { type: "redacted_thinking", data: "sig-b" },
      { type: "thinking", thinking: "t", signature: "" },
      { type: "text", text: "hello" },
    ];
    recordThinkingSignatures(content, contextRecording(recorded));
    expect(recorded).toEqual([
      ["sig-a", "claude-sonnet-4.5"],
      ["sig-b", "claude-sonnet-4.5"],
    ]);
  });
});

describe("createSignatureRecorder", () => {
  it("records a native stream's signature deltas at block stop and redacted blocks at start", () => {
    const recorded: string[][] = [];
    const recorder = createSignatureRecorder(contextRecording(recorded));
    const events = [
      event("message_start", { message: { content: [] } }),
      event("content_block_start", {
        index: 0,
        content_block: { type: "thinking", thinking: "", signature: "" },
      }),
      event("content_block_delta", { index: 0, delta: { type: "thinking_delta", thinking: "hm" } }),
      event("content_block_delta", {
        index: 0,
        delta: { type: "signature_delta", signature: "sig-" },
      }),
      event("content_block_delta", {
        index: 0,
        delta: { type: "signature_delta", signature: "part2" },
      }),
      event("content_block_stop", { index: 0 }),
      event("content_block_start", {
        index: 1,
        content_block: { type: "redacted_thinking", data: "sig-redacted" },
      }),
      event("content_block_stop", { index: 1 }),
      event("content_block_start", { index: 2, content_block: { type: "text", text: "" } }),
      event("content_block_delta", {
        index: 2,
        delta: { type: "text_delta", text: '"signature_delta" in text' },
      }),
      event("content_block_stop", { index: 2 }),
      event("message_stop", {}),
    ];
    for (const item of events) recorder.push(item);
    expect(recorded).toEqual([
      ["sig-part2", "claude-sonnet-4.5"],
      ["sig-redacted", "claude-sonnet-4.5"],
    ]);
  });

  it("records the signatures among a translator's events", () => {
    const recorded: string[][] = [];
    const recorder = createSignatureRecorder(contextRecording(recorded));
    recorder.take([
      {
        type: "content_block_start",
        index: 0,
        content_block: { type: "thinking", thinking: "", signature: "" },
      },
      {
        type: "content_block_delta",
        index: 0,
        delta: { type: "signature_delta", signature: "opaque" },
      },
      { type: "content_block_stop", index: 0 },
    ]);
    expect(recorded).toEqual([["opaque", "claude-sonnet-4.5"]]);
  });
});
