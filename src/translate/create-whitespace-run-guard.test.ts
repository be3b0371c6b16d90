import { describe, expect, it } from "vitest";
import { UpstreamError } from "../errors.js";
import {
  createWhitespaceRunGuard,
  DEGENERATE_WHITESPACE_LIMIT,
} from "./create-whitespace-run-guard.js";

describe("createWhitespaceRunGuard", () => {
  it("is 2,000 characters by default", () => {
    expect(DEGENERATE_WHITESPACE_LIMIT).toBe(2000);
  });

  it("cuts a call whose arguments end in the limit of whitespace, counted across deltas", () => {
    const guard = createWhitespaceRunGuard(10);
    guard.push(0, '{"');
    guard.push(0, " \n \n");
    guard.push(0, "\t    ");
    expect(() => guard.push(0, " ", "exec_command")).toThrow(
      new UpstreamError(
        502,
        'The tool call "exec_command" degenerated into whitespace (10 whitespace characters in a row with nothing else): the answer was cut instead of streaming until max_output_tokens; try again',
        { code: "degenerate_tool_call" },
      ),
    );
  });

  it("starts counting again after anything else, and counts each call apart", () => {
    const guard = createWhitespaceRunGuard(10);
    guard.push(0, "x     ");
    guard.push(0, "   ");
    guard.push(0, '"a"  ');
    guard.push(0, "       ");
    guard.push(1, "         ");
    expect(() => guard.push(0, " ")).toThrow("A tool call degenerated into whitespace");
    expect(() => guard.push(1, "")).not.toThrow();
  });

  it("lets a whole legitimate argument text through, pretty-printed or not", () => {
    const guard = createWhitespaceRunGuard();
    const pretty = JSON.stringify(
      { cmd: "ls", list: Array.from({ length: 300 }, (_, i) => i) },
      null,
      8,
    );
    for (const piece of pretty.match(/[\s\S]{1,7}/g) ?? []) guard.push(0, piece);
    expect(pretty.length).toBeGreaterThan(2000);
  });
});
