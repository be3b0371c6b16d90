import type { AnthropicMessagesRequest } from "../../protocols/anthropic/messages-request.js";
import type { ThinkingSignatures } from "../dialect.js";
import { removeBillingHeaderLines } from "./convert-anthropic-system-to-openai.js";
import {
  dropForeignThinkingBlocks,
  refuseUnsupportedDocuments,
  stripCacheControlExtras,
  stripToolStrict,
} from "./strip-copilot-refused-fields.js";

const ANTHROPIC_VERSION = "2023-06-01";

/**
 * The `anthropic-beta` values Copilot's /v1/messages has been seen to accept; it refuses a
 * request carrying any other (Claude Code sends `claude-code-20250219`, `prompt-caching-scope-…`).
 */
const COPILOT_ANTHROPIC_BETAS: ReadonlySet<string> = new Set([
  "interleaved-thinking-2025-05-14",
  "context-management-2025-06-27",
  "advanced-tool-use-2025-11-20",
]);

/** A thinking or redacted_thinking block, whatever the spacing of the client's JSON. */
const THINKING_BLOCK = /"type"\s*:\s*"(?:redacted_)?thinking"/;

export interface NativeMessagesBody {
  readonly body: string;
  /** What was changed so that Copilot accepts the body, for the debug log. */
  readonly notes: readonly string[];
}

/**
 * The client's own body for the native route, as bytes: untouched unless the model name changes
 * or something Copilot refuses must go (Claude Code's billing-header line in the system prompt,
 * cache_control scope/ttl, per-tool strict, thinking blocks signed by another model). Cheap text
 * checks decide whether the body is parsed at all, so the common request costs no JSON round
 * trip. Throws a 400 for a document source Copilot cannot read.
 */
export function prepareNativeMessagesBody(
  request: Pick<AnthropicMessagesRequest, "model" | "system">,
  raw: string,
  modelId: string,
  signatures?: ThinkingSignatures,
): NativeMessagesBody {
  const system = cleanSystem(request.system);
  const mayStripCacheControl =
    raw.includes('"cache_control"') && (raw.includes('"scope"') || raw.includes('"ttl"'));
  const mayStripStrict = raw.includes('"strict"');
  const mayHaveDocument = raw.includes('"document"');
  const mayHaveThinking = THINKING_BLOCK.test(raw);
  const renamed = request.model !== modelId;
  if (
    !renamed &&
    !system.changed &&
    !mayStripCacheControl &&
    !mayStripStrict &&
    !mayHaveDocument &&
    !mayHaveThinking
  ) {
    return { body: raw, notes: [] };
  }
  const body = JSON.parse(raw) as Record<string, unknown>;
  if (mayHaveDocument) refuseUnsupportedDocuments(body);
  const notes = [
    ...(mayStripCacheControl ? stripCacheControlExtras(body) : []),
    ...(mayStripStrict ? stripToolStrict(body) : []),
    ...(mayHaveThinking ? dropForeignThinkingBlocks(body, modelId, signatures) : []),
  ];
  if (system.changed) {
    body["system"] = system.value;
    notes.push("removed the x-anthropic-billing-header line from the system prompt");
  }
  // The text checks can match inside content: then nothing changed and the bytes go as they are.
  if (!renamed && notes.length === 0) return { body: raw, notes };
  body["model"] = modelId;
  return { body: JSON.stringify(body), notes };
}

type SystemPrompt = AnthropicMessagesRequest["system"];

/** The system prompt without Claude Code's billing-header line, and whether that changed it. */
function cleanSystem(system: SystemPrompt): { changed: boolean; value: SystemPrompt } {
  if (system === undefined) return { changed: false, value: system };
  if (typeof system === "string") {
    const value = removeBillingHeaderLines(system);
    return { changed: value !== system, value };
  }
  if (!system.some((block) => removeBillingHeaderLines(block.text) !== block.text)) {
    return { changed: false, value: system };
  }
  const value = system
    .map((block) => ({ ...block, text: removeBillingHeaderLines(block.text) }))
    .filter((block) => block.text.trim() !== "");
  return { changed: true, value };
}

export interface AnthropicProtocolHeaders {
  readonly headers: Readonly<Record<string, string>>;
  /** The `anthropic-beta` values left out, for the debug log. */
  readonly notes: readonly string[];
}

/**
 * `anthropic-version`, and of the client's `anthropic-beta` list only the values Copilot accepts:
 * one it does not know makes it refuse the whole request.
 */
export function anthropicHeaders(beta: string | undefined): AnthropicProtocolHeaders {
  const headers: Record<string, string> = { "anthropic-version": ANTHROPIC_VERSION };
  const values = (beta ?? "")
    .split(",")
    .map((value) => value.trim())
    .filter((value) => value !== "");
  const accepted = values.filter((value) => COPILOT_ANTHROPIC_BETAS.has(value));
  if (accepted.length > 0) headers["anthropic-beta"] = accepted.join(",");
  const dropped = values.filter((value) => !COPILOT_ANTHROPIC_BETAS.has(value));
  // Header values a client sent, not content; anything odd is left unquoted.
  const named = dropped.map((value) => (/^[A-Za-z0-9._-]{1,64}$/.test(value) ? value : "(other)"));
  return {
    headers,
    notes: dropped.length === 0 ? [] : [`dropped anthropic-beta ${named.join(", ")}`],
  };
}
