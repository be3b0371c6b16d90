import type { CopilotModel } from "../../protocols/copilot.js";
import { readModelLimits } from "../../translate/read-model-limits.js";

/**
 * A model in Anthropic's Models API shape, with the limits it added in 2026: `max_input_tokens`
 * (the longest prompt) and `max_tokens` (the output cap), the fields Claude Code's model cache
 * reads. https://docs.anthropic.com/en/api/models-list
 */
export interface AnthropicModel {
  type: "model";
  id: string;
  display_name: string;
  created_at: string;
  max_input_tokens?: number;
  max_tokens?: number;
}

/** Copilot gives no release date; the epoch keeps `created_at` an RFC 3339 time as clients parse. */
const UNKNOWN_DATE = "1970-01-01T00:00:00Z";

export function toAnthropicModel(model: CopilotModel): AnthropicModel {
  const limits = readModelLimits(model);
  const out: AnthropicModel = {
    type: "model",
    id: model.id,
    display_name: model.name ?? model.id,
    created_at: UNKNOWN_DATE,
  };
  if (limits.maxInputTokens !== undefined) out.max_input_tokens = limits.maxInputTokens;
  if (limits.maxOutputTokens !== undefined) out.max_tokens = limits.maxOutputTokens;
  return out;
}
