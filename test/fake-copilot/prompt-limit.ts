import type { FakeResponse } from "./fake-response.js";
import { textResponse } from "./fake-response.js";
import type { FakeModel, FakeState } from "./fake-state.js";

/**
 * Copilot refuses a prompt longer than the model's max_prompt_tokens before running it, with a
 * 400 whose JSON (sent as text/plain, like its other 400s) says
 * "prompt token count of N exceeds the limit of M" (docs/upstream-protocol.md, 2026 changes).
 * Counts are the fake's own (one token per word); a test sets small limits with the
 * `maxPromptTokens` option.
 */
export function checkPromptLimit(
  state: FakeState,
  model: FakeModel,
  promptTokens: number,
): FakeResponse | undefined {
  const limit = state.maxPromptTokens[model.id] ?? model.maxPromptTokens;
  if (limit === undefined || promptTokens <= limit) return undefined;
  const error = {
    message: `prompt token count of ${promptTokens} exceeds the limit of ${limit}`,
    code: "model_max_prompt_tokens_exceeded",
  };
  return textResponse(400, `${JSON.stringify({ error })}\n`);
}
