import { UpstreamAnswer } from "../translate/parse-upstream-json.js";
import { describe, expect, it } from "vitest";
import type { SseEvent } from "../sse/parse-sse.js";
import { readCopilotFixture } from "../translate/__fixtures__/copilot-fixtures.js";
import { createStreamUsageReader, readAnswerUsage } from "./read-stream-usage.js";

const ROTATION =
  "responses/responses-stream.gpt-5.3-codex.id-rotation.2026-08-06.vercel-ai.chunks.txt";
const GPT_5_6 = "responses/responses-stream.gpt-5.6-sol.STRUCTURAL-SANITIZED.2026-07-10.json";

const event = (data: unknown, name?: string): SseEvent => ({
  event: name,
  data: typeof data === "string" ? data : JSON.stringify(data),
  id: undefined,
});

/** `copilot_usage` with these counts of input, cache read, cache write and output, at 1 each. */
function copilotUsage(counts: readonly number[]): unknown {
  return {
    token_details: ["input", "cache_read", "cache_write", "output"].map((type, index) => ({
      batch_size: 1,
      cost_per_batch: 1,
      token_count: counts[index],
      token_type: type,
    })),
    total_nano_aiu: counts.reduce((sum, count) => sum + count, 0),
  };
}

describe("createStreamUsageReader on /responses", () => {
  it("reads the recorded stream's response.completed (data lines only, no event names)", async () => {
    const lines = (await readCopilotFixture(ROTATION)).split("\n").filter((line) => line !== "");
    const reader = createStreamUsageReader("/responses");
    for (const line of lines.slice(0, -1)) reader.push(event(line));
    expect(reader.usage()).toBeUndefined();
    reader.push(event(lines.at(-1)));
    expect(reader.usage()).toEqual({
      inputTokens: 19,
      outputTokens: 105,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 44,
      copilotUsage: {
        token_details: [
          {
            batch_size: 1000000,
            cost_per_batch: 175000000000,
            token_count: 19,
            token_type: "input",
          },
          {
            batch_size: 1000000,
            cost_per_batch: 17500000000,
            token_count: 0,
            token_type: "cache_read",
          },
          { batch_size: 1000000, cost_per_batch: 0, token_count: 0, token_type: "cache_write" },
          {
            batch_size: 1000000,
            cost_per_batch: 1400000000000,
            token_count: 105,
            token_type: "output",
          },
        ],
        total_nano_aiu: 150325000,
      },
    });
  });

  it("reads cache reads and writes apart, as the recorded gpt-5.6 events name them", async () => {
    const samples = (
      JSON.parse(await readCopilotFixture(GPT_5_6)) as { samples: { value: unknown }[] }
    ).samples;
    const seen = [19, 20].map((index) => {
      const reader = createStreamUsageReader("/responses");
      reader.push(event(samples[index]?.value, "response.completed"));
      const usage = reader.usage();
      return [usage?.cacheReadTokens, usage?.cacheWriteTokens];
    });
    // The same events' copilot_usage counts: [1, 0, 1, 1] and [1, 1, 0, 1].
    expect(seen).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it("reads response.incomplete, and only the closing events", () => {
    const reader = createStreamUsageReader("/responses");
    const response = { usage: { input_tokens: 9, output_tokens: 2 } };
    reader.push(event({ type: "response.created", response }, "response.created"));
    expect(reader.usage()).toBeUndefined();
    reader.push(
      event(
        { type: "response.incomplete", response, copilot_usage: copilotUsage([9, 0, 0, 2]) },
        "response.incomplete",
      ),
    );
    expect(reader.usage()).toEqual({
      inputTokens: 9,
      outputTokens: 2,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      copilotUsage: copilotUsage([9, 0, 0, 2]),
    });
  });
});

describe("createStreamUsageReader on /chat/completions", () => {
  it("reads the last chunk's usage and copilot_usage, not a chunk's usage: null", () => {
    const reader = createStreamUsageReader("/chat/completions");
    reader.push(event({ choices: [{ index: 0, delta: { content: "Hi" } }], usage: null }));
    const last = {
      choices: [],
      usage: {
        prompt_tokens: 1202,
        completion_tokens: 3,
        prompt_tokens_details: { cached_tokens: 1000 },
        completion_tokens_details: { reasoning_tokens: 1 },
      },
      copilot_usage: copilotUsage([2, 1000, 200, 3]),
    };
    reader.push(event(last));
    reader.push(event({ choices: [], usage: null }));
    reader.push(event("{not json"));
    reader.push(event("[DONE]"));
    expect(reader.usage()).toEqual({
      inputTokens: 1202,
      outputTokens: 3,
      cacheReadTokens: 1000,
      cacheWriteTokens: 0,
      reasoningTokens: 1,
      copilotUsage: copilotUsage([2, 1000, 200, 3]),
    });
  });

  it("tells a cut stream's output as one token per event after the first", () => {
    const reader = createStreamUsageReader("/chat/completions");
    expect(reader.partialUsage()).toEqual({ outputTokens: 0 });
    for (const word of ["", "one", " two", " three"]) {
      reader.push(event({ choices: [{ index: 0, delta: { content: word } }] }));
    }
    expect(reader.usage()).toBeUndefined();
    expect(reader.partialUsage()).toEqual({ outputTokens: 3 });
  });
});

describe("createStreamUsageReader on /v1/messages", () => {
  const start = {
    type: "message_start",
    message: {
      id: "msg_1",
      usage: {
        input_tokens: 1202,
        output_tokens: 1,
        cache_read_input_tokens: 1000,
        cache_creation_input_tokens: 200,
      },
    },
  };

  it("takes the input from message_start and the output from message_delta", () => {
    const reader = createStreamUsageReader("/v1/messages");
    reader.push(event(start, "message_start"));
    reader.push(event({ type: "content_block_delta" }, "content_block_delta"));
    reader.push(
      event(
        {
          type: "message_delta",
          delta: { stop_reason: "end_turn" },
          usage: { output_tokens: 3 },
          copilot_usage: copilotUsage([2, 1000, 200, 3]),
        },
        "message_delta",
      ),
    );
    expect(reader.usage()).toEqual({
      inputTokens: 1202,
      outputTokens: 3,
      cacheReadTokens: 1000,
      cacheWriteTokens: 200,
      reasoningTokens: 0,
      copilotUsage: copilotUsage([2, 1000, 200, 3]),
    });
  });

  it("prefers the counts message_delta repeats, and reads events without a name", () => {
    const reader = createStreamUsageReader("/v1/messages");
    reader.push(event(start));
    reader.push(
      event({
        type: "message_delta",
        usage: {
          input_tokens: 1300,
          output_tokens: 4,
          cache_read_input_tokens: 1100,
          cache_creation_input_tokens: 0,
        },
      }),
    );
    expect(reader.usage()).toEqual({
      inputTokens: 1300,
      outputTokens: 4,
      cacheReadTokens: 1100,
      // 0 in the delta is read as "not repeated": the opening count stands.
      cacheWriteTokens: 200,
      reasoningTokens: 0,
      copilotUsage: undefined,
    });
  });

  it("tells a stream cut before message_delta by its opening input and the events seen", () => {
    const reader = createStreamUsageReader("/v1/messages");
    reader.push(event(start, "message_start"));
    for (let index = 0; index < 5; index += 1) {
      reader.push(event({ type: "content_block_delta" }, "content_block_delta"));
    }
    expect(reader.usage()).toBeUndefined();
    expect(reader.partialUsage()).toEqual({
      inputTokens: 1202,
      outputTokens: 5,
      cacheReadTokens: 1000,
      cacheWriteTokens: 200,
      reasoningTokens: 0,
      copilotUsage: undefined,
    });
  });
});

describe("readAnswerUsage", () => {
  it("reads a whole answer of each endpoint", () => {
    expect(
      readAnswerUsage(
        "/chat/completions",
        answerOf(
          JSON.stringify({ usage: { prompt_tokens: 5, completion_tokens: 2 }, copilot_usage: 1 }),
        ),
      ),
    ).toEqual({
      inputTokens: 5,
      outputTokens: 2,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      copilotUsage: 1,
    });
    expect(
      readAnswerUsage(
        "/responses",
        answerOf(
          JSON.stringify({
            object: "response",
            usage: {
              input_tokens: 30,
              output_tokens: 4,
              input_tokens_details: { cached_tokens: 10, cache_write_tokens: 15 },
              output_tokens_details: { reasoning_tokens: 2 },
            },
          }),
        ),
      ),
    ).toEqual({
      inputTokens: 30,
      outputTokens: 4,
      cacheReadTokens: 10,
      cacheWriteTokens: 15,
      reasoningTokens: 2,
      copilotUsage: undefined,
    });
    expect(
      readAnswerUsage(
        "/v1/messages",
        answerOf(
          JSON.stringify({
            type: "message",
            usage: { input_tokens: 8, output_tokens: 1, cache_creation_input_tokens: 6 },
            copilot_usage: copilotUsage([2, 0, 6, 1]),
          }),
        ),
      ),
    ).toEqual({
      inputTokens: 8,
      outputTokens: 1,
      cacheReadTokens: 0,
      cacheWriteTokens: 6,
      reasoningTokens: 0,
      copilotUsage: copilotUsage([2, 0, 6, 1]),
    });
  });

  it("is undefined for text that is not JSON or has no usage", () => {
    expect(readAnswerUsage("/chat/completions", answerOf("<html>"))).toBeUndefined();
    expect(readAnswerUsage("/responses", answerOf("{}"))).toBeUndefined();
    expect(readAnswerUsage("/v1/messages", answerOf("null"))).toBeUndefined();
  });
});

function answerOf(text: string): UpstreamAnswer {
  return new UpstreamAnswer(text);
}
