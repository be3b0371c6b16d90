import type { CopilotModel } from "../protocols/copilot.js";

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

export function toOpenAIModel(model: CopilotModel): OpenAIModel {
  const { id, object: _object, ...metadata } = model;
  return {
    ...metadata,
    id,
    object: "model",
    // Copilot gives no creation date; 0 keeps the field numeric as clients expect.
    created: 0,
    owned_by: model.vendor ?? "github-copilot",
  };
}
