import type { CopilotUsage } from "./billing.js";
import { planBilling } from "./billing.js";
import type { RecordedRequest, ScriptedAnswer } from "./fake-copilot-types.js";
import { countWords, splitIntoPieces } from "./chat-answer.js";
import type { FakeResponse } from "./fake-response.js";
import { APPLICATION_JSON, jsonResponse, parseJsonBody, textResponse } from "./fake-response.js";
import type { FakeModel, FakeState } from "./fake-state.js";
import { isRecord } from "./fake-state.js";
import { anthropicError, checkMessagesRequest, signThinking } from "./messages-checks.js";
import { checkPromptLimit } from "./prompt-limit.js";
import { takeScriptedAnswer } from "./scripted-answers.js";

/**
 * POST /v1/messages: Copilot's native Anthropic route, for models that list it
 * (docs/upstream-protocol.md, Routes and supported_endpoints).
 * Answers deterministically like the chat route: a tool call when tools are offered to a user
 * turn, an echo of a tool result, else a greeting; a thinking block first when thinking is on.
 * Quirk kept: the answer's `model` is an Anthropic-style dated name, not the Copilot id.
 */
export function handleMessages(state: FakeState, request: RecordedRequest): FakeResponse {
  const accepted = acceptMessagesRequest(state, request);
  if ("refused" in accepted) return accepted.refused;
  const { body, model, messages, inputTokens } = accepted;
  if (countImages(messages) > 0 && request.headers["copilot-vision-request"] !== "true") {
    const error = {
      message: "missing required Copilot-Vision-Request header for vision requests",
      code: "invalid_request_body",
    };
    return textResponse(400, `${JSON.stringify({ error })}\n`);
  }
  if (JSON.stringify(body["system"] ?? "").includes("x-anthropic-billing-header")) {
    return anthropicError("system: x-anthropic-billing-header is a reserved keyword");
  }

  state.completionSerial += 1;
  const scripted = takeScriptedAnswer(state.scripted, "/v1/messages", body);
  const content = planContent(state, body, messages, model.id, scripted);
  const outputTokens = content.reduce(
    (total, block) =>
      total +
      countWords(
        block.type === "tool_use"
          ? JSON.stringify(block.input)
          : (block.text ?? block.thinking ?? ""),
      ),
    0,
  );
  const stream = body["stream"] === true;
  const billing = planBilling(state, {
    model: model.id,
    endpoint: "/v1/messages",
    stream,
    freshInputTokens: inputTokens,
    outputTokens,
    scripted,
  });
  // Copilot's input_tokens include the cached tokens (docs/upstream-protocol.md, Billing).
  const cacheWrite =
    billing.tokens.cacheWrite > 0 ? { cache_creation_input_tokens: billing.tokens.cacheWrite } : {};
  const usage = {
    input_tokens: billing.promptTokens,
    output_tokens: outputTokens,
    cache_read_input_tokens: billing.tokens.cacheRead,
    ...cacheWrite,
  };
  const message = {
    id: `msg_fake_${state.completionSerial}`,
    type: "message",
    role: "assistant",
    model: `${model.id.replace(/\./g, "-")}-20250929`,
    content,
    stop_reason: content.some((block) => block.type === "tool_use") ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage,
  };
  if (!stream) {
    const copilotUsage =
      billing.copilotUsage === undefined ? {} : { copilot_usage: billing.copilotUsage };
    return {
      ...jsonResponse(200, { ...message, ...copilotUsage }, APPLICATION_JSON),
      bill: billing.bill,
    };
  }
  return {
    kind: "stream",
    status: 200,
    headers: { "content-type": "text/event-stream" },
    events: renderStream(message, state.streamChunks, billing.copilotUsage),
    bill: billing.bill,
    chunkDelayMs: scripted?.chunkDelayMs,
  };
}

type AcceptedMessagesRequest =
  | { refused: FakeResponse }
  | {
      body: Record<string, unknown>;
      model: FakeModel;
      messages: Record<string, unknown>[];
      inputTokens: number;
    };

