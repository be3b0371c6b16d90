import { isJsonObject } from "./is-json-object.js";

/**
 * Renumbers the streamed `delta.tool_calls` of ONE choice so that every call has its own index.
 *
 * Claude through Copilot sends parallel tool calls all with `"index":0`, told apart only by a
 * new `id`; clients that merge deltas by index (the openai SDK, vercel/ai) would glue the calls
 * together. A delta with a new id starts a call: it keeps its upstream index while that is
 * free, else takes the next one. A delta without an id continues the call last started at its
 * upstream index, so well-behaved OpenAI streams keep their indexes unchanged.
 */
export function createToolCallIndexer(): (toolCalls: readonly unknown[]) => unknown[] {
  const indexById = new Map<string, number>();
  const indexByUpstreamIndex = new Map<number, number>();
  const usedIndexes = new Set<number>();
  let nextIndex = 0;

  function assignIndex(upstreamIndex: number, id: string | undefined): number {
    const current = indexByUpstreamIndex.get(upstreamIndex);
    if (id === undefined) return current ?? upstreamIndex;
    const known = indexById.get(id);
    if (known !== undefined) return known;
    const isTaken = current !== undefined || usedIndexes.has(upstreamIndex);
    const index = isTaken ? nextIndex : upstreamIndex;
    indexById.set(id, index);
    return index;
  }

  return (toolCalls) =>
    toolCalls.map((toolCall) => {
      if (!isJsonObject(toolCall)) return toolCall;
      const upstreamIndex = typeof toolCall.index === "number" ? toolCall.index : 0;
      const id = typeof toolCall.id === "string" && toolCall.id !== "" ? toolCall.id : undefined;
      const index = assignIndex(upstreamIndex, id);
      indexByUpstreamIndex.set(upstreamIndex, index);
      usedIndexes.add(index);
      nextIndex = Math.max(nextIndex, index + 1);
      return toolCall.index === index ? toolCall : { ...toolCall, index };
    });
}
