import { planBilling } from "./billing.js";
import type { RecordedRequest, ScriptedAnswer } from "./fake-copilot-types.js";
import { countWords, splitIntoPieces } from "./chat-answer.js";
import type { FakeResponse } from "./fake-response.js";
import { APPLICATION_JSON, jsonResponse, parseJsonBody, textResponse } from "./fake-response.js";
import type { FakeState } from "./fake-state.js";
import { isRecord } from "./fake-state.js";
import { checkPromptLimit } from "./prompt-limit.js";
import { argumentsTextOf, takeScriptedAnswer } from "./scripted-answers.js";
import {
  findWebSearchTool,
  planWebSearch,
  refuseWebSearch,
  renderWebSearchCall,
  type FakeWebSearchPlan,
  type UrlCitation,
} from "./responses-web-search.js";

type OutputItem =
  | { type: "message"; text: string; annotations?: readonly UrlCitation[] }
  | { type: "web_search_call"; plan: FakeWebSearchPlan }
  | {
      type: "function_call";
      callId: string;
      name: string;
      arguments: string;
      /** Arguments that degenerated into whitespace: streamed in 100-character deltas. */
      degenerate?: boolean;
    };

/** Two halves, or for a degenerate call `{"` and then whitespace, 100 characters a delta. */
function argumentDeltas(item: Extract<OutputItem, { type: "function_call" }>): string[] {
  if (item.degenerate !== true) {
    const half = Math.floor(item.arguments.length / 2);
    return [item.arguments.slice(0, half), item.arguments.slice(half)];
  }
  const deltas = [item.arguments.slice(0, 2)];
  for (let start = 2; start < item.arguments.length; start += 100) {
    deltas.push(item.arguments.slice(start, start + 100));
  }
  return deltas;
}

/**
 * POST /responses, for models that list it. Answers deterministically like the chat route, with
 * the quirks of the recordings: ids are opaque and rotate from event to event (only
 * `output_index` is stable), a `keepalive` event, and `copilot_usage` beside `response` in
 * `response.completed` (docs/upstream-protocol.md, Quirks in the recordings). With the
 * `web_search` tool it searches once (see responses-web-search.ts) and answers with citations.
 */
