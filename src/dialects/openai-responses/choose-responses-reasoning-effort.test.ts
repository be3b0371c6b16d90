import { describe, expect, it } from "vitest";
import { chooseResponsesReasoningEffort } from "./choose-responses-reasoning-effort.js";

describe("chooseResponsesReasoningEffort", () => {
  const cases: [string, string | null | undefined, string[] | undefined, unknown, string[]][] = [
    ["no effort asked", undefined, ["low", "medium", "high"], undefined, []],
    ["a null effort", null, ["low", "medium", "high"], undefined, []],
    ["an offered effort", "high", ["low", "medium", "high"], "high", []],
    [
      "an effort above the offered ones: the most offered below it",
      "xhigh",
      ["low", "medium", "high"],
      "high",
      ['reasoning.effort "xhigh" is not offered by gpt-5-mini; "high" was sent'],
    ],
    [
      "an effort below the offered ones: the least offered",
      "minimal",
      ["low", "medium", "high"],
      "low",
      ['reasoning.effort "minimal" is not offered by gpt-5-mini; "low" was sent'],
    ],
    ["none, when the model offers it", "none", ["none", "low", "medium"], "none", []],
    [
      "an unknown effort: the least offered",
      "extreme",
      ["medium", "high"],
      "medium",
      ['reasoning.effort "extreme" is not offered by gpt-5-mini; "medium" was sent'],
    ],
    [
      "a model that takes no effort",
      "high",
      undefined,
      undefined,
      [
        'reasoning.effort "high" was dropped: gpt-5-mini takes no reasoning effort through Chat Completions',
      ],
    ],
    ["none, for a model that takes no effort", "none", [], undefined, []],
  ];
  it.each(cases)("%s", (_name, wanted, offered, expected, expectedWarnings) => {
    const warnings: string[] = [];
    expect(chooseResponsesReasoningEffort(wanted, "gpt-5-mini", offered, warnings)).toBe(expected);
    expect(warnings).toEqual(expectedWarnings);
  });
});
