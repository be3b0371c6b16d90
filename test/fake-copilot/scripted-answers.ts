import type {
  ScriptedAnswer,
  ScriptedMatch,
  ScriptedRefusal,
  ScriptedRoute,
} from "./fake-copilot-types.js";
import { isRecord } from "./fake-state.js";

/** One answer a test queued with scriptNext(), waiting for the request it matches. */
export interface QueuedScriptedAnswer {
  readonly route: ScriptedRoute;
  readonly answer: ScriptedAnswer | ScriptedRefusal;
  readonly match: ScriptedMatch;
}

/**
 * Takes the first queued answer for this route whose match fits the request body, so an agent's
 * side requests (a title, a quota probe on a small model, a request without tools) do not use
 * up the answer meant for its main turn. Nothing queued or nothing fitting: undefined, and the
 * route answers as it always does.
 */
export function takeScriptedAnswer(
  queue: QueuedScriptedAnswer[],
  route: ScriptedRoute,
  body: Record<string, unknown>,
): ScriptedAnswer | undefined {
  const index = queue.findIndex(
    (queued) =>
      queued.route === route && !("refuse" in queued.answer) && matchesRequest(queued.match, body),
  );
  const queued = queue[index];
  if (queued === undefined || "refuse" in queued.answer) return undefined;
  queue.splice(index, 1);
  return queued.answer;
}

/**
 * Before the route runs: when the first queued entry that fits this request is a scripted
 * refusal, takes it (an answer queued ahead of it is left for its own request).
 */
export function takeScriptedRefusal(
  queue: QueuedScriptedAnswer[],
  route: string,
  body: Record<string, unknown>,
): ScriptedRefusal | undefined {
  const index = queue.findIndex(
    (queued) => queued.route === route && matchesRequest(queued.match, body),
  );
  const queued = queue[index];
  if (queued === undefined || !("refuse" in queued.answer)) return undefined;
  queue.splice(index, 1);
  return queued.answer;
}

function matchesRequest(match: ScriptedMatch, body: Record<string, unknown>): boolean {
  if (match.model !== undefined && body["model"] !== match.model) return false;
  if (match.tool !== undefined && !offeredToolNames(body["tools"]).includes(match.tool)) {
    return false;
  }
  return true;
}

/**
 * The tool names a request offers, in all three wire formats: chat `{function:{name}}`,
 * Messages and Responses `{name}`, and Responses `namespace` tools with their nested `tools`.
 */
export function offeredToolNames(tools: unknown): string[] {
  if (!Array.isArray(tools)) return [];
  return tools.filter(isRecord).flatMap((tool): string[] => {
    const fn = tool["function"];
    if (isRecord(fn) && typeof fn["name"] === "string") return [fn["name"]];
    const nested = tool["type"] === "namespace" ? offeredToolNames(tool["tools"]) : [];
    return typeof tool["name"] === "string" ? [tool["name"], ...nested] : nested;
  });
}

/** A scripted tool call's arguments as the JSON text every wire format carries. */
export function argumentsTextOf(call: { arguments: Record<string, unknown> | string }): string {
  return typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments);
}
