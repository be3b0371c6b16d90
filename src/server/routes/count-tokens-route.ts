import { resolveModel } from "../../copilot/resolve-model.js";
import {
  anthropicHeaders,
  prepareNativeMessagesBody,
} from "../../dialects/anthropic-messages/native-messages-request.js";
import { UpstreamError } from "../../errors.js";
import { anthropicCountTokensRequestSchema } from "../../protocols/anthropic/messages-request.js";
import { anthropicCountTokensUpstreamSchema } from "../../protocols/anthropic/messages-upstream.js";
import { anthropicMessagesHaveImage } from "../../dialects/anthropic-messages/anthropic-request-traits.js";
import { countAnthropicTokens } from "../../dialects/anthropic-messages/count-anthropic-tokens.js";
import { parseUpstreamJson } from "../../translate/parse-upstream-json.js";
import { readPromptTooLong } from "../../translate/read-prompt-too-long.js";
import { bindThinkingSignatures } from "../bind-thinking-signatures.js";
import { chooseUpstream } from "../choose-upstream.js";
import type { DialectHandlerDependencies } from "../handle-dialect-request.js";
import type { Handler } from "../router.js";
import { readJsonBody } from "../read-json-body.js";
import { readUpstreamText } from "../read-upstream-answer.js";
import { recordUpstreamAnswerIds } from "../record-upstream-request-ids.js";

/**
 * `POST /v1/messages/count_tokens`: Copilot's own count for the models it serves on
 * `/v1/messages`, the local estimate for the others; `x-cogpt-token-count` says which.
 * https://docs.anthropic.com/en/api/messages-count-tokens
 */
export function createCountTokensHandler(deps: DialectHandlerDependencies): Handler {
  const { config, copilot, models, logger } = deps;
  return async (exchange) => {
    const { value: request, raw } = await readJsonBody(
      exchange,
      anthropicCountTokensRequestSchema,
      config.bodyLimit,
    );
    const available = await models.getModels(exchange.githubToken, exchange.requestId);
    const model = resolveModel(request.model, available, config.modelMap, "chat");
    exchange.log.model = request.model;
    exchange.log.modelUsed = model.id;
    if (chooseUpstream("messages", model) === "/v1/messages") {
      // Cleaned as for /v1/messages, with which Copilot's count shares its checks.
      const signatures = bindThinkingSignatures(deps.thinkingSignatures, exchange.githubToken);
      const { body, notes } = prepareNativeMessagesBody(request, raw, model.id, signatures);
      const protocol = anthropicHeaders(exchange.header("anthropic-beta"));
      for (const note of [...protocol.notes, ...notes]) {
        logger.debug(
          { reqId: exchange.requestId, model: model.id },
          `changed for Copilot: ${note}`,
        );
      }
      try {
        const upstream = await copilot.call({
          githubToken: exchange.githubToken,
          method: "POST",
          path: "/v1/messages/count_tokens",
          body,
          initiator: "agent",
          vision: anthropicMessagesHaveImage(request),
          requestId: exchange.requestId,
          signal: exchange.signal,
          protocolHeaders: protocol.headers,
        });
        recordUpstreamAnswerIds(exchange, upstream.headers);
        const text = await readUpstreamText(upstream, "token count");
        parseUpstreamJson(text, "token count", anthropicCountTokensUpstreamSchema);
        exchange.setHeader("x-cogpt-token-count", "upstream");
        exchange.send(200, text, "application/json; charset=utf-8");
        return;
      } catch (error) {
        // Copilot counts even a prompt it would refuse as too long, and says the count in the
        // refusal: that count is still Copilot's own, and what Claude Code compacts on.
        const tooLong =
          error instanceof UpstreamError ? readPromptTooLong(error)?.promptTokens : undefined;
        if (tooLong !== undefined) {
          exchange.setHeader("x-cogpt-token-count", "upstream");
          exchange.json({ input_tokens: tooLong });
          return;
        }
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
    exchange.json({ input_tokens: inputTokens });
  };
}
