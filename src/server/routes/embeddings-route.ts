import { resolveModel } from "../../copilot/resolve-model.js";
import { openAIEmbeddingsRequestSchema } from "../../protocols/openai/chat-request.js";
import { normalizeEmbeddings } from "../../translate/normalize-embeddings.js";
import { parseUpstreamJson } from "../../translate/parse-upstream-json.js";
import type { DialectHandlerDependencies } from "../handle-dialect-request.js";
import type { Handler } from "../router.js";
import { readJsonBody } from "../read-json-body.js";
import { readUpstreamText } from "../read-upstream-answer.js";
import { recordUpstreamAnswerIds } from "../record-upstream-request-ids.js";

/**
 * `POST /v1/embeddings`: Copilot wants an array of strings and answers floats; base64 is made
 * here. https://platform.openai.com/docs/api-reference/embeddings
 */
export function createEmbeddingsHandler(deps: DialectHandlerDependencies): Handler {
  const { config, copilot, models } = deps;
  return async (exchange) => {
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
    recordUpstreamAnswerIds(exchange, upstream.headers);
    const json = parseUpstreamJson(
      await readUpstreamText(upstream, "embeddings answer"),
      "embeddings answer",
    );
    exchange.json(normalizeEmbeddings(json, { model: model.id }, encoding));
  };
}
