import { listAnthropicModels } from "../../dialects/anthropic-messages/list-anthropic-models.js";
import { renderAnthropicError } from "../../dialects/anthropic-messages/render-anthropic-error.js";
import { toOpenAIModel } from "../../translate/to-openai-model.js";
import type { DialectHandlerDependencies } from "../handle-dialect-request.js";
import type { Handler } from "../router.js";

/**
 * `GET /v1/models`: the account's models with their limits. Both APIs use this path, so the
 * client's `anthropic-version` header (which Anthropic's SDKs and Claude Code always send)
 * decides: Anthropic's Models API page for them, OpenAI's list for everyone else.
 */
export function createModelsHandler({ models }: DialectHandlerDependencies): Handler {
  return async (exchange) => {
    const anthropic = exchange.header("anthropic-version") !== undefined;
    if (anthropic) exchange.renderError = renderAnthropicError;
    const list = await models.getModels(exchange.githubToken, exchange.requestId);
    if (!anthropic) {
      exchange.json({ object: "list", data: list.map(toOpenAIModel) });
      return;
    }
    const query = new URLSearchParams(queryOf(exchange.incoming.url ?? ""));
    exchange.json(
      listAnthropicModels(list, {
        limit: query.get("limit"),
        afterId: query.get("after_id"),
        beforeId: query.get("before_id"),
      }),
    );
  };
}

function queryOf(url: string): string {
  const start = url.indexOf("?");
  return start === -1 ? "" : url.slice(start + 1);
}
