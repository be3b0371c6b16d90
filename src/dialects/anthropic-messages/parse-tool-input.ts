/**
 * Tool call arguments (a JSON text) as an Anthropic `tool_use.input`, which must be an object.
 * Empty arguments mean no arguments: `{}`. Arguments that are not a JSON object (cut off by
 * `max_tokens`, or malformed by the model) are kept, under `invalid_json_arguments`, rather than
 * replaced by `{}`: the client's input validation then fails visibly and the model can retry,
 * where `{}` could run a tool that has no required parameters with none of what the model meant.
 */
export function parseToolInput(argumentsText: string | null | undefined): Record<string, unknown> {
  const text = argumentsText ?? "";
  if (text.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // Falls through to keep the text as it came.
  }
  return { invalid_json_arguments: text };
}
