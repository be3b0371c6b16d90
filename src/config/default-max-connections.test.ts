import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultMaxConnections } from "./default-max-connections.js";

function limitsFile(openFiles: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "cogpt-limits-")), "limits");
  writeFileSync(
    path,
    [
      "Limit                     Soft Limit           Hard Limit           Units     ",
      "Max processes             127431               127431               processes ",
      `Max open files            ${openFiles}                20000                files     `,
      "Max locked memory         8388608              8388608              bytes     ",
    ].join("\n"),
  );
  return path;
}

describe("defaultMaxConnections", () => {
  it.each([
    ["20000", 9968],
    ["1024", 480],
    ["100", 18],
    ["64", 16],
    ["unlimited", 16384],
  ])("open-file limit %s → %i connections", (openFiles, expected) => {
    expect(defaultMaxConnections(limitsFile(openFiles))).toBe(expected);
  });

  it("falls back to 4096 where the limit cannot be read", () => {
    expect(defaultMaxConnections("/nonexistent/limits")).toBe(4096);
  });
});
