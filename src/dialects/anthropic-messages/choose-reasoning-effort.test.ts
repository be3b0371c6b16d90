import { describe, expect, it } from "vitest";
import { chooseReasoningEffort, effortOfBudget } from "./choose-reasoning-effort.js";

describe("effortOfBudget", () => {
  const cases: [number, string][] = [
    [1024, "low"],
    [4095, "low"],
    [4096, "medium"],
    [16383, "medium"],
    [16384, "high"],
    [128000, "high"],
  ];
  it.each(cases)("%i → %s", (budget, effort) => {
    expect(effortOfBudget(budget)).toBe(effort);
  });
});

describe("chooseReasoningEffort", () => {
  const enabled = (budget_tokens: number) => ({
    thinking: { type: "enabled" as const, budget_tokens },
  });
  const cases: [
    string,
    Parameters<typeof chooseReasoningEffort>[0],
    string[] | undefined,
    unknown,
  ][] = [
    ["no thinking", {}, ["low"], [undefined, []]],
    ["offered as is", enabled(20000), ["low", "medium", "high"], ["high", []]],
    [
      "high clamped down to medium",
      enabled(20000),
      ["low", "medium"],
      ["medium", ['reasoning effort "high" is not offered by m; "medium" was sent']],
    ],
    [
      "low clamped up when nothing lower is offered",
      enabled(1024),
      ["medium", "high"],
      ["medium", ['reasoning effort "low" is not offered by m; "medium" was sent']],
    ],
    [
      '"none" is never chosen for a thinking request',
      enabled(1024),
      ["none"],
      [
        undefined,
        [
          'thinking (effort "low") was dropped: m takes no reasoning effort through Chat Completions',
        ],
      ],
    ],
    [
      "an explicit effort the scale does not know: the least offered",
      { output_config: { effort: "turbo" } },
      ["low", "high"],
      ["low", ['reasoning effort "turbo" is not offered by m; "low" was sent']],
    ],
    [
      "an explicit xhigh, offered",
      { output_config: { effort: "xhigh" } },
      ["high", "xhigh"],
      ["xhigh", []],
    ],
  ];
  it.each(cases)("%s", (_name, request, efforts, expected) => {
    const warnings: string[] = [];
    expect([chooseReasoningEffort(request, "m", efforts, warnings), warnings]).toEqual(expected);
  });
});
