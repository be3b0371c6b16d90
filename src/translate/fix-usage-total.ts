import { isJsonObject } from "./is-json-object.js";

/**
 * Copilot's Claude answers may report `total_tokens: 0` (or none) beside real prompt and
 * completion counts; clients that bill by the total would see nothing used.
 */
export function fixUsageTotal(usage: unknown): unknown {
  if (!isJsonObject(usage)) return usage;
  const prompt = usage.prompt_tokens;
  const completion = usage.completion_tokens;
  if (typeof prompt !== "number" || typeof completion !== "number") return usage;
  if (typeof usage.total_tokens === "number" && usage.total_tokens > 0) return usage;
  return { ...usage, total_tokens: prompt + completion };
}
