import { createHmac } from "node:crypto";
import type { FakeResponse } from "./fake-response.js";
import { APPLICATION_JSON, jsonResponse } from "./fake-response.js";
import type { FakeState } from "./fake-state.js";
import { isRecord } from "./fake-state.js";

/** The anthropic-beta values Copilot's /v1/messages has been seen to accept; others are refused. */
export const ACCEPTED_ANTHROPIC_BETAS: ReadonlySet<string> = new Set([
  "interleaved-thinking-2025-05-14",
  "context-management-2025-06-27",
  "advanced-tool-use-2025-11-20",
]);

/**
 * A thinking signature bound to the model that wrote it, as Copilot's are: `sig_fake_`, a MAC
 * of the model id under the fake's key, and a serial. Another model's block fails the check.
 */
export function signThinking(state: FakeState, modelId: string, serial: number): string {
  return `sig_fake_${modelMac(state, modelId)}_${serial}`;
}

function modelMac(state: FakeState, modelId: string): string {
  return createHmac("sha256", state.thinkingKey).update(modelId).digest("hex").slice(0, 16);
}

/**
 * What Copilot's /v1/messages refuses that Anthropic's API takes (docs/upstream-protocol.md,
 * 2026 changes): unaccepted anthropic-beta values, cache_control `scope` / `ttl`, per-tool
 * `strict`, Anthropic's web search server tool, PDF sources that are not base64, and thinking
 * blocks signed by another model. Answers in Anthropic's error shape, 400.
 */
export function checkMessagesRequest(
  state: FakeState,
  headers: Readonly<Record<string, string>>,
  body: Record<string, unknown>,
  modelId: string,
): FakeResponse | undefined {
  const betas = (headers["anthropic-beta"] ?? "")
    .split(",")
    .map((beta) => beta.trim())
    .filter((beta) => beta !== "");
  const refusedBetas = betas.filter((beta) => !ACCEPTED_ANTHROPIC_BETAS.has(beta));
  if (refusedBetas.length > 0) {
    return anthropicError(
      `Unexpected value(s) \`${refusedBetas.join(", ")}\` for the \`anthropic-beta\` header.`,
    );
  }
  const cacheControl = findCacheControlExtra(body);
  if (cacheControl !== undefined)
    return anthropicError(`${cacheControl}: Extra inputs are not permitted`);
  const tools = Array.isArray(body["tools"]) ? body["tools"] : [];
  for (const [index, tool] of tools.entries()) {
    if (!isRecord(tool)) continue;
    if (typeof tool["type"] === "string" && tool["type"].startsWith("web_search")) {
      return anthropicError("The use of the web search tool is not supported");
    }
    if ("strict" in tool)
      return anthropicError(`tools.${index}.strict: Extra inputs are not permitted`);
  }
  const messages = Array.isArray(body["messages"]) ? body["messages"] : [];
  for (const [messageIndex, message] of messages.entries()) {
    const content = isRecord(message) ? message["content"] : undefined;
    if (!Array.isArray(content)) continue;
    for (const [blockIndex, block] of content.entries()) {
      if (!isRecord(block)) continue;
      const where = `messages.${messageIndex}.content.${blockIndex}`;
      if (block["type"] === "document" && !isBase64Pdf(block["source"])) {
        return anthropicError(
          `${where}.source: only base64 application/pdf documents are supported`,
        );
      }
      if (!signedByModel(state, block, modelId)) {
        return anthropicError(`${where}: Invalid signature in thinking block`);
      }
    }
  }
  return undefined;
}

/** True for anything that is not a thinking block, and for one this model signed. */
function signedByModel(state: FakeState, block: Record<string, unknown>, modelId: string): boolean {
  const signature =
    block["type"] === "thinking"
      ? block["signature"]
      : block["type"] === "redacted_thinking"
        ? block["data"]
        : undefined;
  if (block["type"] !== "thinking" && block["type"] !== "redacted_thinking") return true;
  return (
    typeof signature === "string" && signature.startsWith(`sig_fake_${modelMac(state, modelId)}_`)
  );
}

function isBase64Pdf(source: unknown): boolean {
  return (
    isRecord(source) && source["type"] === "base64" && source["media_type"] === "application/pdf"
  );
}

/** The path of the first cache_control with `scope` or `ttl`, in system, messages or tools. */
function findCacheControlExtra(body: Record<string, unknown>): string | undefined {
  const visit = (value: unknown, path: string): string | undefined => {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) {
        const found = visit(item, `${path}.${index}`);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    if (!isRecord(value)) return undefined;
    const cacheControl = value["cache_control"];
    if (isRecord(cacheControl)) {
      for (const extra of ["scope", "ttl"]) {
        if (extra in cacheControl) return `${path}.cache_control.${extra}`;
      }
    }
    return visit(value["content"], `${path}.content`);
  };
  for (const key of ["system", "messages", "tools"]) {
    const found = visit(body[key], key);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function anthropicError(message: string): FakeResponse {
  return jsonResponse(
    400,
    { type: "error", error: { type: "invalid_request_error", message } },
    APPLICATION_JSON,
  );
}
