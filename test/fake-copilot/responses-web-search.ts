import type { FakeState } from "./fake-state.js";
import { isRecord } from "./fake-state.js";

/** One page the fake "finds": its address and title, both made from the query. */
export interface FakeSearchSource {
  readonly url: string;
  readonly title: string;
}

/** What a /responses request with the `web_search` tool gets: one search, then a cited answer. */
export interface FakeWebSearchPlan {
  readonly query: string;
  readonly sources: readonly FakeSearchSource[];
  /** Whether the request asked for `web_search_call.action.sources` (OpenAI leaves them out otherwise). */
  readonly includeSources: boolean;
  readonly text: string;
  readonly annotations: readonly UrlCitation[];
}

export interface UrlCitation {
  readonly type: "url_citation";
  readonly start_index: number;
  readonly end_index: number;
  readonly url: string;
  readonly title: string;
}

/** Claude Code words its search sub-request so; the fake's "model" searches for what follows. */
const SEARCH_PROMPT = /^\s*perform a web search for the query:\s*/i;

/** The request's `web_search` tool (Responses: `{type:"web_search", filters?, user_location?}`), if any. */
export function findWebSearchTool(tools: unknown): Record<string, unknown> | undefined {
  if (!Array.isArray(tools)) return undefined;
  return tools.filter(isRecord).find((tool) => tool["type"] === "web_search");
}

/**
 * The refusal a model that cannot search gives, or undefined when `modelId` may use the tool
 * (every /responses model unless the fake was started with `webSearchModels`).
 */
export function refuseWebSearch(state: FakeState, modelId: string): string | undefined {
  if (state.webSearchModels === undefined || state.webSearchModels.includes(modelId)) {
    return undefined;
  }
  const error = {
    message: `The use of the web search tool is not supported for model "${modelId}"`,
    code: "invalid_request_body",
  };
  return `${JSON.stringify({ error })}\n`;
}

/**
 * A deterministic search: the query is the user's text (after Claude Code's prompt prefix), the
 * sources are two pages whose address and title derive from it (on the allowed domains when the
 * tool's `filters.allowed_domains` names some), and the answer cites each in one sentence.
 */
export function planWebSearch(
  tool: Record<string, unknown>,
  userText: string,
  include: unknown,
): FakeWebSearchPlan {
  const query = userText.replace(SEARCH_PROMPT, "").trim();
  const slug = query
    .toLowerCase()
    .replaceAll(/[^a-z0-9]+/g, "-")
    .replaceAll(/^-|-$/g, "");
  const filters = isRecord(tool["filters"]) ? tool["filters"] : {};
  const allowed = Array.isArray(filters["allowed_domains"])
    ? filters["allowed_domains"].filter((domain): domain is string => typeof domain === "string")
    : [];
  const domains = allowed.length > 0 ? allowed : ["example.com", "example.org"];
  const sources = [0, 1].map((index) => ({
    url: `https://${domains[index % domains.length]}/search/${slug}/${index + 1}`,
    title: `Result ${index + 1} for ${query}`,
  }));
  const [first, second] = sources as [FakeSearchSource, FakeSearchSource];
  const sentence = `${first.title} says this about ${query}.`;
  const text = `${sentence} ${second.title} agrees.`;
  return {
    query,
    sources,
    includeSources: Array.isArray(include) && include.includes("web_search_call.action.sources"),
    text,
    annotations: [
      { type: "url_citation", start_index: 0, end_index: sentence.length, ...first },
      { type: "url_citation", start_index: sentence.length + 1, end_index: text.length, ...second },
    ],
  };
}

/** The `web_search_call` output item, as OpenAI's Responses API shows a finished search. */
export function renderWebSearchCall(
  plan: Pick<FakeWebSearchPlan, "query" | "sources" | "includeSources">,
  id: string,
  status: string,
): Record<string, unknown> {
  const action: Record<string, unknown> = { type: "search", query: plan.query };
  if (plan.includeSources) {
    action["sources"] = plan.sources.map((source) => ({ type: "url", url: source.url }));
  }
  return { type: "web_search_call", id, status, action };
}
