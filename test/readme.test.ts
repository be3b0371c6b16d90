import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { renderOptionsMarkdownTable } from "../src/config/options.js";

/** Table cells, so that Prettier's column alignment does not matter. */
function cells(table: string): string[][] {
  return table
    .trim()
    .split("\n")
    .filter((line) => !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .replace(/^\||\|$/g, "")
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

it("README's configuration table lists exactly the options the code has", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const block = /<!-- options:start -->\n([\s\S]*?)\n<!-- options:end -->/.exec(readme)?.[1] ?? "";
  expect(cells(block)).toEqual(cells(renderOptionsMarkdownTable()));
});
