import { UPSTREAM_MALFORMED, type GatewayError } from "../../errors.js";
import {
  openAIChatRequestSchema,
  type OpenAIChatRequest,
} from "../../protocols/openai/chat-request.js";
import { chatMessagesHaveImage, initiatorOfChatMessages } from "./chat-request-traits.js";
import type { SseMessage } from "../../sse/format-sse.js";
import { readEventJson, type SseEvent } from "../../sse/parse-sse.js";
import { createChatChunkNormalizer } from "../../translate/normalize-chat-completion-chunk.js";
import { parseUpstreamEventData } from "../../translate/parse-upstream-json.js";
import { convertChatRequestToResponses } from "./convert-chat-request-to-responses.js";
import { readAnswerAsChatCompletion } from "./read-answer-as-chat-completion.js";
import { createChatStreamFromResponsesTranslator } from "./create-chat-stream-from-responses-translator.js";
import type { ConversionContext, Dialect, StreamTranslator } from "../dialect.js";
import { unreachableEndpoint } from "../unreachable-endpoint.js";
import { readChatUsage } from "./read-chat-usage.js";
import { renderOpenAIError } from "./render-openai-error.js";

const DONE: SseMessage = { data: "[DONE]" };

/**
 * OpenAI Chat Completions (`/v1/chat/completions`). Served natively on Copilot's
 * `/chat/completions` (chunks normalised to OpenAI's shape), or translated to `/responses` for
 * the models that serve nothing else (the GPT-5 codex family).
 * https://platform.openai.com/docs/api-reference/chat
 */
export const openAIChatDialect: Dialect<OpenAIChatRequest> = {
  name: "chat",
  nativeEndpoint: "/chat/completions",
  requestSchema: openAIChatRequestSchema,
  checkRequest() {},
  traits(request) {
    return {
      model: request.model,
      stream: request.stream === true,
      initiator: initiatorOfChatMessages(request.messages),
      vision: chatMessagesHaveImage(request.messages),
    };
  },
  toUpstream(endpoint, request, raw, { model }) {
    switch (endpoint) {
      case "/chat/completions":
        // The client's bytes, untouched unless the model name had to change.
        return {
          body: request.model === model.id ? raw : JSON.stringify({ ...request, model: model.id }),
          warnings: [],
        };
      case "/responses": {
        const { body, warnings } = convertChatRequestToResponses(request, { model: model.id });
        return { body: JSON.stringify(body), warnings };
      }
      case "/v1/messages":
        return unreachableEndpoint("chat", endpoint);
    }
  },
  fromUpstream(endpoint, answer, _request, context) {
    return JSON.stringify(readAnswerAsChatCompletion(endpoint, answer, context));
  },
  createStreamTranslator(endpoint, request, context) {
    switch (endpoint) {
      case "/chat/completions":
        return createNativeChatStream(context);
      case "/responses":
        return createChatStreamFromResponses(
          context,
          request.stream_options?.include_usage === true,
        );
      case "/v1/messages":
        return unreachableEndpoint("chat", endpoint);
    }
  },
  renderError: renderOpenAIError,
  readUsage: readChatUsage,
};

/** Copilot's chat stream, each chunk normalised for OpenAI clients, ending with `[DONE]`. */
function createNativeChatStream({ model, created }: ConversionContext): StreamTranslator {
  const normalize = createChatChunkNormalizer({ model: model.id, created });
  let complete = false;
  return {
    push(event: SseEvent) {
      if (event.data === "[DONE]") {
        complete = true;
        return [DONE];
      }
      const data = normalize(event.data, readEventJson(event));
      return data === undefined ? [] : [{ data }];
    },
    // Without `[DONE]` the answer was cut short.
    end: () => undefined,
    isComplete: () => complete,
    fail: renderChatStreamFailure,
  };
}

/** A Responses stream (models served on `/responses` only) as Chat Completions chunks. */
function createChatStreamFromResponses(
  { model, created }: ConversionContext,
  includeUsage: boolean,
): StreamTranslator {
  const translator = createChatStreamFromResponsesTranslator({
    model: model.id,
    created,
    includeUsage,
  });
  let complete = false;
  const toMessages = (chunks: readonly unknown[]): SseMessage[] =>
    chunks.map((chunk) => ({ data: JSON.stringify(chunk) }));
  return {
    push(event) {
      return toMessages(translator.push(parseUpstreamEventData(event, "Responses stream")));
    },
    // The Responses stream has no `[DONE]`: its end is the end of the answer.
    end() {
      complete = true;
      return [...toMessages(translator.finish()), DONE];
    },
    isComplete: () => complete,
    fail: renderChatStreamFailure,
  };
}

/**
 * An error in the middle of a chat stream: a `data:` event with `error`, which the official
 * SDK raises, so a cut answer never looks complete.
 */
function renderChatStreamFailure(error: GatewayError): SseMessage[] {
  // The gateway's own limit (a client reading too slowly): said as the gateway's error.
  if (error.kind === "overloaded") return [{ data: JSON.stringify(renderOpenAIError(error)) }];
  // Copilot's malformed answer is said as it is, with its own code; anything else broke the stream.
  const malformed = error.code === UPSTREAM_MALFORMED;
  const message =
    malformed || error.code === "stream_interrupted" || error.kind === "upstream_connection"
      ? error.message
      : `The upstream stream broke off: ${error.message}`;
  const code = malformed ? UPSTREAM_MALFORMED : "stream_interrupted";
  return [
    { data: JSON.stringify({ error: { message, type: "upstream_error", code, param: null } }) },
  ];
}
