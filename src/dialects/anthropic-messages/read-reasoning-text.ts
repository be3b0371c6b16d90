type MaybeText = string | null | undefined;

/** The reasoning text of a message or delta, whichever of the fields in use carries it. */
export function readReasoningText(fields: {
  readonly reasoning_content?: MaybeText;
  readonly reasoning_text?: MaybeText;
  readonly cot_summary?: MaybeText;
}): string {
  return firstNonEmpty(fields.reasoning_content, fields.reasoning_text, fields.cot_summary);
}

/** The first value that is a non-empty string, else "". */
export function firstNonEmpty(...values: readonly MaybeText[]): string {
  for (const value of values) if (typeof value === "string" && value !== "") return value;
  return "";
}
