import type { GatewayError } from "../../errors.js";
import {
  anthropicMessagesRequestSchema,
  type AnthropicMessagesRequest,
} from "../../protocols/anthropic/messages-request.js";
import type { AnthropicStreamEvent } from "../../protocols/anthropic/messages-response.js";
import {
  anthropicMessageUpstreamSchema,
  type AnthropicMessageUpstream,
} from "../../protocols/anthropic/messages-upstream.js";
import { typedEventMessage, type SseMessage } from "../../sse/format-sse.js";
import { readEventJson } from "../../sse/parse-sse.js";
import {
  anthropicMessagesHaveImage,
  initiatorOfAnthropicMessages,
} from "./anthropic-request-traits.js";
import { convertAnthropicRequestToOpenAI } from "./convert-anthropic-request-to-openai.js";
import { convertOpenAIResponseToAnthropic } from "./convert-openai-response-to-anthropic.js";
import { createAnthropicStreamTranslator } from "./create-anthropic-stream-translator.js";
import { renderAnthropicError } from "./render-anthropic-error.js";
import { prefersMaxCompletionTokens, reasoningEffortsOf } from "../../translate/model-traits.js";
import { createChatChunkObjectNormalizer } from "../../translate/normalize-chat-completion-chunk.js";
import { parseUpstreamEventData } from "../../translate/parse-upstream-json.js";
import { convertChatRequestToResponses } from "../openai-chat/convert-chat-request-to-responses.js";
import { readAnswerAsChatCompletion } from "../openai-chat/read-answer-as-chat-completion.js";
import { createChatStreamFromResponsesTranslator } from "../openai-chat/create-chat-stream-from-responses-translator.js";
import type { ConversionContext, Dialect, StreamTranslator } from "../dialect.js";
import { anthropicHeaders, prepareNativeMessagesBody } from "./native-messages-request.js";
import {
  createSignatureRecorder,
  recordThinkingSignatures,
  type SignatureRecorder,
} from "./record-thinking-signatures.js";
import { readMessagesUsage } from "./read-messages-usage.js";

/**
 * Anthropic Messages (`/v1/messages`). Claude models go to Copilot's `/v1/messages` natively
 * (thinking blocks, signatures and cache_control survive); every other model is translated to
 * Chat Completions, or through Chat to Responses for the models that serve nothing else.
 * https://docs.anthropic.com/en/api/messages
 */
export const anthropicMessagesDialect: Dialect<AnthropicMessagesRequest> = {
  name: "messages",
  nativeEndpoint: "/v1/messages",
  requestSchema: anthropicMessagesRequestSchema,
  checkRequest() {},
  traits(request) {
    return {
      model: request.model,
      stream: request.stream === true,
      initiator: initiatorOfAnthropicMessages(request.messages),
      vision: anthropicMessagesHaveImage(request),
    };
  },
  toUpstream(endpoint, request, raw, { model, header, signatures }) {
    if (endpoint === "/v1/messages") {
      const { body, notes } = prepareNativeMessagesBody(request, raw, model.id, signatures);
      const protocol = anthropicHeaders(header("anthropic-beta"));
      return {
        body,
        headers: protocol.headers,
        warnings: [],
        notes: [...protocol.notes, ...notes],
      };
    }
    const { body, warnings } = convertAnthropicRequestToOpenAI(request, {
      model: model.id,
      reasoningEfforts: reasoningEffortsOf(model),
      preferMaxCompletionTokens: prefersMaxCompletionTokens(model),
    });
    if (endpoint === "/chat/completions") return { body: JSON.stringify(body), warnings };
    // Served on /responses only: Anthropic → Chat → Responses, and back the same way.
    const converted = convertChatRequestToResponses(body, { model: model.id });
    return {
      body: JSON.stringify(converted.body),
      warnings: [...warnings, ...converted.warnings],
    };
  },
  fromUpstream(endpoint, answer, request, context) {
    switch (endpoint) {
      case "/v1/messages": {
        // Native: Copilot's bytes, once they are known to be a message.
        const message = answer.read(
          "Messages answer",
          anthropicMessageUpstreamSchema,
        ) as AnthropicMessageUpstream;
        recordThinkingSignatures(message.content, context);
        return answer.text;
      }
      case "/chat/completions":
      case "/responses": {
        const message = convertOpenAIResponseToAnthropic(
          readAnswerAsChatCompletion(endpoint, answer, context),
          { model: request.model },
        );
        recordThinkingSignatures(message.content, context);
        return JSON.stringify(message);
      }
    }
  },
  createStreamTranslator(endpoint, request, context) {
    switch (endpoint) {
      case "/v1/messages":
        return createNativeMessagesStream(context);
      case "/chat/completions":
        return createMessagesStreamFromChat(request.model, context);
      case "/responses":
        return createMessagesStreamFromResponses(request.model, context);
    }
  },
  renderError: renderAnthropicError,
  readUsage: readMessagesUsage,
};

