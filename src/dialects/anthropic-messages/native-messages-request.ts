import type { AnthropicMessagesRequest } from "../../protocols/anthropic/messages-request.js";
import { removeBillingHeaderLines } from "./convert-anthropic-system-to-openai.js";

const ANTHROPIC_VERSION = "2023-06-01";
/** `anthropic-beta` is a comma list of feature names; anything else is not forwarded. */
const BETA_VALUE = /^[A-Za-z0-9._-]+(?:\s*,\s*[A-Za-z0-9._-]+)*$/;

/**
 * The client's own body for the native route: untouched unless the model name changes or Claude
 * Code's billing-header line (which Copilot refuses) must leave the system prompt.
 */
export function nativeMessagesBody(
  request: Pick<AnthropicMessagesRequest, "model" | "system">,
  raw: string,
  modelId: string,
): string {
  const system = request.system;
  const cleaned =
    typeof system === "string"
      ? removeBillingHeaderLines(system)
      : system?.map((block) => ({ ...block, text: removeBillingHeaderLines(block.text) }));
  const systemChanged =
    typeof system === "string"
      ? cleaned !== system
      : system?.some((block) => block.text !== removeBillingHeaderLines(block.text)) === true;
  if (!systemChanged && request.model === modelId) return raw;
  const body = JSON.parse(raw) as Record<string, unknown>;
  body.model = modelId;
  if (systemChanged) {
    body.system = Array.isArray(cleaned)
      ? cleaned.filter((block) => block.text.trim() !== "")
      : cleaned;
  }
  return JSON.stringify(body);
}

export function anthropicHeaders(beta: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { "anthropic-version": ANTHROPIC_VERSION };
  if (beta !== undefined && BETA_VALUE.test(beta.trim())) headers["anthropic-beta"] = beta.trim();
  return headers;
}