/** The checks /v1/messages and /v1/messages/count_tokens share, in Copilot's order. */
function acceptMessagesRequest(
  state: FakeState,
  request: RecordedRequest,
): AcceptedMessagesRequest {
  const refuse = (refused: FakeResponse): AcceptedMessagesRequest => ({ refused });
  const parsed = parseJsonBody(request.body);
  if (!parsed.ok) return refuse(textResponse(400, `bad request: ${parsed.message}\n`));
  const body = parsed.value;
  const modelId = body["model"];
  const model = typeof modelId === "string" ? state.models.get(modelId) : undefined;
  if (model === undefined || model.type !== "chat") {
    return refuse(textResponse(400, state.fixtures.modelNotSupportedBody));
  }
  if (model.supportedEndpoints?.includes("/v1/messages") !== true) {
    const error = {
      message: `model "${model.id}" is not accessible via the /v1/messages endpoint`,
      code: "unsupported_api_for_model",
    };
    return refuse(textResponse(400, `${JSON.stringify({ error })}\n`));
  }
  if (request.headers["anthropic-version"] === undefined) {
    return refuse(anthropicError("anthropic-version: header is required"));
  }
  const messages = Array.isArray(body["messages"]) ? body["messages"].filter(isRecord) : [];
  if (messages.length === 0) {
    return refuse(anthropicError("messages: at least one message is required"));
  }
  const refused = checkMessagesRequest(state, request.headers, body, model.id);
  if (refused !== undefined) return refuse(refused);
  const inputTokens = countMessagesTokens(body, messages);
  const overLimit = checkPromptLimit(state, model, inputTokens);
  if (overLimit !== undefined) return refuse(overLimit);
  return { body, model, messages, inputTokens };
}

/**
 * The fake's count, the same for usage.input_tokens and count_tokens: one token per
 * whitespace-separated word of the system text and the messages' text blocks, plus the words
 * of each tool's JSON read with its punctuation as spaces (names, descriptions, schema keys).
 */
