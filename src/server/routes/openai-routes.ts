import type { Config } from "../../config/config.js";
import type { CopilotClient } from "../../copilot/copilot-client.js";
import type { ModelCatalog } from "../../copilot/models.js";
import { resolveModel } from "../../copilot/resolve-model.js";
import type { Logger } from "../../logging/create-logger.js";
import {
  openAIChatRequestSchema,
  openAIEmbeddingsRequestSchema,
} from "../../protocols/openai/chat-request.js";
import {
  chatMessagesHaveImage,
  initiatorOfChatMessages,
} from "../../protocols/openai/chat-request-traits.js";
import { normalizeChatCompletion } from "../../translate/normalize-chat-completion.js";
import { normalizeEmbeddings } from "../../translate/normalize-embeddings.js";
import { toOpenAIModel } from "../../translate/to-openai-model.js";
import type { Exchange } from "../exchange.js";
import type { Router } from "../router.js";
import { readJsonBody } from "../read-json-body.js";
import { copilotCallerFor, copyQuotaHeaders, logWhenStreamEnds } from "./route-helpers.js";
import { chooseUpstream } from "../choose-upstream.js";
import { streamBody } from "../stream-body.js";
import { expectEventStream, readUpstreamJson } from "../read-upstream-answer.js";
import { responsesUpstreamAnswerSchema } from "../../protocols/openai/responses-wire.js";
import { streamOpenAIChat, translateResponsesToChatStream } from "../stream-openai-chat.js";
import { convertChatRequestToResponses } from "../../translate/responses/convert-chat-request-to-responses.js";
import { convertResponseToChatCompletion } from "../../translate/responses/convert-response-to-chat-completion.js";

export interface OpenAIRouteDependencies {
  readonly config: Config;
  readonly copilot: CopilotClient;
  readonly models: ModelCatalog;
  readonly logger: Logger;
  readonly now: () => number;
}

/** `/v1/models`, `/v1/chat/completions`, `/v1/embeddings`, and the same without `/v1`. */
export function registerOpenAIRoutes(router: Router, deps: OpenAIRouteDependencies): void {
  const { config, copilot, models } = deps;

  async function listModels(exchange: Exchange) {
    const list = await models.getModels(exchange.githubToken, exchange.requestId);
    return exchange.json({ object: "list", data: list.map(toOpenAIModel) });
  }

  async function chatCompletions(exchange: Exchange) {
    const { value: body, raw } = await readJsonBody(
      exchange,
      openAIChatRequestSchema,
      config.bodyLimit,
    );
    const log = exchange.log;
    log.model = body.model;
    log.stream = body.stream === true;
    const available = await models.getModels(exchange.githubToken, exchange.requestId);
    const model = resolveModel(body.model, available, config.modelMap, "chat");
    log.modelUsed = model.id;
    const initiator = initiatorOfChatMessages(body.messages);
    log.initiator = initiator;
    const vision = chatMessagesHaveImage(body.messages);
    const callCopilot = copilotCallerFor(copilot, exchange, { initiator, vision });
    const defaults = { model: model.id, created: Math.floor(deps.now() / 1000) };

    if (chooseUpstream("chat", model) === "/responses") {
      // A Responses-only model (the GPT-5 codex family): translate there and back.
      const { body: converted, warnings } = convertChatRequestToResponses(body, {
        model: model.id,
      });
      for (const warning of warnings) {
        deps.logger.warn(
          { reqId: exchange.requestId, model: model.id },
          `not carried to ${model.id}: ${warning}`,
        );
      }
      const upstream = await callCopilot("/responses", JSON.stringify(converted));
      copyQuotaHeaders(exchange, upstream.headers);
      if (body.stream !== true) {
        const response = await readUpstreamJson(
          upstream,
          "Responses answer",
          responsesUpstreamAnswerSchema,
        );
        return exchange.json(convertResponseToChatCompletion(response, { model: model.id }));
      }
      const includeUsage = body.stream_options?.include_usage === true;
      await expectEventStream(upstream, "Responses answer");
      return streamBody(
        exchange,
        translateResponsesToChatStream(upstream, { ...defaults, includeUsage }, endLog(exchange)),
      );
    }

    // Forward the client's bytes untouched unless the model name had to change.
    const outgoing = body.model === model.id ? raw : JSON.stringify({ ...body, model: model.id });
    const upstream = await callCopilot("/chat/completions", outgoing);
    copyQuotaHeaders(exchange, upstream.headers);
    if (body.stream !== true) {
      const json = await readUpstreamJson(upstream, "chat completion");
      return exchange.json(normalizeChatCompletion(json, defaults));
    }
    await expectEventStream(upstream, "chat completion");
    return streamBody(exchange, streamOpenAIChat(upstream, defaults, endLog(exchange)));
  }

  const endLog = (exchange: Exchange) => logWhenStreamEnds(exchange, deps.logger, config.debug);

  async function embeddings(exchange: Exchange) {
    const { value: body } = await readJsonBody(
      exchange,
      openAIEmbeddingsRequestSchema,
      config.bodyLimit,
    );
    const log = exchange.log;
    log.model = body.model;
    const available = await models.getModels(exchange.githubToken, exchange.requestId);
    const model = resolveModel(body.model, available, config.modelMap, "embeddings");
    log.modelUsed = model.id;
    log.initiator = "user";
    // Copilot wants an array of strings and answers floats; base64 is made here.
    const { encoding_format: encoding = "float", input, ...rest } = body;
    const upstream = await copilot.call({
      githubToken: exchange.githubToken,
      method: "POST",
      path: "/embeddings",
      body: JSON.stringify({
        ...rest,
        model: model.id,
        input: typeof input === "string" ? [input] : input,
      }),
      initiator: "user",
      vision: false,
      requestId: exchange.requestId,
      signal: exchange.signal,
    });
    const json = await readUpstreamJson(upstream, "embeddings answer");
    return exchange.json(normalizeEmbeddings(json, { model: model.id }, encoding));
  }

  for (const prefix of ["/v1", ""]) {
    router.get(`${prefix}/models`, listModels);
    router.post(`${prefix}/chat/completions`, chatCompletions);
    router.post(`${prefix}/embeddings`, embeddings);
  }
}
