import { UpstreamError } from "../errors.js";

/**
 * How many whitespace characters in a row, with nothing else, a tool call's arguments may hold
 * before the call is taken to have degenerated. Copilot's models sometimes keep sending
 * whitespace-only argument deltas until `max_output_tokens` (docs/upstream-protocol.md, 2026
 * changes): minutes of streaming and tokens for a call that can never be valid.
 */
export const DEGENERATE_WHITESPACE_LIMIT = 2000;

export interface WhitespaceRunGuard {
  /**
   * One argument delta of the call at `key` (an output index, a tool index). Throws an
   * UpstreamError (code `degenerate_tool_call`) once that call's arguments end in
   * `limit` whitespace characters in a row.
   */
  push(key: number, delta: string, toolName?: string): void;
}

const ALL_WHITESPACE = /^\s*$/;
const TRAILING_WHITESPACE = /\s*$/;

/** Watches the argument deltas of every tool call of one streamed answer. */
export function createWhitespaceRunGuard(limit = DEGENERATE_WHITESPACE_LIMIT): WhitespaceRunGuard {
  const runs = new Map<number, number>();
  return {
    push(key, delta, toolName) {
      if (delta === "") return;
      const run = ALL_WHITESPACE.test(delta)
        ? (runs.get(key) ?? 0) + delta.length
        : (TRAILING_WHITESPACE.exec(delta)?.[0].length ?? 0);
      runs.set(key, run);
      if (run < limit) return;
      const named =
        toolName === undefined || toolName === "" ? "A tool call" : `The tool call "${toolName}"`;
      throw new UpstreamError(
        502,
        `${named} degenerated into whitespace (${limit} whitespace characters in a row with nothing else): the answer was cut instead of streaming until max_output_tokens; try again`,
        { code: "degenerate_tool_call" },
      );
    },
  };
}