function countMessagesTokens(
  body: Record<string, unknown>,
  messages: readonly Record<string, unknown>[],
): number {
  const system = body["system"];
  const systemWords = countWords(typeof system === "string" ? system : textOf(system));
  const tools = Array.isArray(body["tools"]) ? body["tools"] : [];
  const toolWords = tools.reduce(
    (total: number, tool: unknown) =>
      total + countWords(JSON.stringify(tool).replace(/[{}[\]",:]/g, " ")),
    0,
  );
  const messageWords = messages.reduce(
    (total, message) => total + countWords(textOf(message["content"])),
    0,
  );
  return systemWords + toolWords + messageWords;
}

/**
 * POST /v1/messages/count_tokens: Copilot's exact count for models that serve /v1/messages
 * (docs/upstream-protocol.md, 2026 changes); it validates the body as /v1/messages does.
 */
export function handleCountTokens(state: FakeState, request: RecordedRequest): FakeResponse {
  const accepted = acceptMessagesRequest(state, request);
  if ("refused" in accepted) return accepted.refused;
  return jsonResponse(200, { input_tokens: accepted.inputTokens }, APPLICATION_JSON);
}

type Block =
  | { type: "text"; text: string; thinking?: undefined }
  | { type: "thinking"; thinking: string; signature: string; text?: undefined }
  | {
      type: "tool_use";
      id: string;
      name: string;
      input: Record<string, unknown>;
      text?: undefined;
      thinking?: undefined;
    };

function planContent(
  state: FakeState,
  body: Record<string, unknown>,
  messages: Record<string, unknown>[],
  modelId: string,
  scripted: ScriptedAnswer | undefined,
): Block[] {
  const blocks: Block[] = [];
  const thinking = body["thinking"];
  if (isRecord(thinking) && thinking["type"] === "enabled") {
    blocks.push({
      type: "thinking",
      thinking: "Let me think about that.",
      signature: signThinking(state, modelId, state.completionSerial),
    });
  }
  const last = messages.at(-1);
  const lastUser = messages.findLast(
    (message) => message["role"] === "user" && textOf(message["content"]) !== "",
  );
  const userText = lastUser === undefined ? "" : textOf(lastUser["content"]);
  const tools = Array.isArray(body["tools"]) ? body["tools"].filter(isRecord) : [];
  const toolResult = last === undefined ? undefined : lastToolResult(last);
  const choice = body["tool_choice"];
  if (scripted !== undefined && "text" in scripted) {
    blocks.push({ type: "text", text: scripted.text });
  } else if (scripted !== undefined && "toolCalls" in scripted) {
    for (const call of scripted.toolCalls) {
      const input: unknown =
        typeof call.arguments === "string" ? JSON.parse(call.arguments) : call.arguments;
      blocks.push({
        type: "tool_use",
        id: `toolu_fake_${++state.toolCallSerial}`,
        name: call.name,
        input: isRecord(input) ? input : {},
      });
    }
  } else if (toolResult !== undefined) {
    blocks.push({ type: "text", text: `Tool said: ${toolResult}` });
  } else if (tools.length > 0 && !(isRecord(choice) && choice["type"] === "none")) {
    const named = isRecord(choice) && choice["type"] === "tool" ? choice["name"] : undefined;
    const name = typeof named === "string" ? named : tools[0]?.["name"];
    blocks.push({
      type: "tool_use",
      id: `toolu_fake_${++state.toolCallSerial}`,
      name: typeof name === "string" ? name : "tool",
      input: { echo: userText },
    });
  } else {
    const images = lastUser === undefined ? 0 : countImages([lastUser]);
    blocks.push({
      type: "text",
      text: `Hello from ${modelId}! You said: ${userText}${images > 0 ? ` [${images} image(s)]` : ""}`,
    });
  }
  return blocks;
}

function renderStream(
  message: {
    content: Block[];
    usage: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number };
    stop_reason: string;
  } & Record<string, unknown>,
  streamChunks: number | undefined,
  copilotUsage: CopilotUsage | undefined,
): string[] {
  const event = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const events = [
    event("message_start", {
      message: {
        ...message,
        content: [],
        stop_reason: null,
        usage: { ...message.usage, output_tokens: 1 },
      },
    }),
  ];
  message.content.forEach((block, index) => {
    if (block.type === "text") {
      events.push(
        event("content_block_start", { index, content_block: { type: "text", text: "" } }),
      );
      for (const piece of splitIntoPieces(block.text, streamChunks)) {
        events.push(
          event("content_block_delta", { index, delta: { type: "text_delta", text: piece } }),
        );
      }
    } else if (block.type === "thinking") {
      events.push(
        event("content_block_start", {
          index,
          content_block: { type: "thinking", thinking: "", signature: "" },
        }),
      );
      events.push(
        event("content_block_delta", {
          index,
          delta: { type: "thinking_delta", thinking: block.thinking },
        }),
      );
      events.push(
        event("content_block_delta", {
          index,
          delta: { type: "signature_delta", signature: block.signature },
        }),
      );
    } else {
      events.push(event("content_block_start", { index, content_block: { ...block, input: {} } }));
      const json = JSON.stringify(block.input);
      const half = Math.floor(json.length / 2);
      for (const piece of [json.slice(0, half), json.slice(half)]) {
        events.push(
          event("content_block_delta", {
            index,
            delta: { type: "input_json_delta", partial_json: piece },
          }),
        );
      }
    }
    events.push(event("content_block_stop", { index }));
    if (index === 0) events.push(event("ping", {}));
  });
  events.push(
    event("message_delta", {
      delta: { stop_reason: message.stop_reason, stop_sequence: null },
      usage: { ...message.usage },
      ...(copilotUsage === undefined ? {} : { copilot_usage: copilotUsage }),
    }),
  );
  events.push(event("message_stop", {}));
  return events;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter(isRecord)
    .filter((block) => block["type"] === "text" && typeof block["text"] === "string")
    .map((block) => block["text"] as string)
    .join(" ");
}

function lastToolResult(message: Record<string, unknown>): string | undefined {
  if (message["role"] !== "user" || !Array.isArray(message["content"])) return undefined;
  const result = message["content"]
    .filter(isRecord)
    .findLast((block) => block["type"] === "tool_result");
  if (result === undefined) return undefined;
  const content = result["content"];
  return typeof content === "string" ? content : textOf(content);
}

function countImages(messages: readonly Record<string, unknown>[]): number {
  let count = 0;
  const visit = (content: unknown): void => {
    if (!Array.isArray(content)) return;
    for (const block of content.filter(isRecord)) {
      if (block["type"] === "image") count++;
      if (block["type"] === "tool_result") visit(block["content"]);
    }
  };
  for (const message of messages) visit(message["content"]);
  return count;
}
