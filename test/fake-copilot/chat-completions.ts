import type { RecordedRequest } from "./fake-copilot-types.js";
import { planBilling } from "./billing.js";
import type { ChatAnswer } from "./chat-answer.js";
import {
  chatAnswerOfScript,
  countCompletionTokens,
  countPromptTokens,
  hasImageParts,
  planChatAnswer,
} from "./chat-answer.js";
import type { ChatRenderContext } from "./chat-render.js";
import { renderChatCompletion, renderChatStream } from "./chat-render.js";
import type { FakeResponse } from "./fake-response.js";
import {
  APPLICATION_JSON,
  jsonResponse,
  parseJsonBody,
  textResponse,
  toSseEvents,
} from "./fake-response.js";
import type { FakeState } from "./fake-state.js";
import { RECORDED_UNSUPPORTED_MODEL } from "./fixtures.js";
import { checkPromptLimit } from "./prompt-limit.js";
import { takeScriptedAnswer } from "./scripted-answers.js";

/** POST /chat/completions: validates like Copilot, then answers from the request (chat-answer.ts). */
export function handleChatCompletions(state: FakeState, request: RecordedRequest): FakeResponse {
  const parsed = parseJsonBody(request.body);
  if (!parsed.ok) return textResponse(400, `bad request: ${parsed.message}\n`);
  const body = parsed.value;
  const modelId = body["model"];
  const model = typeof modelId === "string" ? state.models.get(modelId) : undefined;
  if (model === undefined || model.type !== "chat") {
    return textResponse(400, state.fixtures.modelNotSupportedBody);
  }
  if (
    model.supportedEndpoints !== undefined &&
    !model.supportedEndpoints.includes("/chat/completions")
  ) {
    return textResponse(400, unsupportedApiBody(state, model.id));
  }
  if (!Array.isArray(body["messages"])) {
    return textResponse(400, "bad request: messages: expected an array\n");
  }
  if (hasImageParts(body["messages"]) && request.headers["copilot-vision-request"] !== "true") {
    const error = {
      message: "missing required Copilot-Vision-Request header for vision requests",
      code: "invalid_request_body",
    };
    return textResponse(400, `${JSON.stringify({ error })}\n`);
  }
  const overLimit = checkPromptLimit(state, model, countPromptTokens(body["messages"]));
  if (overLimit !== undefined) return overLimit;
  const anthropic = model.vendor === "Anthropic";
  const nextToolCallId = (): string => `call_fake_${++state.toolCallSerial}`;
  const choiceCount = typeof body["n"] === "number" && body["n"] > 1 ? Math.floor(body["n"]) : 1;
  const scripted = takeScriptedAnswer(state.scripted, "/chat/completions", body);
  const answers: ChatAnswer[] =
    scripted !== undefined
      ? [chatAnswerOfScript(scripted, nextToolCallId)]
      : Array.from({ length: choiceCount }, () =>
          planChatAnswer({ body, model: model.id, anthropic, nextToolCallId }),
        );
  state.completionSerial += 1;
  const stream = body["stream"] === true;
  const billing = planBilling(state, {
    model: model.id,
    endpoint: "/chat/completions",
    stream,
    freshInputTokens: countPromptTokens(body["messages"]),
    outputTokens: answers.reduce((total, answer) => total + countCompletionTokens(answer), 0),
    scripted,
  });
  const context: ChatRenderContext = {
    id: anthropic ? `msg_fake_${state.completionSerial}` : `chatcmpl-fake${state.completionSerial}`,
    created: Math.floor(state.now() / 1000),
    model: model.id,
    promptTokens: billing.promptTokens,
    cachedTokens: billing.tokens.cacheRead,
    copilotUsage: billing.copilotUsage,
    anthropic,
    streamChunks: state.streamChunks,
  };
  if (stream) {
    return {
      kind: "stream",
      status: 200,
      headers: { "content-type": "text/event-stream" },
      events: toSseEvents(renderChatStream(answers, context)),
      bill: billing.bill,
      chunkDelayMs: scripted?.chunkDelayMs,
    };
  }
  const response = jsonResponse(200, renderChatCompletion(answers, context), APPLICATION_JSON);
  return { ...response, bill: billing.bill };
}

/** The recorded 2026 body, naming the requested model instead of the recorded one. */
function unsupportedApiBody(state: FakeState, model: string): string {
  const recorded = JSON.parse(state.fixtures.unsupportedApiForModelBody) as {
    error: { message: string };
  };
  recorded.error.message = recorded.error.message.replace(
    `"${RECORDED_UNSUPPORTED_MODEL}"`,
    `"${model}"`,
  );
  return `${JSON.stringify(recorded)}\n`;
}
