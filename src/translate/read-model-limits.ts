import type { CopilotModel } from "../protocols/copilot.js";

/** A model's token limits as clients need them; a limit Copilot does not give is undefined. */
export interface ModelLimits {
  /** Prompt and answer together. */
  readonly contextWindow: number | undefined;
  /** The longest prompt Copilot accepts (it refuses a longer one before running it). */
  readonly maxInputTokens: number | undefined;
  readonly maxOutputTokens: number | undefined;
}

/**
 * Reads `capabilities.limits` of Copilot's model list. Copilot's `max_context_window_tokens` can
 * be more than its prompt and output limits allow together (gpt-5-mini: a 264,000 window, but
 * 128,000 prompt + 64,000 output), so the window a client can use is the smaller of the two:
 * an agent that compacts at a share of the window then compacts before Copilot refuses.
 */
export function readModelLimits(model: CopilotModel): ModelLimits {
  const limits = model.capabilities?.limits ?? {};
  const window = positiveInteger(limits["max_context_window_tokens"]);
  const maxInputTokens = positiveInteger(limits["max_prompt_tokens"]);
  const maxOutputTokens = positiveInteger(limits["max_output_tokens"]);
  const usable =
    maxInputTokens === undefined || maxOutputTokens === undefined
      ? undefined
      : maxInputTokens + maxOutputTokens;
  const contextWindow =
    window === undefined ? usable : usable === undefined ? window : Math.min(window, usable);
  return { contextWindow, maxInputTokens, maxOutputTokens };
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}
