import type { Config } from "../../config/config.js";
import type { CopilotClient } from "../../copilot/copilot-client.js";
import type { ModelCatalog } from "../../copilot/models.js";
import { resolveModel } from "../../copilot/resolve-model.js";
import { UpstreamError } from "../../errors.js";
import type { Logger } from "../../logging/create-logger.js";
import {
  anthropicCountTokensRequestSchema,
  anthropicMessagesRequestSchema,
  type AnthropicMessagesRequest,
} from "../../protocols/anthropic/messages-request.js";
import {
  anthropicMessagesHaveImage,
  initiatorOfAnthropicMessages,
} from "../../translate/anthropic/anthropic-request-traits.js";
import { convertAnthropicRequestToOpenAI } from "../../translate/anthropic/convert-anthropic-request-to-openai.js";
import { removeBillingHeaderLines } from "../../translate/anthropic/convert-anthropic-system-to-openai.js";
import { convertOpenAIResponseToAnthropic } from "../../translate/anthropic/convert-openai-response-to-anthropic.js";
import { countAnthropicTokens } from "../../translate/anthropic/count-anthropic-tokens.js";
import { normalizeChatCompletion } from "../../translate/normalize-chat-completion.js";
import type { Exchange } from "../exchange.js";
import type { Router } from "../router.js";
import { readJsonBody } from "../read-json-body.js";
import { copilotCallerFor, copyQuotaHeaders, logWhenStreamEnds } from "./route-helpers.js";
import { relayJson } from "../relay-json.js";
import { expectEventStream, readUpstreamJson } from "../read-upstream-answer.js";
import { responsesUpstreamAnswerSchema } from "../../protocols/openai/responses-wire.js";
import {
  anthropicCountTokensUpstreamSchema,
  anthropicMessageUpstreamSchema,
} from "../../protocols/anthropic/messages-upstream.js";
import { streamBody } from "../stream-body.js";
import { chooseUpstream } from "../choose-upstream.js";
import { prefersMaxCompletionTokens, reasoningEffortsOf } from "./model-traits.js";
import {
  relayAnthropicStream,
  translateChatToAnthropicStream,
  translateResponsesToAnthropicStream,
} from "../stream-anthropic.js";
import { convertChatRequestToResponses } from "../../translate/responses/convert-chat-request-to-responses.js";
import { convertResponseToChatCompletion } from "../../translate/responses/convert-response-to-chat-completion.js";

export interface AnthropicRouteDependencies {
  readonly config: Config;
  readonly copilot: CopilotClient;
  readonly models: ModelCatalog;
  readonly logger: Logger;
  readonly now: () => number;
}

const ANTHROPIC_VERSION = "2023-06-01";
/** `anthropic-beta` is a comma list of feature names; anything else is not forwarded. */
const BETA_VALUE = /^[A-Za-z0-9._-]+(?:\s*,\s*[A-Za-z0-9._-]+)*$/;

/**
 * `POST /v1/messages` and `/v1/messages/count_tokens` (and without `/v1`). Models that Copilot
 * serves on `/v1/messages` (Claude) go there natively; every other model is translated to Chat
 * Completions and back. https://docs.anthropic.com/en/api/messages
 */
