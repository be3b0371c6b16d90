import { randomUUID } from "node:crypto";

/** Anthropic message ids start with `msg_`; Copilot's Claude ids already do (`msg_bdrk_…`). */
export function toAnthropicMessageId(id: string | undefined): string {
  if (id === undefined || id === "") return `msg_${randomUUID().replaceAll("-", "")}`;
  return id.startsWith("msg_") ? id : `msg_${id}`;
}
