import type { Config } from "../../config/config.js";
import type { CopilotClient } from "../../copilot/copilot-client.js";
import type { ModelCatalog } from "../../copilot/models.js";
import { resolveModel } from "../../copilot/resolve-model.js";
import { InvalidRequestError } from "../../errors.js";
import type { Logger } from "../../logging/create-logger.js";
import {
  openAIResponsesRequestSchema,
  type OpenAIResponsesRequest,
} from "../../protocols/openai/responses-request.js";
import { normalizeChatCompletion } from "../../translate/normalize-chat-completion.js";
import { convertChatCompletionToResponse } from "../../translate/responses/convert-chat-completion-to-response.js";
import { convertResponsesRequestToChat } from "../../translate/responses/convert-responses-request-to-chat.js";
import {
  initiatorOfResponsesInput,
  responsesInputHasImage,
} from "../../translate/responses/responses-request-traits.js";
import type { Exchange } from "../exchange.js";
import type { Router } from "../router.js";
import { chooseUpstream } from "../choose-upstream.js";
import { readJsonBody } from "../read-json-body.js";
import { copilotCallerFor, copyQuotaHeaders, logWhenStreamEnds } from "./route-helpers.js";
import { relayJson } from "../relay-json.js";
import { expectEventStream, readUpstreamJson } from "../read-upstream-answer.js";
import { responsesUpstreamAnswerSchema } from "../../protocols/openai/responses-wire.js";
import { streamBody } from "../stream-body.js";
import { relayResponsesStream, translateChatToResponsesStream } from "../stream-responses.js";
import { reasoningEffortsOf, prefersMaxCompletionTokens } from "./model-traits.js";

export interface ResponsesRouteDependencies {
  readonly config: Config;
  readonly copilot: CopilotClient;
  readonly models: ModelCatalog;
  readonly logger: Logger;
  readonly now: () => number;
}

/**
 * `POST /v1/responses` (and without `/v1`): native for models Copilot serves on `/responses`,
 * translated to Chat Completions and back for the others.
 * https://platform.openai.com/docs/api-reference/responses/create
 */
export function registerResponsesRoutes(router: Router, deps: ResponsesRouteDependencies): void {
  const { config, copilot, models, logger } = deps;

  const endLog = (exchange: Exchange) => logWhenStreamEnds(exchange, logger, config.debug);

  async function responses(exchange: Exchange) {
    const { value: request, raw } = await readJsonBody(
      exchange,
      openAIResponsesRequestSchema,
      config.bodyLimit,
    );
    refuseConversationState(request);
    const log = exchange.log;
    log.model = request.model ?? undefined;
    log.stream = request.stream === true;
    const available = await models.getModels(exchange.githubToken, exchange.requestId);
    const model = resolveModel(request.model ?? undefined, available, config.modelMap, "chat");
    log.modelUsed = model.id;
    const initiator = initiatorOfResponsesInput(request.input);
    log.initiator = initiator;
    const vision = responsesInputHasImage(request);
    const callCopilot = copilotCallerFor(copilot, exchange, { initiator, vision });
    const reportedModel = request.model ?? model.id;

    if (chooseUpstream("responses", model) === "/responses") {
      const body =
        request.model === model.id ? raw : JSON.stringify({ ...JSON.parse(raw), model: model.id });
      const upstream = await callCopilot("/responses", body);
      copyQuotaHeaders(exchange, upstream.headers);
      if (request.stream !== true) {
        return relayJson(exchange, upstream, responsesUpstreamAnswerSchema, "Responses answer");
      }
      await expectEventStream(upstream, "Responses answer");
      return streamBody(exchange, relayResponsesStream(upstream, endLog(exchange)));
    }

    const { body, warnings } = convertResponsesRequestToChat(request, {
      model: model.id,
      reasoningEfforts: reasoningEffortsOf(model),
      preferMaxCompletionTokens: prefersMaxCompletionTokens(model),
    });
    for (const warning of warnings) {
      logger.warn(
        { reqId: exchange.requestId, model: model.id },
        `not carried to ${model.id}: ${warning}`,
      );
    }
    const upstream = await callCopilot("/chat/completions", JSON.stringify(body));
    copyQuotaHeaders(exchange, upstream.headers);
    const created = Math.floor(deps.now() / 1000);
    if (request.stream !== true) {
      const answer = await readUpstreamJson(upstream, "chat completion");
      const completion = normalizeChatCompletion(answer, {
        model: model.id,
        created,
      });
      return exchange.json(
        convertChatCompletionToResponse(completion, { model: reportedModel, request }),
      );
    }
    await expectEventStream(upstream, "chat completion");
    return streamBody(
      exchange,
      translateChatToResponsesStream(
        upstream,
        { model: reportedModel, created, request },
        endLog(exchange),
      ),
    );
  }

  for (const prefix of ["/v1", ""]) router.post(`${prefix}/responses`, responses);
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