export function registerAnthropicRoutes(router: Router, deps: AnthropicRouteDependencies): void {
  const { config, copilot, models, logger } = deps;

  async function resolve(exchange: Exchange, requested: string) {
    const available = await models.getModels(exchange.githubToken, exchange.requestId);
    const model = resolveModel(requested, available, config.modelMap, "chat");
    const log = exchange.log;
    log.model = requested;
    log.modelUsed = model.id;
    return model;
  }

  const finishLog = (exchange: Exchange) => logWhenStreamEnds(exchange, logger, config.debug);

  async function messages(exchange: Exchange) {
    const { value: request, raw } = await readJsonBody(
      exchange,
      anthropicMessagesRequestSchema,
      config.bodyLimit,
    );
    const model = await resolve(exchange, request.model);
    const log = exchange.log;
    log.stream = request.stream === true;
    const initiator = initiatorOfAnthropicMessages(request.messages);
    log.initiator = initiator;
    const vision = anthropicMessagesHaveImage(request);
    const callCopilot = copilotCallerFor(copilot, exchange, { initiator, vision });

    const endpoint = chooseUpstream("messages", model);
    if (endpoint === "/v1/messages") {
      const upstream = await callCopilot(
        "/v1/messages",
        nativeBody(request, raw, model.id),
        anthropicHeaders(exchange.header("anthropic-beta")),
      );
      copyQuotaHeaders(exchange, upstream.headers);
      if (request.stream !== true) {
        return relayJson(exchange, upstream, anthropicMessageUpstreamSchema, "Messages answer");
      }
      await expectEventStream(upstream, "Messages answer");
      return streamBody(exchange, relayAnthropicStream(upstream, finishLog(exchange)));
    }

    const { body, warnings } = convertAnthropicRequestToOpenAI(request, {
      model: model.id,
      reasoningEfforts: reasoningEffortsOf(model),
      preferMaxCompletionTokens: prefersMaxCompletionTokens(model),
    });
    const streamOptions = { model: request.model, created: Math.floor(deps.now() / 1000) };
    if (endpoint === "/responses") {
      // Served on /responses only: Anthropic → Chat → Responses, and back the same way.
      const converted = convertChatRequestToResponses(body, { model: model.id });
      logWarnings(exchange, model.id, [...warnings, ...converted.warnings]);
      const upstream = await callCopilot("/responses", JSON.stringify(converted.body));
      copyQuotaHeaders(exchange, upstream.headers);
      if (request.stream !== true) {
        const response = await readUpstreamJson(
          upstream,
          "Responses answer",
          responsesUpstreamAnswerSchema,
        );
        const completion = convertResponseToChatCompletion(response, { model: model.id });
        return exchange.json(
          convertOpenAIResponseToAnthropic(completion, { model: request.model }),
        );
      }
      await expectEventStream(upstream, "Responses answer");
      return streamBody(
        exchange,
        translateResponsesToAnthropicStream(upstream, streamOptions, finishLog(exchange)),
      );
    }
    logWarnings(exchange, model.id, warnings);
    const upstream = await callCopilot("/chat/completions", JSON.stringify(body));
    copyQuotaHeaders(exchange, upstream.headers);
    if (request.stream !== true) {
      const answer = await readUpstreamJson(upstream, "chat completion");
      const completion = normalizeChatCompletion(answer, {
        model: model.id,
        created: streamOptions.created,
      });
      return exchange.json(convertOpenAIResponseToAnthropic(completion, { model: request.model }));
    }
    await expectEventStream(upstream, "chat completion");
    return streamBody(
      exchange,
      translateChatToAnthropicStream(upstream, streamOptions, finishLog(exchange)),
    );
  }

  function logWarnings(exchange: Exchange, modelId: string, warnings: readonly string[]) {
    for (const warning of warnings) {
      logger.warn(
        { reqId: exchange.requestId, model: modelId },
        `not carried to ${modelId}: ${warning}`,
      );
    }
  }

  async function countTokens(exchange: Exchange) {
    const { value: request, raw } = await readJsonBody(
      exchange,
      anthropicCountTokensRequestSchema,
      config.bodyLimit,
    );
    const model = await resolve(exchange, request.model);
    if (chooseUpstream("messages", model) === "/v1/messages") {
      try {
        const upstream = await copilot.call({
          githubToken: exchange.githubToken,
          method: "POST",
          path: "/v1/messages/count_tokens",
          body: nativeBody(request, raw, model.id),
          initiator: "agent",
          vision: anthropicMessagesHaveImage(request),
          requestId: exchange.requestId,
          signal: exchange.signal,
          protocolHeaders: anthropicHeaders(exchange.header("anthropic-beta")),
        });
        exchange.setHeader("x-cogpt-token-count", "upstream");
        return await relayJson(
          exchange,
          upstream,
          anthropicCountTokensUpstreamSchema,
          "token count",
        );
      } catch (error) {
        // Copilot does not count for every model: fall back to the local estimate.
        if (
          !(error instanceof UpstreamError) ||
          error.status >= 500 ||
          error.status === 401 ||
          error.status === 429
        ) {
          throw error;
        }
      }
    }
    const inputTokens = await countAnthropicTokens(
      request,
      model.capabilities?.tokenizer ?? "o200k_base",
    );
    exchange.setHeader("x-cogpt-token-count", "estimate");
    return exchange.json({ input_tokens: inputTokens });
  }

  for (const prefix of ["/v1", ""]) {
    router.post(`${prefix}/messages`, messages);
    router.post(`${prefix}/messages/count_tokens`, countTokens);
  }
}

/**
 * The client's own body for the native route: untouched unless the model name changes or Claude
 * Code's billing-header line (which Copilot refuses) must leave the system prompt.
 */
function nativeBody(
  request: Pick<AnthropicMessagesRequest, "model" | "system">,
  raw: string,
  modelId: string,
): string {
  const system = request.system;
  const cleaned =
    typeof system === "string"
      ? removeBillingHeaderLines(system)
      : system?.map((block) => ({ ...block, text: removeBillingHeaderLines(block.text) }));
  const systemChanged =
    typeof system === "string"
      ? cleaned !== system
      : system?.some((block) => block.text !== removeBillingHeaderLines(block.text)) === true;
  if (!systemChanged && request.model === modelId) return raw;
  const body = JSON.parse(raw) as Record<string, unknown>;
  body.model = modelId;
  if (systemChanged) {
    body.system = Array.isArray(cleaned)
      ? cleaned.filter((block) => block.text.trim() !== "")
      : cleaned;
  }
  return JSON.stringify(body);
}

function anthropicHeaders(beta: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { "anthropic-version": ANTHROPIC_VERSION };
  if (beta !== undefined && BETA_VALUE.test(beta.trim())) headers["anthropic-beta"] = beta.trim();
  return headers;
}
