import { randomUUID } from "node:crypto";

/** An id in OpenAI's `chatcmpl-…` form, for answers that arrive without one. */
export function createChatCompletionId(): string {
  return `chatcmpl-${randomUUID().replaceAll("-", "")}`;
}
