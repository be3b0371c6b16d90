import { UpstreamError } from "../../errors.js";
import type {
  AnthropicCitedTextBlock,
  AnthropicWebSearchCitation,
  AnthropicWebSearchContentBlock,
  AnthropicWebSearchMessage,
  AnthropicWebSearchResult,
  AnthropicWebSearchToolResultBlock,
} from "../../protocols/anthropic/web-search-response.js";
import {
  responsesWebSearchAnswerSchema,
  type ResponsesUrlCitation,
  type ResponsesWebSearchAnswer,
} from "../../protocols/openai/responses-web-search-wire.js";
import { parseUpstreamJson } from "../../translate/parse-upstream-json.js";
import { isOnDomain, type AnthropicWebSearchSettings } from "./find-web-search-tool.js";
import { toAnthropicMessageId } from "./to-anthropic-message-id.js";

export interface WebSearchAnswerOptions {
  /** The model the client asked for, echoed in the message. */
  readonly model: string;
  readonly settings: AnthropicWebSearchSettings;
}

/** Anthropic caps `cited_text` at 150 characters. */
const CITED_TEXT_LIMIT = 150;

/**
 * The search model's Responses answer (Copilot's text) as Anthropic's answer to a `web_search`
 * request: each `web_search_call` becomes a `server_tool_use` block and a
 * `web_search_tool_result` block with its sources (titles from the citations that name them),
 * and the answer's text is split at its `url_citation` spans into text blocks, the cited ones
 * with `web_search_result_location` citations. Sources cited but not listed by any search are
 * added to the last search's results. Results outside the allowed domains, or on blocked ones,
 * are removed; searches past `max_uses` get Anthropic's `max_uses_exceeded` error.
 * https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/web-search-tool
 */
export function convertWebSearchAnswerToAnthropic(
  answerText: string,
  { model, settings }: WebSearchAnswerOptions,
): AnthropicWebSearchMessage {
  const answer = parseUpstreamJson(
    answerText,
    "web search answer",
    responsesWebSearchAnswerSchema,
  ) as ResponsesWebSearchAnswer;
  if (answer.status === "failed" || answer.error?.message) {
    throw new UpstreamError(
      502,
      `Copilot's web search failed: ${answer.error?.message ?? "no reason given"}`,
      { code: answer.error?.code ?? "upstream_web_search_failed" },
    );
  }
  const messageId = toAnthropicMessageId(answer.id);
  const idBase = messageId.replace(/^msg_/, "").replaceAll(/[^A-Za-z0-9]/g, "");
  const keep = (url: string): boolean =>
    (settings.allowedDomains.length === 0 || isOnDomain(url, settings.allowedDomains)) &&
    !isOnDomain(url, settings.blockedDomains);

  const citations = answer.output.flatMap((item) =>
    item.type === "message"
      ? (item.content ?? []).flatMap((part) =>
          part.type === "output_text" ? (part.annotations ?? []).filter(isUrlCitation) : [],
        )
      : [],
  );
  const titles = new Map<string, string>();
  for (const citation of citations) {
    if (typeof citation.title === "string" && !titles.has(citation.url)) {
      titles.set(citation.url, citation.title);
    }
  }
  const resultOf = (url: string): AnthropicWebSearchResult => ({
    type: "web_search_result",
    url,
    title: titles.get(url) ?? url,
    encrypted_content: "",
    page_age: null,
  });

  const content: AnthropicWebSearchContentBlock[] = [];
  const listed = new Set<string>();
  let lastResult: AnthropicWebSearchToolResultBlock | undefined;
  let searches = 0;
  for (const item of answer.output) {
    if (item.type === "web_search_call") {
      searches += 1;
      const id = `srvtoolu_${idBase}_${searches}`;
      content.push({
        type: "server_tool_use",
        id,
        name: "web_search",
        input: { query: item.action?.query ?? "" },
      });
      if (settings.maxUses !== undefined && searches > settings.maxUses) {
        content.push({
          type: "web_search_tool_result",
          tool_use_id: id,
          content: { type: "web_search_tool_result_error", error_code: "max_uses_exceeded" },
        });
        continue;
      }
      const urls = (item.action?.sources ?? []).flatMap((source) =>
        typeof source.url === "string" && keep(source.url) && !listed.has(source.url)
          ? [source.url]
          : [],
      );
      for (const url of urls) listed.add(url);
      lastResult = { type: "web_search_tool_result", tool_use_id: id, content: urls.map(resultOf) };
      content.push(lastResult);
    } else if (item.type === "message") {
      for (const part of item.content ?? []) {
        if (part.type === "output_text") {
          content.push(...splitAtCitations(part.text, part.annotations ?? [], keep));
        } else if (part.type === "refusal") {
          content.push({ type: "text", text: part.refusal });
        }
      }
    }
  }
  if (lastResult !== undefined && Array.isArray(lastResult.content)) {
    for (const citation of citations) {
      if (listed.has(citation.url) || !keep(citation.url)) continue;
      listed.add(citation.url);
      lastResult.content.push(resultOf(citation.url));
    }
  }

  const usage = answer.usage;
  const input = usage?.input_tokens ?? 0;
  const cached = usage?.input_tokens_details?.cached_tokens ?? 0;
  return {
    id: messageId,
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason:
      answer.incomplete_details?.reason === "max_output_tokens" ? "max_tokens" : "end_turn",
    stop_sequence: null,
    usage: {
      input_tokens: Math.max(0, input - cached),
      output_tokens: usage?.output_tokens ?? 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: cached,
      server_tool_use: { web_search_requests: Math.min(searches, settings.maxUses ?? searches) },
    },
  };
}

function isUrlCitation(annotation: { type: string }): annotation is ResponsesUrlCitation {
  return annotation.type === "url_citation";
}

/**
 * Text with `url_citation` spans as Anthropic text blocks: the text between spans uncited, each
 * span (by Unicode code point, as OpenAI counts) with its citations. Spans that overlap one
 * already taken cite that one; spans out of range or on removed domains cite nothing.
 */
function splitAtCitations(
  text: string,
  annotations: readonly { type: string }[],
  keep: (url: string) => boolean,
): AnthropicCitedTextBlock[] {
  const characters = Array.from(text);
  const spans = annotations
    .filter(isUrlCitation)
    .filter((citation) => keep(citation.url))
    .map((citation) => ({
      citation,
      start: Math.max(0, Math.min(citation.start_index, characters.length)),
      end: Math.max(0, Math.min(citation.end_index, characters.length)),
    }))
    .filter((span) => span.end > span.start)
    .sort((a, b) => a.start - b.start || a.end - b.end);

  const blocks: AnthropicCitedTextBlock[] = [];
  let cursor = 0;
  let lastCitations: AnthropicWebSearchCitation[] | undefined;
  for (const { citation, start, end } of spans) {
    const cited = characters.slice(start, end).join("");
    const location: AnthropicWebSearchCitation = {
      type: "web_search_result_location",
      url: citation.url,
      title: citation.title ?? null,
      encrypted_index: "",
      cited_text: Array.from(cited).slice(0, CITED_TEXT_LIMIT).join(""),
    };
    if (start < cursor && lastCitations !== undefined) {
      lastCitations.push(location);
      continue;
    }
    if (start > cursor)
      blocks.push({ type: "text", text: characters.slice(cursor, start).join("") });
    lastCitations = [location];
    blocks.push({ type: "text", text: cited, citations: lastCitations });
    cursor = end;
  }
  if (cursor < characters.length) {
    blocks.push({ type: "text", text: characters.slice(cursor).join("") });
  }
  return blocks;
}
