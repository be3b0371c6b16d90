import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { renderOptionsMarkdownTable } from "../src/config/options.js";
import { markdownTableCells } from "./markdown-table-cells.js";

it("README's configuration table lists exactly the options the code has", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const block = /<!-- options:start -->\n([\s\S]*?)\n<!-- options:end -->/.exec(readme)?.[1] ?? "";
  expect(markdownTableCells(block)).toEqual(markdownTableCells(renderOptionsMarkdownTable()));
});
