import type { AnthropicMessagesRequest } from "../../protocols/anthropic/messages-request.js";

// From least to most effort; efforts a model lists outside this scale ("none") are never chosen
// for a request that asks for thinking.
const EFFORT_SCALE = ["minimal", "low", "medium", "high", "xhigh", "max"] as const;

/**
 * Anthropic's thinking budget as a Chat Completions `reasoning_effort`: under 4096 tokens "low",
 * under 16384 "medium", else "high". An explicit `output_config.effort` wins over the budget.
 * The effort is clamped to what the model lists (Copilot's `/models`
 * `capabilities.supports.reasoning_effort`); a model that lists none gets no effort.
 */
export function chooseReasoningEffort(
  request: Pick<AnthropicMessagesRequest, "thinking" | "output_config">,
  model: string,
  reasoningEfforts: readonly string[] | undefined,
  warnings: string[],
): string | undefined {
  const wanted = wantedEffort(request);
  if (wanted === undefined) return undefined;
  const offered: string[] = EFFORT_SCALE.filter(
    (effort) => reasoningEfforts?.includes(effort) === true,
  );
  if (offered.length === 0) {
    warnings.push(
      `thinking (effort "${wanted}") was dropped: ${model} takes no reasoning effort through Chat Completions`,
    );
    return undefined;
  }
  const chosen = clampEffort(wanted, offered);
  if (chosen !== wanted) {
    warnings.push(`reasoning effort "${wanted}" is not offered by ${model}; "${chosen}" was sent`);
  }
  return chosen;
}

function wantedEffort(
  request: Pick<AnthropicMessagesRequest, "thinking" | "output_config">,
): string | undefined {
  const explicit = request.output_config?.effort;
  if (typeof explicit === "string" && explicit !== "") return explicit;
  const thinking = request.thinking;
  if (thinking === undefined) return undefined;
  switch (thinking.type) {
    case "enabled":
      return effortOfBudget(thinking.budget_tokens);
    // Adaptive thinking leaves the depth to the model, which is what sending no effort does.
    case "adaptive":
    case "between_tools":
    case "disabled":
      return undefined;
    default: {
      const unhandled: never = thinking;
      return unhandled;
    }
  }
}

export function effortOfBudget(budgetTokens: number): "low" | "medium" | "high" {
  if (budgetTokens < 4096) return "low";
  if (budgetTokens < 16384) return "medium";
  return "high";
}

/** The most effort offered that does not exceed the wanted one; else the least offered. */
function clampEffort(wanted: string, offered: readonly string[]): string {
  if (offered.includes(wanted)) return wanted;
  const rank = rankOfEffort(wanted);
  const lower = rank < 0 ? [] : offered.filter((effort) => rankOfEffort(effort) < rank);
  return lower.at(-1) ?? offered[0] ?? wanted;
}

function rankOfEffort(effort: string): number {
  return (EFFORT_SCALE as readonly string[]).indexOf(effort);
}
