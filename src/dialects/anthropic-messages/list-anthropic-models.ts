import type { CopilotModel } from "../../protocols/copilot.js";
import { InvalidRequestError } from "../../errors.js";
import { toAnthropicModel, type AnthropicModel } from "./to-anthropic-model.js";

/** One page of Anthropic's `GET /v1/models`. https://docs.anthropic.com/en/api/models-list */
export interface AnthropicModelPage {
  data: AnthropicModel[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

export interface AnthropicModelQuery {
  readonly limit?: string | null;
  readonly afterId?: string | null;
  readonly beforeId?: string | null;
}

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

/**
 * The chat models (Anthropic's API has no embeddings or completions) as one page, paged as Anthropic pages:
 * `limit` 1–1000 (default 20), then `after_id` or `before_id`. Claude Code's gateway model
 * discovery asks `?limit=1000` and keeps the ids that start with `claude`.
 */
export function listAnthropicModels(
  models: readonly CopilotModel[],
  query: AnthropicModelQuery,
): AnthropicModelPage {
  const limit = parseLimit(query.limit);
  const all = models.filter((model) => (model.capabilities?.type ?? "chat") === "chat");
  let start: number;
  let end: number;
  if (query.afterId != null) {
    start = indexOfId(all, query.afterId, "after_id") + 1;
    end = Math.min(all.length, start + limit);
  } else if (query.beforeId != null) {
    end = indexOfId(all, query.beforeId, "before_id");
    start = Math.max(0, end - limit);
  } else {
    start = 0;
    end = Math.min(all.length, limit);
  }
  const data = all.slice(start, end).map(toAnthropicModel);
  return {
    data,
    has_more: query.beforeId != null ? start > 0 : end < all.length,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
  };
}

function parseLimit(value: string | null | undefined): number {
  if (value == null) return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new InvalidRequestError(`limit: ${JSON.stringify(value)} is not a whole number 1–1000`, {
      param: "limit",
    });
  }
  return limit;
}

function indexOfId(models: readonly CopilotModel[], id: string, name: string): number {
  const index = models.findIndex((model) => model.id === id);
  if (index === -1) {
    throw new InvalidRequestError(`${name}: no model ${JSON.stringify(id)}`, { param: name });
  }
  return index;
}
