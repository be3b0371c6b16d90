import { describe, expect, it } from "vitest";
import { UpstreamError } from "../errors.js";
import { readCopilotFixtureJson } from "./__fixtures__/copilot-fixtures.js";
import { normalizeChatCompletion } from "./normalize-chat-completion.js";

const defaults = { model: "gpt-4o", created: 1700000000, id: "chatcmpl-default" };

const safe = { filtered: false, severity: "safe" };
const safeFilterResults = { hate: safe, self_harm: safe, sexual: safe, violence: safe };

describe("normalizeChatCompletion", () => {
  it("gpt-4o: removes padding, adds object and created", async () => {
    const body = await readCopilotFixtureJson("chat/chat.gpt-4o.simple.2026-03.json");
    expect(normalizeChatCompletion(body, defaults)).toEqual({
      choices: [
        {
          finish_reason: "stop",
          index: 0,
          content_filter_results: safeFilterResults,
          message: { content: "Hello, howdy there!", role: "assistant" },
        },
      ],
      id: "chatcmpl-DEqnH0yBs2iqFxWiNe1fVMxt2DXSr",
      object: "chat.completion",
      created: 1700000000,
      usage: {
        completion_tokens: 7,
        completion_tokens_details: { accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
        prompt_tokens: 15,
        prompt_tokens_details: { cached_tokens: 0 },
        total_tokens: 22,
      },
      model: "gpt-4o-2024-11-20",
      prompt_filter_results: [{ content_filter_results: safeFilterResults, prompt_index: 0 }],
      system_fingerprint: "fp_569604b1f8",
    });
  });

  it("claude-sonnet-4 tool call: adds the choice index, null content and object", async () => {
    const body = await readCopilotFixtureJson(
      "chat/chat.claude-sonnet-4.tool-call.2025-07-22.json",
    );
    expect(normalizeChatCompletion(body, defaults)).toEqual({
      choices: [
        {
          finish_reason: "tool_calls",
          index: 0,
          message: {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                function: {
                  arguments:
                    '{"todos":[{"content":"Check current git status and identify what docs need updating","id":"1","priority":"high","status":"completed"},{"content":"Review and update documentation files","id":"2","priority":"high","status":"in_progress"},{"content":"Commit changes with appropriate message","id":"3","priority":"medium","status":"pending"},{"content":"Push changes to remote repository","id":"4","priority":"medium","status":"pending"}]}',
                  name: "TodoWrite",
                },
                id: "toolu_vrtx_01RADHtBsZ2RyNHr7R3k4cEX",
                type: "function",
              },
            ],
          },
        },
      ],
      created: 1753214030,
      id: "msg_vrtx_01KqjoMyjy1KPKAU4gk58Gi1",
      object: "chat.completion",
      usage: {
        completion_tokens: 176,
        prompt_tokens: 18366,
        prompt_tokens_details: { cached_tokens: 15864 },
        total_tokens: 18542,
      },
      model: "claude-sonnet-4",
    });
  });

  it("fills everything missing from the defaults and positions", () => {
    expect(
      normalizeChatCompletion(
        {
          choices: [{ message: { content: "a", padding: "xyz" } }, { finish_reason: "stop" }],
          created: 0,
          id: "",
          model: "",
          usage: { prompt_tokens: 4, completion_tokens: 6, total_tokens: 0 },
        },
        defaults,
      ),
    ).toEqual({
      choices: [
        { index: 0, message: { content: "a", role: "assistant" }, finish_reason: null },
        { index: 1, message: { role: "assistant", content: null }, finish_reason: "stop" },
      ],
      created: 1700000000,
      id: "chatcmpl-default",
      object: "chat.completion",
      model: "gpt-4o",
      usage: { prompt_tokens: 4, completion_tokens: 6, total_tokens: 10 },
    });
  });

  it("generates a chatcmpl id when neither the answer nor the defaults have one", () => {
    const normalized = normalizeChatCompletion(
      { choices: [] },
      { model: "gpt-4o", created: 1700000000 },
    ) as { id: string };
    expect(normalized.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
  });

  it("throws an UpstreamError for an answer that is not an object", () => {
    expect(() => normalizeChatCompletion("Hello", defaults)).toThrow(
      new UpstreamError(502, "Copilot answered with a chat completion that is not an object", {
        code: "upstream_malformed_response",
      }),
    );
    expect(() => normalizeChatCompletion({ choices: [null] }, defaults)).toThrow(
      "Copilot answered with a choice that is not an object",
    );
  });

  it("throws an UpstreamError for an answer whose choices are missing or not a list", () => {
    const error = new UpstreamError(
      502,
      "Copilot answered with a chat completion whose `choices` is not a list",
      { code: "upstream_malformed_response" },
    );
    expect(() => normalizeChatCompletion({ choices: "weird" }, defaults)).toThrow(error);
    expect(() => normalizeChatCompletion({ id: "chatcmpl-1" }, defaults)).toThrow(error);
  });
});