export function handleResponses(state: FakeState, request: RecordedRequest): FakeResponse {
  const parsed = parseJsonBody(request.body);
  if (!parsed.ok) return textResponse(400, `bad request: ${parsed.message}\n`);
  const body = parsed.value;
  const modelId = body["model"];
  const model = typeof modelId === "string" ? state.models.get(modelId) : undefined;
  if (model === undefined || model.type !== "chat") {
    return textResponse(400, state.fixtures.modelNotSupportedBody);
  }
  if (model.supportedEndpoints?.includes("/responses") !== true) {
    const error = {
      message: `model "${model.id}" is not accessible via the /responses endpoint`,
      code: "unsupported_api_for_model",
    };
    return textResponse(400, `${JSON.stringify({ error })}\n`);
  }
  const webSearchTool = findWebSearchTool(body["tools"]);
  const searchRefusal = webSearchTool === undefined ? undefined : refuseWebSearch(state, model.id);
  if (searchRefusal !== undefined) return textResponse(400, searchRefusal);
  const items = readInput(body["input"]);
  if (countImages(items) > 0 && request.headers["copilot-vision-request"] !== "true") {
    const error = {
      message: "missing required Copilot-Vision-Request header for vision requests",
      code: "invalid_request_body",
    };
    return textResponse(400, `${JSON.stringify({ error })}\n`);
  }
  const inputTokens = items.reduce((total, item) => total + countWords(textOf(item)), 0);
  const overLimit = checkPromptLimit(state, model, inputTokens);
  if (overLimit !== undefined) return overLimit;
  state.completionSerial += 1;
  const serial = state.completionSerial;
  // A model offered web_search among other tools (Codex offers it in every request) decides for
  // itself; the fake searches only when web_search is all it is offered.
  const searches = webSearchTool !== undefined && countTools(body["tools"]) === 1;
  const scripted = searches ? undefined : takeScriptedAnswer(state.scripted, "/responses", body);
  const output = searches
    ? planSearchOutput(webSearchTool, items, body["include"])
    : planOutput(state, body, items, model.id, scripted);
  const outputTokens = output.reduce((total, item) => total + countWords(outputTextOf(item)), 0);
  const stream = body["stream"] === true;
  const billing = planBilling(state, {
    model: model.id,
    endpoint: "/responses",
    stream,
    freshInputTokens: inputTokens,
    outputTokens,
    scripted,
  });
  const promptTokens = billing.promptTokens;
  const copilotUsage =
    billing.copilotUsage === undefined ? {} : { copilot_usage: billing.copilotUsage };
  let idSerial = 0;
  // Copilot's ids are long opaque strings that change between events; "stable" keeps one per
  // output item (index -1: the response) as OpenAI does.
  const idOf = (outputIndex: number): string =>
    state.responsesItemIds === "rotating"
      ? `OpaqueFakeId+${serial}/${++idSerial}==`
      : `OpaqueFakeId+${serial}/item${outputIndex}==`;
  const incomplete = output.some((item) => item.type === "function_call" && item.degenerate);
  const response = (status: string, items: unknown[], withUsage: boolean) => ({
    id: idOf(-1),
    object: "response",
    created_at: Math.floor(state.now() / 1000),
    status,
    model: model.id,
    output: items,
    incomplete_details: status === "incomplete" ? { reason: "max_output_tokens" } : null,
    instructions: body["instructions"] ?? null,
    tools: Array.isArray(body["tools"]) ? body["tools"] : [],
    tool_choice: body["tool_choice"] ?? "auto",
    parallel_tool_calls: true,
    usage: withUsage
      ? {
          input_tokens: promptTokens,
          input_tokens_details: { cached_tokens: billing.tokens.cacheRead },
          output_tokens: outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: promptTokens + outputTokens,
        }
      : null,
  });
  const finalStatus = incomplete ? "incomplete" : "completed";
  const finalItems = output.map((item, index) =>
    renderItem(item, idOf(index), incomplete ? "incomplete" : "completed"),
  );
  if (!stream) {
    const answer = { ...response(finalStatus, finalItems, true), ...copilotUsage };
    return { ...jsonResponse(200, answer, APPLICATION_JSON), bill: billing.bill };
  }

  let sequence = 0;
  const events: string[] = [];
  const emit = (type: string, data: Record<string, unknown>) => {
    events.push(
      `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`,
    );
  };
  emit("response.created", { response: response("in_progress", [], false) });
  emit("response.in_progress", { response: response("in_progress", [], false) });
  events.push(
    `event: keepalive\ndata: ${JSON.stringify({ type: "keepalive", sequence_number: sequence++ })}\n\n`,
  );
  output.forEach((item, outputIndex) => {
    emit("response.output_item.added", {
      output_index: outputIndex,
      item: renderItem(startOf(item), idOf(outputIndex), "in_progress"),
    });
    if (item.type === "web_search_call") {
      for (const step of ["in_progress", "searching", "completed"]) {
        emit(`response.web_search_call.${step}`, {
          item_id: idOf(outputIndex),
          output_index: outputIndex,
        });
      }
    } else if (item.type === "message") {
      const part = { type: "output_text", text: "", annotations: [] };
      emit("response.content_part.added", {
        item_id: idOf(outputIndex),
        output_index: outputIndex,
        content_index: 0,
        part,
      });
      for (const delta of splitIntoPieces(item.text, state.streamChunks)) {
        emit("response.output_text.delta", {
          item_id: idOf(outputIndex),
          output_index: outputIndex,
          content_index: 0,
          delta,
          logprobs: [],
          obfuscation: "xyz",
        });
      }
      (item.annotations ?? []).forEach((annotation, annotationIndex) => {
        emit("response.output_text.annotation.added", {
          item_id: idOf(outputIndex),
          output_index: outputIndex,
          content_index: 0,
          annotation_index: annotationIndex,
          annotation,
        });
      });
      emit("response.output_text.done", {
        item_id: idOf(outputIndex),
        output_index: outputIndex,
        content_index: 0,
        text: item.text,
        logprobs: [],
      });
      emit("response.content_part.done", {
        item_id: idOf(outputIndex),
        output_index: outputIndex,
        content_index: 0,
        part: { ...part, text: item.text, annotations: item.annotations ?? [] },
      });
    } else {
      for (const delta of argumentDeltas(item)) {
        emit("response.function_call_arguments.delta", {
          item_id: idOf(outputIndex),
          output_index: outputIndex,
          delta,
        });
      }
      emit("response.function_call_arguments.done", {
        item_id: idOf(outputIndex),
        output_index: outputIndex,
        arguments: item.arguments,
      });
    }
    emit("response.output_item.done", {
      output_index: outputIndex,
      item: renderItem(
        item,
        idOf(outputIndex),
        item.type === "function_call" && item.degenerate === true ? "incomplete" : "completed",
      ),
    });
  });
  emit(`response.${finalStatus}`, {
    response: response(finalStatus, finalItems, true),
    ...copilotUsage,
  });
  return {
    kind: "stream",
    status: 200,
    headers: { "content-type": "text/event-stream" },
    events,
    bill: billing.bill,
    chunkDelayMs: scripted?.chunkDelayMs,
  };
}

