import type { Context, Hono } from "hono";
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
import type { AppEnv } from "../app-env.js";
import { clientSignal } from "../client-signal.js";
import { readJsonBody } from "../read-json-body.js";
import { copyQuotaHeaders, logWhenStreamEnds } from "./route-helpers.js";
import { chooseUpstream } from "../choose-upstream.js";
import { streamBody } from "../stream-body.js";
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
export function registerOpenAIRoutes(app: Hono<AppEnv>, deps: OpenAIRouteDependencies): void {
  const { config, copilot, models } = deps;

  async function listModels(c: Context<AppEnv>) {
    const list = await models.getModels(c.get("githubToken"), c.get("requestId"));
    return c.json({ object: "list", data: list.map(toOpenAIModel) });
  }

  async function chatCompletions(c: Context<AppEnv>) {
    const { value: body, raw } = await readJsonBody(c, openAIChatRequestSchema, config.bodyLimit);
    const log = c.get("log");
    log.model = body.model;
    log.stream = body.stream === true;
    const available = await models.getModels(c.get("githubToken"), c.get("requestId"));
    const model = resolveModel(body.model, available, config.modelMap, "chat");
    log.modelUsed = model.id;
    const initiator = initiatorOfChatMessages(body.messages);
    log.initiator = initiator;
    const call = {
      githubToken: c.get("githubToken"),
      method: "POST" as const,
      initiator,
      vision: chatMessagesHaveImage(body.messages),
      requestId: c.get("requestId"),
      signal: clientSignal(c),
    };
    const defaults = { model: model.id, created: Math.floor(deps.now() / 1000) };

    if (chooseUpstream("chat", model) === "/responses") {
      // A Responses-only model (the GPT-5 codex family): translate there and back.
      const { body: converted, warnings } = convertChatRequestToResponses(body, {
        model: model.id,
      });
      for (const warning of warnings) {
        deps.logger.warn(
          { reqId: c.get("requestId"), model: model.id },
          `not carried to ${model.id}: ${warning}`,
        );
      }
      const upstream = await copilot.call({
        ...call,
        path: "/responses",
        body: JSON.stringify(converted),
      });
      copyQuotaHeaders(c, upstream.headers);
      if (body.stream !== true) {
        return c.json(
          convertResponseToChatCompletion(await upstream.body.json(), { model: model.id }),
        );
      }
      const includeUsage = body.stream_options?.include_usage === true;
      return streamBody(
        c,
        translateResponsesToChatStream(upstream, { ...defaults, includeUsage }, endLog(c)),
      );
    }

    // Forward the client's bytes untouched unless the model name had to change.
    const outgoing = body.model === model.id ? raw : JSON.stringify({ ...body, model: model.id });
    const upstream = await copilot.call({ ...call, path: "/chat/completions", body: outgoing });
    copyQuotaHeaders(c, upstream.headers);
    if (body.stream !== true) {
      const json: unknown = await upstream.body.json();
      return c.json(normalizeChatCompletion(json, defaults) as object);
    }
    return streamBody(c, streamOpenAIChat(upstream, defaults, endLog(c)));
  }

  const endLog = (c: Context<AppEnv>) => logWhenStreamEnds(c, deps.logger, config.debug);

  async function embeddings(c: Context<AppEnv>) {
    const { value: body } = await readJsonBody(c, openAIEmbeddingsRequestSchema, config.bodyLimit);
    const log = c.get("log");
    log.model = body.model;
    const available = await models.getModels(c.get("githubToken"), c.get("requestId"));
    const model = resolveModel(body.model, available, config.modelMap, "embeddings");
    log.modelUsed = model.id;
    log.initiator = "user";
    // Copilot wants an array of strings and answers floats; base64 is made here.
    const { encoding_format: encoding = "float", input, ...rest } = body;
    const upstream = await copilot.call({
      githubToken: c.get("githubToken"),
      method: "POST",
      path: "/embeddings",
      body: JSON.stringify({
        ...rest,
        model: model.id,
        input: typeof input === "string" ? [input] : input,
      }),
      initiator: "user",
      vision: false,
      requestId: c.get("requestId"),
      signal: clientSignal(c),
    });
    const json: unknown = await upstream.body.json();
    return c.json(normalizeEmbeddings(json, { model: model.id }, encoding) as object);
  }

  for (const prefix of ["/v1", ""]) {
    app.get(`${prefix}/models`, listModels);
    app.post(`${prefix}/chat/completions`, chatCompletions);
    app.post(`${prefix}/embeddings`, embeddings);
  }
}
