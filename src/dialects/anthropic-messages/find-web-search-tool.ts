import { z } from "zod";
import { InvalidRequestError } from "../../errors.js";
import type { AnthropicToolParam } from "../../protocols/anthropic/messages-request.js";

/** What a request's `web_search` server tool asks for. */
export interface AnthropicWebSearchSettings {
  /** Searches allowed in the answer; undefined: no limit. */
  readonly maxUses: number | undefined;
  readonly allowedDomains: readonly string[];
  readonly blockedDomains: readonly string[];
  /** `{type:"approximate", city, region, country, timezone}`, as both APIs spell it. */
  readonly userLocation: Record<string, unknown> | undefined;
}

// https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/web-search-tool
const webSearchToolSchema = z.looseObject({
  max_uses: z.number().int().positive().nullable().optional(),
  allowed_domains: z.array(z.string()).nullable().optional(),
  blocked_domains: z.array(z.string()).nullable().optional(),
  user_location: z.looseObject({ type: z.string().optional() }).nullable().optional(),
});

/**
 * The request's Anthropic `web_search` server tool (`web_search_20250305`, `web_search_20260209`,
 * …), if it has one: Copilot refuses it, so the gateway runs such a request itself.
 */
export function findWebSearchTool(
  tools: readonly AnthropicToolParam[] | undefined,
): AnthropicWebSearchSettings | undefined {
  const index = (tools ?? []).findIndex(
    (tool) => typeof tool.type === "string" && tool.type.startsWith("web_search_"),
  );
  if (index === -1) return undefined;
  const parsed = webSearchToolSchema.safeParse(tools?.[index]);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidRequestError(
      `tools.${index}.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`,
      { param: `tools.${index}` },
    );
  }
  const tool = parsed.data;
  const allowedDomains = tool.allowed_domains ?? [];
  const blockedDomains = tool.blocked_domains ?? [];
  if (allowedDomains.length > 0 && blockedDomains.length > 0) {
    throw new InvalidRequestError(
      `tools.${index}: give allowed_domains or blocked_domains, not both`,
      { param: `tools.${index}` },
    );
  }
  return {
    maxUses: tool.max_uses ?? undefined,
    allowedDomains,
    blockedDomains,
    userLocation: tool.user_location ?? undefined,
  };
}

/** Whether `url` lies on one of `domains` (a domain covers its subdomains; a path, what is under it). */
export function isOnDomain(url: string, domains: readonly string[]): boolean {
  let host: string;
  let path: string;
  try {
    const parsed = new URL(url);
    host = parsed.hostname.toLowerCase();
    path = parsed.pathname;
  } catch {
    return false;
  }
  return domains.some((entry) => {
    const slash = entry.indexOf("/");
    const domain = (slash === -1 ? entry : entry.slice(0, slash)).toLowerCase();
    const prefix = slash === -1 ? "" : entry.slice(slash);
    const hostMatches = host === domain || host.endsWith(`.${domain}`);
    return hostMatches && path.startsWith(prefix);
  });
}
