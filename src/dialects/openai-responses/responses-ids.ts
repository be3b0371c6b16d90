import { randomUUID } from "node:crypto";

/** A Response id in OpenAI's `resp_…` form, for answers CoGPT builds itself. */
export function createResponseId(): string {
  return `resp_${randomUUID().replaceAll("-", "")}`;
}

/**
 * The id of one output item (`msg_…`, `fc_…`, `rs_…`): derived from the response id and the
 * item's place in `output`, so that it is unique and stable without another random source.
 */
export function toResponsesItemId(
  responseId: string,
  prefix: "msg" | "fc" | "rs" | "call",
  outputIndex: number,
): string {
  const base = responseId.startsWith("resp_") ? responseId.slice("resp_".length) : responseId;
  return `${prefix}_${base}_${outputIndex}`;
}
