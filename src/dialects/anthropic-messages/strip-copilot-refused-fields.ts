import { InvalidRequestError } from "../../errors.js";
import type { ThinkingSignatures } from "../dialect.js";

/*
 * What Copilot's /v1/messages refuses although Anthropic's API takes it, and Claude Code sends
 * (docs/upstream-protocol.md, 2026 changes). Each function edits a parsed request body in place
 * and returns one note per kind of change, for a debug log line: it names what was removed,
 * never content.
 */

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The `cache_control` fields Copilot refuses ("Extra inputs are not permitted"). */
const CACHE_CONTROL_EXTRAS = ["scope", "ttl"] as const;

/**
 * Removes `cache_control.scope` and `cache_control.ttl` wherever a `cache_control` appears: the
 * system blocks, the messages' blocks (and the blocks nested in them, such as a tool result's),
 * and the tools. The cache breakpoint itself (`type: "ephemeral"`) stays.
 */
export function stripCacheControlExtras(body: JsonObject): string[] {
  const removed = { scope: 0, ttl: 0 };
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isObject(value)) return;
    const cacheControl = value["cache_control"];
    if (isObject(cacheControl)) {
      for (const extra of CACHE_CONTROL_EXTRAS) {
        if (extra in cacheControl) {
          delete cacheControl[extra];
          removed[extra]++;
        }
      }
    }
    visit(value["content"]);
  };
  visit(body["system"]);
  visit(body["messages"]);
  visit(body["tools"]);
  return CACHE_CONTROL_EXTRAS.filter((extra) => removed[extra] > 0).map(
    (extra) => `removed cache_control.${extra} from ${countOf(removed[extra], "block")}`,
  );
}

/** Removes the per-tool `strict` flag, which Copilot refuses. */
export function stripToolStrict(body: JsonObject): string[] {
  const tools = Array.isArray(body["tools"]) ? body["tools"] : [];
  const names: string[] = [];
  for (const tool of tools) {
    if (isObject(tool) && "strict" in tool) {
      delete tool["strict"];
      names.push(typeof tool["name"] === "string" ? tool["name"] : "(unnamed)");
    }
  }
  return names.length === 0 ? [] : [`removed strict from ${countOf(names.length, "tool")}`];
}

/**
 * Refuses a document whose source Copilot cannot take: it reads PDFs sent as base64 only, and
 * fetches no URL and knows no Files API id. A 400 naming the block beats Copilot's refusal.
 */
export function refuseUnsupportedDocuments(body: JsonObject): void {
  const messages = Array.isArray(body["messages"]) ? body["messages"] : [];
  const check = (blocks: unknown, path: string): void => {
    if (!Array.isArray(blocks)) return;
    blocks.forEach((block, index) => {
      if (!isObject(block)) return;
      const where = `${path}.${index}`;
      if (block["type"] === "tool_result") check(block["content"], `${where}.content`);
      if (block["type"] !== "document") return;
      const source = isObject(block["source"]) ? block["source"]["type"] : undefined;
      if (source === "url" || source === "file") {
        throw new InvalidRequestError(
          `${where}: a document with a ${source} source cannot be sent to Copilot's /v1/messages, ` +
            "which reads PDFs sent as base64 only; send the file's bytes as a base64 source",
          { param: `${where}.source` },
        );
      }
    });
  };
  messages.forEach((message, index) => {
    if (isObject(message)) check(message["content"], `messages.${index}.content`);
  });
}

/**
 * Drops the thinking blocks Copilot would refuse with "Invalid signature in thinking block":
 * those this gateway saw made by another model or account (after a model switch), and those
 * without a signature (no model made them). Unknown signatures are kept: the client may hold
 * them legitimately (another gateway process, a log), and Copilot is the judge of those. An
 * assistant message left with no content goes too, since an empty message is refused.
 */
export function dropForeignThinkingBlocks(
  body: JsonObject,
  modelId: string,
  signatures: ThinkingSignatures | undefined,
): string[] {
  if (!Array.isArray(body["messages"])) return [];
  let foreign = 0;
  let unsigned = 0;
  let emptied = 0;
  const kept = body["messages"].filter((message) => {
    if (!isObject(message) || !Array.isArray(message["content"])) return true;
    const blocks = message["content"] as unknown[];
    const remaining = blocks.filter((block) => {
      const signature = signatureOf(block);
      if (signature === undefined) return true;
      if (signature === "") unsigned++;
      else if (signatures?.isForeign(signature, modelId) === true) foreign++;
      else return true;
      return false;
    });
    if (remaining.length === blocks.length) return true;
    message["content"] = remaining;
    if (remaining.length > 0) return true;
    emptied++;
    return false;
  });
  body["messages"] = kept;
  const notes: string[] = [];
  if (foreign > 0) {
    notes.push(`dropped ${countOf(foreign, "thinking block")} signed by another model or account`);
  }
  if (unsigned > 0)
    notes.push(`dropped ${countOf(unsigned, "thinking block")} without a signature`);
  if (emptied > 0) notes.push(`dropped ${countOf(emptied, "message")} left empty`);
  return notes;
}

/** A thinking block's signature ("" when it has none); undefined for any other block. */
function signatureOf(block: unknown): string | undefined {
  if (!isObject(block)) return undefined;
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  switch (block["type"]) {
    case "thinking":
      return text(block["signature"]);
    case "redacted_thinking":
      return text(block["data"]);
    default:
      return undefined;
  }
}

function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
