import { InvalidRequestError, type GatewayError } from "../../errors.js";
import {
  openAIResponsesRequestSchema,
  type OpenAIResponsesRequest,
} from "../../protocols/openai/responses-request.js";
import type { ResponsesStreamEvent } from "../../protocols/openai/responses-response.js";
import { responsesUpstreamAnswerSchema } from "../../protocols/openai/responses-wire.js";
import { typedEventMessage, type SseMessage } from "../../sse/format-sse.js";
import { readEventJson, type SseEvent } from "../../sse/parse-sse.js";
import { reasoningEffortsOf, prefersMaxCompletionTokens } from "../../translate/model-traits.js";
import { createChatChunkObjectNormalizer } from "../../translate/normalize-chat-completion-chunk.js";
import { readAnswerAsChatCompletion } from "../openai-chat/read-answer-as-chat-completion.js";
import { convertChatCompletionToResponse } from "./convert-chat-completion-to-response.js";
import { convertResponsesRequestToChat } from "./convert-responses-request-to-chat.js";
import { createResponsesStreamTranslator } from "./create-responses-stream-translator.js";
import { initiatorOfResponsesInput, responsesInputHasImage } from "./responses-request-traits.js";
import { renderOpenAIError } from "../openai-chat/render-openai-error.js";
import type { ConversionContext, Dialect, StreamTranslator } from "../dialect.js";
import { unreachableEndpoint } from "../unreachable-endpoint.js";
import { readResponsesUsage } from "./read-responses-usage.js";
import { createResponsesIdPinner } from "./create-responses-id-pinner.js";
import {
  createWhitespaceRunGuard,
  type WhitespaceRunGuard,
} from "../../translate/create-whitespace-run-guard.js";

const FINAL_EVENTS = new Set([
  "response.completed",
  "response.failed",
  "response.incomplete",
  "error",
]);

/**
 * OpenAI Responses (`/v1/responses`). Served natively on Copilot's `/responses` (events relayed
 * with their item ids pinned), or translated to `/chat/completions` and back for chat-only models.
 * https://platform.openai.com/docs/api-reference/responses/create
 */
export const openAIResponsesDialect: Dialect<OpenAIResponsesRequest> = {
  name: "responses",
  nativeEndpoint: "/responses",
  requestSchema: openAIResponsesRequestSchema,
  checkRequest: refuseConversationState,
  traits(request) {
    return {
      model: request.model ?? undefined,
      stream: request.stream === true,
      initiator: initiatorOfResponsesInput(request.input),
      vision: responsesInputHasImage(request),
    };
  },
  toUpstream(endpoint, request, raw, { model }) {
    switch (endpoint) {
      case "/responses":
        return {
          body:
            request.model === model.id
              ? raw
              : JSON.stringify({ ...(JSON.parse(raw) as object), model: model.id }),
          warnings: [],
        };
      case "/chat/completions": {
        const { body, warnings } = convertResponsesRequestToChat(request, {
          model: model.id,
          reasoningEfforts: reasoningEffortsOf(model),
          preferMaxCompletionTokens: prefersMaxCompletionTokens(model),
        });
        return { body: JSON.stringify(body), warnings };
      }
      case "/v1/messages":
        return unreachableEndpoint("responses", endpoint);
    }
  },
  fromUpstream(endpoint, answer, request, context) {
    switch (endpoint) {
      case "/responses":
        // Native: Copilot's bytes, once they are known to be a Response.
        answer.read("Responses answer", responsesUpstreamAnswerSchema);
        return answer.text;
      case "/chat/completions":
        return JSON.stringify(
          convertChatCompletionToResponse(readAnswerAsChatCompletion(endpoint, answer, context), {
            model: request.model ?? context.model.id,
            request,
          }),
        );
      case "/v1/messages":
        return unreachableEndpoint("responses", endpoint);
    }
  },
  createStreamTranslator(endpoint, request, context) {
    switch (endpoint) {
      case "/responses":
        return createNativeResponsesStream();
      case "/chat/completions":
        return createResponsesStreamFromChat(request, context);
      case "/v1/messages":
        return unreachableEndpoint("responses", endpoint);
    }
  },
  renderError: renderOpenAIError,
  readUsage: readResponsesUsage,
};

const TOOL_INPUT_DELTAS = new Set([
  "response.function_call_arguments.delta",
  "response.custom_tool_call_input.delta",
]);
const ITEM_NAME = /"name"\s*:\s*"((?:[^"\\]|\\.)*)"/;

