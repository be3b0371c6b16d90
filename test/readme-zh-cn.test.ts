import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPTIONS, renderOptionsMarkdownTable } from "../src/config/options.js";
import { markdownTableCells } from "./markdown-table-cells.js";

// README.zh-CN.md is a translation of README.md. These checks keep the two in step: the same
// sections in the same order, the same code (code is never translated), and the configuration
// table listing exactly what the code has. Prose is free to differ.

interface Section {
  /** The heading line, e.g. "### `cogpt usage`". */
  heading: string;
  level: number;
  /** Inline code in the heading: what anchors and readers key on, never translated. */
  headingCode: string[];
  /** Fenced code blocks between this heading and the next, fences included. */
  codeBlocks: string[];
}

function readme(name: string): string {
  return readFileSync(new URL(`../${name}`, import.meta.url), "utf8");
}

/** Splits Markdown into sections at headings outside fenced code (a `# comment` in a shell block is not one). */
function sections(markdown: string): Section[] {
  const result: Section[] = [];
  let fence: { marker: string; lines: string[] } | undefined;
  for (const line of markdown.split("\n")) {
    const fenceMatch = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      fence.lines.push(line);
      if (fenceMatch?.[1]?.startsWith(fence.marker) === true && line.trim() === fenceMatch[1]) {
        result.at(-1)?.codeBlocks.push(fence.lines.join("\n"));
        fence = undefined;
      }
      continue;
    }
    if (fenceMatch?.[1] !== undefined) {
      fence = { marker: fenceMatch[1], lines: [line] };
      continue;
    }
    const heading = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading?.[1] !== undefined && heading[2] !== undefined) {
      result.push({
        heading: line,
        level: heading[1].length,
        headingCode: [...heading[2].matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? ""),
        codeBlocks: [],
      });
    }
  }
  return result;
}

/** GitHub's heading anchor: lower case, punctuation (CJK punctuation too) dropped, spaces to hyphens. */
function slug(headingText: string): string {
  return headingText
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
    .replaceAll(" ", "-");
}

function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const section of sections(markdown)) {
    const base = slug(section.heading.replace(/^#+\s+/, ""));
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

function optionsTable(markdown: string): string {
  return /<!-- options:start -->\n([\s\S]*?)\n<!-- options:end -->/.exec(markdown)?.[1] ?? "";
}

const english = readme("README.md");
const chinese = readme("README.zh-CN.md");

describe("README.zh-CN.md follows README.md", () => {
  it("has the same headings, level by level, in the same order", () => {
    expect(sections(chinese).map((section) => section.level)).toEqual(
      sections(english).map((section) => section.level),
    );
  });

  it("keeps each heading's inline code (command names) as in English", () => {
    const zh = sections(chinese);
    const pairs = sections(english).map((section, index) => ({
      english: section.heading,
      code: section.headingCode,
      chineseCode: zh[index]?.headingCode,
    }));
    expect(pairs.map((pair) => ({ english: pair.english, code: pair.chineseCode }))).toEqual(
      pairs.map((pair) => ({ english: pair.english, code: pair.code })),
    );
  });

  it("has, section by section, exactly the English fenced code blocks", () => {
    const zh = sections(chinese);
    const en = sections(english);
    expect(zh.length).toBe(en.length);
    en.forEach((section, index) => {
      expect(zh[index]?.codeBlocks, `code blocks under ${section.heading}`).toEqual(
        section.codeBlocks,
      );
    });
  });

  it("lists exactly the options the code has, with the same flags and defaults, in order", () => {
    const expected = markdownTableCells(renderOptionsMarkdownTable()).slice(1);
    const rows = markdownTableCells(optionsTable(chinese));
    expect(rows[0]).toEqual(["环境变量", "命令行参数", "默认值", "说明"]);
    const body = rows.slice(1);
    expect(body.map((row) => row.slice(0, 3))).toEqual(
      expected.map(([names, flag, shown]) => [names, flag, shown === "(empty)" ? "（空）" : shown]),
    );
    expect(body.length).toBe(OPTIONS.length);
    body.forEach((row, index) => {
      const description = row[3] ?? "";
      expect(row.length, `row of ${row[0]}`).toBe(4);
      expect(description, `description of ${row[0]}`).toMatch(/\p{Script=Han}/u);
      expect(description.endsWith("敏感信息：日志中会遮盖。"), `secret note of ${row[0]}`).toBe(
        OPTIONS[index]?.secret === true,
      );
    });
  });

  it("links only to anchors that exist in the Chinese file", () => {
    const targets = [...chinese.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1] ?? "");
    expect(targets.length).toBeGreaterThan(0);
    const known = anchors(chinese);
    expect(targets.filter((target) => !known.has(decodeURIComponent(target)))).toEqual([]);
  });

  it("each README links to the other right under the title", () => {
    expect(english.split("\n").slice(0, 4)).toContain("[简体中文](README.zh-CN.md)");
    expect(chinese.split("\n").slice(0, 4)).toContain("[English](README.md)");
  });
});
