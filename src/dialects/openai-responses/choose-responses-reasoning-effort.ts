// From least to most effort. "none" (no reasoning at all) is a Responses value for GPT-5.1 and later.
const EFFORT_SCALE = ["none", "minimal", "low", "medium", "high", "xhigh", "max"] as const;

/**
 * `reasoning.effort` as a Chat Completions `reasoning_effort`, clamped to what the model lists
 * (Copilot's `/models` `capabilities.supports.reasoning_effort`): the most effort offered that
 * does not exceed the wanted one, else the least offered. A model that lists none gets none.
 */
export function chooseResponsesReasoningEffort(
  wanted: string | null | undefined,
  model: string,
  reasoningEfforts: readonly string[] | undefined,
  warnings: string[],
): string | undefined {
  if (wanted === undefined || wanted === null || wanted === "") return undefined;
  const offered: string[] = EFFORT_SCALE.filter(
    (effort) => reasoningEfforts?.includes(effort) === true,
  );
  if (offered.length === 0) {
    // A model that takes no effort does not reason: asking for none is already met.
    if (wanted !== "none") {
      warnings.push(
        `reasoning.effort "${wanted}" was dropped: ${model} takes no reasoning effort through Chat Completions`,
      );
    }
    return undefined;
  }
  if (offered.includes(wanted)) return wanted;
  const rank = rankOfEffort(wanted);
  const lower = rank < 0 ? [] : offered.filter((effort) => rankOfEffort(effort) < rank);
  const chosen = lower.at(-1) ?? offered[0] ?? wanted;
  warnings.push(`reasoning.effort "${wanted}" is not offered by ${model}; "${chosen}" was sent`);
  return chosen;
}

function rankOfEffort(effort: string): number {
  return (EFFORT_SCALE as readonly string[]).indexOf(effort);
}
