import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors.js";
import type { SseMessage } from "../../sse/format-sse.js";
import type { SseEvent } from "../../sse/parse-sse.js";
import type { ConversionContext } from "../dialect.js";
import { openAIResponsesDialect } from "./openai-responses-dialect.js";

const context: ConversionContext = {
  model: { id: "gpt-5.4", supported_endpoints: ["/responses"] },
  created: 1700000000,
  header: () => undefined,
};

const event = (type: string, data: Record<string, unknown>): SseEvent => ({
  event: type,
  data: JSON.stringify({ type, ...data }),
  id: undefined,
});

/** Pushes each event and collects what the client gets, stopping at the first error thrown. */
function relay(events: readonly SseEvent[]) {
  const stream = openAIResponsesDialect.createStreamTranslator(
    "/responses",
    { input: "hi" },
    context,
  );
  const out: SseMessage[] = [];
  for (const upstream of events) {
    try {
      out.push(...stream.push(upstream));
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      out.push(...stream.fail(error));
      return { out, error };
    }
  }
  return { out, error: undefined };
}

describe("openAIResponsesDialect: the native /responses relay", () => {
  const added = event("response.output_item.added", {
    output_index: 0,
    item: { id: "id-1", type: "function_call", name: "exec_command", call_id: "c", arguments: "" },
  });

  it("pins each item's id across its events", () => {
    const { out } = relay([
      added,
      event("response.function_call_arguments.delta", {
        item_id: "id-2",
        output_index: 0,
        delta: '{"cmd":',
      }),
      event("response.function_call_arguments.done", {
        item_id: "id-3",
        output_index: 0,
        arguments: '{"cmd":"ls"}',
      }),
    ]);
    expect(
      out.map((message) => (JSON.parse(message.data) as { item_id?: string }).item_id),
    ).toEqual([undefined, "id-1", "id-1"]);
    expect(out.map((message) => message.event)).toEqual([
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
    ]);
  });

  it("cuts a call whose arguments degenerate into whitespace with an error event", () => {
    const deltas = [
      event("response.function_call_arguments.delta", {
        item_id: "x",
        output_index: 0,
        delta: '{"',
      }),
    ];
    for (let i = 0; i < 30; i++) {
      deltas.push(
        event("response.function_call_arguments.delta", {
          item_id: "x",
          output_index: 0,
          delta: " \n".repeat(50),
        }),
      );
    }
    const { out, error } = relay([added, ...deltas]);
    // {" then 20 deltas of 100 whitespace characters reach 2,000: the 21st event is cut.
    expect(out).toHaveLength(22);
    expect(error?.code).toBe("degenerate_tool_call");
    const message =
      'The tool call "exec_command" degenerated into whitespace (2000 whitespace characters in a row with nothing else): the answer was cut instead of streaming until max_output_tokens; try again';
    expect(out.at(-1)).toEqual({
      event: "error",
      data: JSON.stringify({
        type: "error",
        code: "degenerate_tool_call",
        message,
        param: null,
        error: { type: "server_error", code: "degenerate_tool_call", message, param: null },
        sequence_number: 21,
      }),
    });
  });
});
