import type { CopilotModel } from "../protocols/copilot.js";

/** The reasoning efforts a model accepts (`capabilities.supports.reasoning_effort`), if any. */
export function reasoningEffortsOf(model: CopilotModel): readonly string[] | undefined {
  const supports = model.capabilities?.supports as { reasoning_effort?: unknown } | undefined;
  const efforts = supports?.reasoning_effort;
  return Array.isArray(efforts)
    ? efforts.filter((effort): effort is string => typeof effort === "string")
    : undefined;
}

/** OpenAI's reasoning models refuse `max_tokens` and want `max_completion_tokens`. */
export function prefersMaxCompletionTokens(model: CopilotModel): boolean {
  return /^(o\d|gpt-5)/.test(model.id);
}
