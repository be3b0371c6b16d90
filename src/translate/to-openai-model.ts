import type { CopilotModel } from "../protocols/copilot.js";
import { readModelLimits } from "./read-model-limits.js";

/**
 * An OpenAI model object (`id`, `object`, `created`, `owned_by`) that keeps Copilot's metadata
 * as extra fields. https://platform.openai.com/docs/api-reference/models/object
 */
export interface OpenAIModel {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
  [extra: string]: unknown;
}

/**
 * OpenAI's model object has no limits, so each ecosystem reads its own fields: `context_window`
 * (Codex's model info), `context_length` and `top_provider` (OpenRouter's model list, which many
 * OpenAI-compatible clients read), `max_input_tokens` / `max_output_tokens` (LiteLLM's model
 * info) and `max_completion_tokens` (OpenRouter's name for the output cap). All carry the same
 * numbers (see `readModelLimits`); a limit Copilot does not give is left out.
 */
export function toOpenAIModel(model: CopilotModel): OpenAIModel {
  const { id, object: _object, ...metadata } = model;
  const limits = readModelLimits(model);
  const out: OpenAIModel = {
    ...metadata,
    id,
    object: "model",
    // Copilot gives no creation date; 0 keeps the field numeric as clients expect.
    created: 0,
    owned_by: model.vendor ?? "github-copilot",
  };
  if (limits.contextWindow !== undefined) {
    out.context_window = limits.contextWindow;
    out.context_length = limits.contextWindow;
  }
  if (limits.maxInputTokens !== undefined) out.max_input_tokens = limits.maxInputTokens;
  if (limits.maxOutputTokens !== undefined) {
    out.max_output_tokens = limits.maxOutputTokens;
    out.max_completion_tokens = limits.maxOutputTokens;
  }
  if (limits.contextWindow !== undefined || limits.maxOutputTokens !== undefined) {
    out.top_provider = {
      context_length: limits.contextWindow ?? null,
      max_completion_tokens: limits.maxOutputTokens ?? null,
    };
  }
  return out;
}
