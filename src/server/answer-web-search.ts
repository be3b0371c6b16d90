import { resolveModel } from "../copilot/resolve-model.js";
import { anthropicMessagesDialect } from "../dialects/anthropic-messages/anthropic-messages-dialect.js";
import { convertWebSearchAnswerToAnthropic } from "../dialects/anthropic-messages/convert-web-search-answer-to-anthropic.js";
import { convertWebSearchRequestToResponses } from "../dialects/anthropic-messages/convert-web-search-request-to-responses.js";
import { findWebSearchTool } from "../dialects/anthropic-messages/find-web-search-tool.js";
import { renderWebSearchStream } from "../dialects/anthropic-messages/render-web-search-stream.js";
import { InvalidRequestError } from "../errors.js";
import type { AnthropicMessagesRequest } from "../protocols/anthropic/messages-request.js";
import { formatSseMessages } from "../sse/format-sse.js";
import { endpointsOf } from "./choose-upstream.js";
import type { Exchange } from "./exchange.js";
import {
  copyQuotaHeaders,
  type DialectHandlerDependencies,
  type RequestAnsweredFirst,
} from "./handle-dialect-request.js";
import { readUpstreamText } from "./read-upstream-answer.js";
import { UpstreamAnswer } from "../translate/parse-upstream-json.js";
import { readAnswerUsage } from "../dialects/read-stream-usage.js";
import { costOfAnswer } from "../ledger/cost-of-answer.js";

/**
 * Anthropic's `web_search` server tool (Claude Code's WebSearch sends a request whose only tool
 * it is), which Copilot refuses. The gateway runs it itself, before the generic path: one call
 * to Copilot's `/responses` for WEB_SEARCH_MODEL with the hosted `web_search` tool, whatever
 * model the client named, and the answer back as Anthropic's blocks (server_tool_use,
 * web_search_tool_result, cited text), whole or as one burst of stream events. Without the
 * setting such a request gets a 400 that names it. Requests without the tool pass on.
 */
export function createWebSearchAnswerer(
  deps: DialectHandlerDependencies,
): RequestAnsweredFirst<AnthropicMessagesRequest> {
  const { config, copilot, models, logger } = deps;
  return async (exchange: Exchange, request: AnthropicMessagesRequest) => {
    const settings = findWebSearchTool(request.tools);
    if (settings === undefined) return false;
    anthropicMessagesDialect.checkRequest(request);
    const traits = anthropicMessagesDialect.traits(request);
    const log = exchange.log;
    log.model = traits.model;
    log.stream = traits.stream;
    log.initiator = traits.initiator;
    if (config.webSearchModel === undefined) {
      throw new InvalidRequestError(
        "Copilot does not serve Anthropic's web_search server tool, and this gateway has no WEB_SEARCH_MODEL set to run it: set WEB_SEARCH_MODEL to a model that serves /responses with its web_search tool (for example gpt-5.4), or send the request without the tool",
        { param: "tools", code: "web_search_not_configured" },
      );
    }
    const available = await models.getModels(exchange.githubToken, exchange.requestId);
    const model = resolveModel(config.webSearchModel, available, config.modelMap, "chat");
    log.modelUsed = model.id;
    if (!endpointsOf(model).includes("/responses")) {
      throw new InvalidRequestError(
        `WEB_SEARCH_MODEL is "${config.webSearchModel}", which Copilot serves only on ${endpointsOf(model).join(", ")}; web search needs a model that serves /responses with its web_search tool`,
        { param: "tools", code: "web_search_model_unsuitable" },
      );
    }
    const { body, warnings } = convertWebSearchRequestToResponses(request, settings, model.id);
    for (const warning of warnings) {
      logger.warn(
        { reqId: exchange.requestId, model: model.id },
        `not carried to ${model.id}: ${warning}`,
      );
    }
    const upstream = await copilot.call({
      githubToken: exchange.githubToken,
      method: "POST",
      path: "/responses",
      body: JSON.stringify(body),
      initiator: traits.initiator,
      vision: false,
      requestId: exchange.requestId,
      signal: exchange.signal,
    });
    copyQuotaHeaders(exchange, upstream.headers);
    deps.accounting.accounts.observe(exchange.log.account ?? "", upstream.headers, true);
    const answer = await readUpstreamText(upstream, "web search answer");
    exchange.log.endpoint = "/responses";
    exchange.log.cost = costOfAnswer(
      readAnswerUsage("/responses", new UpstreamAnswer(answer)),
      model,
      traits.initiator,
      deps.accounting.prices,
    );
    const message = convertWebSearchAnswerToAnthropic(answer, { model: request.model, settings });
    if (traits.stream) {
      // The search is done before the first byte: its events go out at once.
      exchange.setHeader("cache-control", "no-cache");
      exchange.send(
        200,
        formatSseMessages(renderWebSearchStream(message)),
        "text/event-stream; charset=utf-8",
      );
    } else {
      exchange.send(200, JSON.stringify(message), "application/json; charset=utf-8");
    }
    return true;
  };
}