const renderFailure = (error: GatewayError): SseMessage[] => [
  { event: "error", data: JSON.stringify(renderAnthropicError(error)) },
];

/**
 * Copilot's native `/v1/messages` stream, relayed event by event, unchanged; the thinking
 * signatures it carries are remembered on the way.
 */
function createNativeMessagesStream(context: ConversionContext): StreamTranslator {
  let complete = false;
  const recorder = createSignatureRecorder(context);
  return {
    push(event) {
      if (event.event === "message_stop" || event.event === "error") complete = true;
      recorder.push(event);
      return [{ event: event.event, data: event.data }];
    },
    end: () => undefined,
    isComplete: () => complete,
    fail: renderFailure,
  };
}

/** A Chat Completions stream as Anthropic events. */
function createMessagesStreamFromChat(
  requestedModel: string,
  context: ConversionContext,
): StreamTranslator {
  const normalize = createChatChunkObjectNormalizer({
    model: requestedModel,
    created: context.created,
  });
  const translator = createAnthropicStreamTranslator({ model: requestedModel });
  const closing = trackClosing(createSignatureRecorder(context));
  return {
    push(event) {
      if (event.data === "[DONE]") return closing.take(translator.finish());
      const chunk = normalize(event.data, readEventJson(event));
      return chunk === undefined ? [] : closing.take(translator.push(chunk));
    },
    end: () => undefined,
    isComplete: closing.isComplete,
    fail: renderFailure,
  };
}

/** A Responses stream (models served on `/responses` only) as Anthropic events, through Chat. */
function createMessagesStreamFromResponses(
  requestedModel: string,
  context: ConversionContext,
): StreamTranslator {
  const toChat = createChatStreamFromResponsesTranslator({
    model: requestedModel,
    created: context.created,
    includeUsage: true,
  });
  const translator = createAnthropicStreamTranslator({ model: requestedModel });
  const closing = trackClosing(createSignatureRecorder(context));
  return {
    push(event) {
      const parsed = parseUpstreamEventData(event, "Responses stream");
      return closing.take(toChat.push(parsed).flatMap((chunk) => translator.push(chunk)));
    },
    // The Responses stream has no [DONE]: its end is the end of the answer, if it completed.
    end() {
      const chunks = toChat.finish();
      return closing.take([
        ...chunks.flatMap((chunk) => translator.push(chunk)),
        ...translator.finish(),
      ]);
    },
    isComplete: closing.isComplete,
    fail: renderFailure,
  };
}

/**
 * Formats translated events, noting when the last one closes the answer; the thinking
 * signatures among them are remembered (a GPT model's reasoning state is foreign to Claude).
 */
function trackClosing(recorder: SignatureRecorder): {
  readonly take: (events: readonly AnthropicStreamEvent[]) => SseMessage[];
  readonly isComplete: () => boolean;
} {
  let complete = false;
  return {
    take(events) {
      recorder.take(events);
      const last = events.at(-1)?.type;
      if (last === "message_stop" || last === "error") complete = true;
      return events.map(typedEventMessage);
    },
    isComplete: () => complete,
  };
}