/**
 * Copilot's native `/responses` stream, relayed event by event, as it came but for two guards:
 * each output item keeps the id it was announced with (Copilot changes it from event to event,
 * see create-responses-id-pinner.ts), and a tool call whose arguments degenerate into whitespace
 * is cut with an `error` event (create-whitespace-run-guard.ts) and the upstream let go.
 */
function createNativeResponsesStream(): StreamTranslator {
  let relayed = 0;
  let complete = false;
  const pinIds = createResponsesIdPinner();
  const guard = createWhitespaceRunGuard();
  const toolNames = new Map<number, string>();
  return {
    push(event: SseEvent) {
      const type = eventType(event);
      if (type === "response.output_item.added") rememberToolName(toolNames, event.data);
      else if (TOOL_INPUT_DELTAS.has(type)) guardToolInput(guard, toolNames, event.data);
      relayed++;
      if (FINAL_EVENTS.has(type)) complete = true;
      return [{ event: event.event, data: pinIds(type, event.data) }];
    },
    end: () => undefined,
    isComplete: () => complete,
    fail: (error) => [typedEventMessage(errorEvent(error, relayed))],
  };
}

/** A Chat Completions stream (chat-only models) as the Responses event sequence. */
function createResponsesStreamFromChat(
  request: OpenAIResponsesRequest,
  { model, created }: ConversionContext,
): StreamTranslator {
  const normalize = createChatChunkObjectNormalizer({ model: model.id, created });
  const translator = createResponsesStreamTranslator({
    model: request.model ?? model.id,
    request,
    createdAt: created,
  });
  let complete = false;
  const toMessages = (events: readonly ResponsesStreamEvent[]): SseMessage[] =>
    events.map(typedEventMessage);
  return {
    push(event) {
      if (event.data === "[DONE]") {
        complete = true;
        return toMessages(translator.finish());
      }
      const chunk = normalize(event.data, readEventJson(event));
      return chunk === undefined ? [] : toMessages(translator.push(chunk));
    },
    end: () => undefined,
    isComplete: () => complete,
    // The translator numbers its events: its own failure events keep the sequence right.
    fail: (error) => toMessages(translator.fail(error.message, error.code ?? "stream_interrupted")),
  };
}

/** The name of a tool call's item, for the error that cuts it (a pattern: the item is not parsed). */
function rememberToolName(names: Map<number, string>, data: string): void {
  if (!data.includes('"function_call"') && !data.includes('"custom_tool_call"')) return;
  const index = /"output_index"\s*:\s*(\d+)/.exec(data)?.[1];
  const name = ITEM_NAME.exec(data)?.[1];
  if (index !== undefined && name !== undefined) names.set(Number(index), name);
}

/** Tool-input deltas are parsed (they are few beside text deltas) and watched for whitespace. */
function guardToolInput(
  guard: WhitespaceRunGuard,
  names: ReadonlyMap<number, string>,
  data: string,
): void {
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch {
    return; // Relayed as it came.
  }
  if (typeof event !== "object" || event === null) return;
  const { output_index: index, delta } = event as Record<string, unknown>;
  if (typeof index === "number" && typeof delta === "string") {
    guard.push(index, delta, names.get(index));
  }
}

function eventType(event: SseEvent): string {
  if (event.event !== undefined) return event.event;
  const match = /"type"\s*:\s*"([^"]+)"/.exec(event.data);
  return match?.[1] ?? "";
}

/** The Responses `error` event: flat fields as typed, nested as OpenAI's servers send them. */
function errorEvent(error: GatewayError, sequenceNumber: number): ResponsesStreamEvent {
  const code = error.code ?? "stream_interrupted";
  return {
    type: "error",
    code,
    message: error.message,
    param: null,
    error: { type: "server_error", code, message: error.message, param: null },
    sequence_number: sequenceNumber,
  };
}

/**
 * CoGPT keeps no conversation state: a client that relies on stored responses would silently
 * lose its history, so it is told at once.
 */
function refuseConversationState(request: OpenAIResponsesRequest): void {
  if (typeof request.previous_response_id === "string" && request.previous_response_id !== "") {
    throw new InvalidRequestError(
      "CoGPT keeps no conversation state, so previous_response_id cannot be used: send the whole conversation in `input` (and store: false)",
      { code: "unsupported_parameter", param: "previous_response_id" },
    );
  }
  if (request.store === true) {
    throw new InvalidRequestError(
      "CoGPT keeps no conversation state, so responses cannot be stored: set store to false (or leave it out) and send the whole conversation in `input`",
      { code: "unsupported_parameter", param: "store" },
    );
  }
}