function renderItem(item: OutputItem, id: string, status: string): Record<string, unknown> {
  switch (item.type) {
    case "message":
      return {
        type: "message",
        id,
        status,
        role: "assistant",
        content:
          item.text === ""
            ? []
            : [
                {
                  type: "output_text",
                  text: item.text,
                  annotations: item.annotations ?? [],
                  logprobs: [],
                },
              ],
      };
    case "web_search_call":
      return renderWebSearchCall(item.plan, id, status);
    case "function_call":
      return {
        type: "function_call",
        id,
        status,
        call_id: item.callId,
        name: item.name,
        arguments: item.arguments,
      };
  }
}

/** An item as `response.output_item.added` shows it: no text, arguments or action yet. */
function startOf(item: OutputItem): OutputItem {
  switch (item.type) {
    case "message":
      return { type: "message", text: "" };
    case "web_search_call":
      return item;
    case "function_call":
      return { ...item, arguments: "" };
  }
}

function outputTextOf(item: OutputItem): string {
  switch (item.type) {
    case "message":
      return item.text;
    case "web_search_call":
      return "";
    case "function_call":
      return item.arguments;
  }
}

function countTools(tools: unknown): number {
  return Array.isArray(tools) ? tools.length : 0;
}

/** A request with the `web_search` tool: one search for the last user text, then the cited answer. */
function planSearchOutput(
  tool: Record<string, unknown>,
  items: readonly Record<string, unknown>[],
  include: unknown,
): OutputItem[] {
  const lastUser = items.findLast((item) => isUserMessage(item));
  const plan = planWebSearch(tool, lastUser === undefined ? "" : textOf(lastUser), include);
  return [
    { type: "web_search_call", plan },
    { type: "message", text: plan.text, annotations: plan.annotations },
  ];
}

function planOutput(
  state: FakeState,
  body: Record<string, unknown>,
  items: Record<string, unknown>[],
  modelId: string,
  scripted: ScriptedAnswer | undefined,
): OutputItem[] {
  if (scripted !== undefined && "text" in scripted) {
    return [{ type: "message", text: scripted.text }];
  }
  if (scripted !== undefined && "degenerateToolCall" in scripted) {
    const { name, whitespaceCharacters } = scripted.degenerateToolCall;
    const whitespace = " \n"
      .repeat(Math.ceil(whitespaceCharacters / 2))
      .slice(0, whitespaceCharacters);
    return [
      {
        type: "function_call",
        callId: `call_fake_${++state.toolCallSerial}`,
        name,
        arguments: `{"${whitespace}`,
        degenerate: true,
      },
    ];
  }
  if (scripted !== undefined) {
    return scripted.toolCalls.map((call) => ({
      type: "function_call",
      callId: `call_fake_${++state.toolCallSerial}`,
      name: call.name,
      arguments: argumentsTextOf(call),
    }));
  }
  const last = items.at(-1);
  const lastUser = items.findLast((item) => isUserMessage(item));
  const userText = lastUser === undefined ? "" : textOf(lastUser);
  if (last?.["type"] === "function_call_output") {
    const output = last["output"];
    return [
      {
        type: "message",
        text: `Tool said: ${typeof output === "string" ? output : JSON.stringify(output)}`,
      },
    ];
  }
  const tools = Array.isArray(body["tools"])
    ? body["tools"].filter((tool) => isRecord(tool) && tool["type"] === "function").filter(isRecord)
    : [];
  const choice = body["tool_choice"];
  if (tools.length > 0 && choice !== "none" && last !== undefined && isUserMessage(last)) {
    const named =
      isRecord(choice) && typeof choice["name"] === "string" ? choice["name"] : undefined;
    const name = named ?? tools[0]?.["name"];
    return [
      {
        type: "function_call",
        callId: `call_fake_${++state.toolCallSerial}`,
        name: typeof name === "string" ? name : "tool",
        arguments: JSON.stringify({ echo: userText }),
      },
    ];
  }
  const images = lastUser === undefined ? 0 : countImages([lastUser]);
  const note = images > 0 ? ` [${images} image(s)]` : "";
  return [{ type: "message", text: `Hello from ${modelId}! You said: ${userText}${note}` }];
}

function readInput(input: unknown): Record<string, unknown>[] {
  if (typeof input === "string") return [{ type: "message", role: "user", content: input }];
  return Array.isArray(input) ? input.filter(isRecord) : [];
}

function isUserMessage(item: Record<string, unknown>): boolean {
  return (item["type"] === "message" || item["type"] === undefined) && item["role"] === "user";
}

function textOf(item: Record<string, unknown>): string {
  const content = item["content"];
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter(isRecord)
    .filter(
      (part) =>
        (part["type"] === "input_text" || part["type"] === "output_text") &&
        typeof part["text"] === "string",
    )
    .map((part) => part["text"] as string)
    .join(" ");
}

function countImages(items: readonly Record<string, unknown>[]): number {
  let count = 0;
  for (const item of items) {
    const content = item["content"];
    if (Array.isArray(content))
      count += content.filter((part) => isRecord(part) && part["type"] === "input_image").length;
  }
  return count;
}
