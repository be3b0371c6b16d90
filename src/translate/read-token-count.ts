import { isJsonObject } from "./is-json-object.js";

/** The count at `path` inside a parsed answer (`usage.prompt_tokens_details.cached_tokens`), or 0. */
export function readTokenCount(value: unknown, ...path: readonly string[]): number {
  let node = value;
  for (const key of path) {
    if (!isJsonObject(node)) return 0;
    node = node[key];
  }
  return typeof node === "number" && Number.isFinite(node) && node > 0 ? node : 0;
}
