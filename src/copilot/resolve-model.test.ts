import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixturesDir } from "../../test/fixtures-dir.js";
import { parseModelList } from "./models.js";
import { candidateIds, resolveModel } from "./resolve-model.js";

const models = parseModelList(
  JSON.parse(readFileSync(`${fixturesDir}/models/models.2026-03-28.json`, "utf8")),
);
const noMap = new Map<string, string>();

describe("parseModelList", () => {
  it("drops duplicate ids, keeping the first", () => {
    const ids = models.map((model) => model.id);
    expect(ids.filter((id) => id === "gpt-4")).toEqual(["gpt-4"]);
    expect(ids.filter((id) => id === "gpt-4-o-preview")).toEqual(["gpt-4-o-preview"]);
    expect(ids.length).toBe(39);
  });
  it("skips malformed entries", () => {
    expect(parseModelList({ data: [{ id: "a" }, { name: "no id" }, 7] }).map((m) => m.id)).toEqual([
      "a",
    ]);
  });
});

describe("resolveModel", () => {
  const cases: [string | undefined, string, "chat" | "embeddings"][] = [
    ["gpt-4o", "gpt-4o", "chat"],
    ["GPT-4o", "gpt-4o", "chat"],
    ["claude-sonnet-4-20250514", "claude-sonnet-4", "chat"],
    ["claude-sonnet-4-5", "claude-sonnet-4.5", "chat"],
    ["claude-sonnet-4-5-20250929", "claude-sonnet-4.5", "chat"],
    ["claude-opus-4-5-latest", "claude-opus-4.5", "chat"],
    ["claude-haiku-4-5", "claude-haiku-4.5", "chat"],
    ["gemini-2-5-pro", "gemini-2.5-pro", "chat"],
    ["gpt-4.1-2025-04-14", "gpt-4.1-2025-04-14", "chat"],
    // Claude versions Copilot does not list: the newest of the same family.
    ["claude-3-5-haiku-latest", "claude-haiku-4.5", "chat"],
    ["claude-opus-4-1", "claude-opus-4.6", "chat"],
    ["claude-opus-4-1-20250805", "claude-opus-4.6", "chat"],
    ["claude-3-7-sonnet-20250219", "claude-sonnet-4.6", "chat"],
    ["gpt-3.5-turbo", "gpt-3.5-turbo", "chat"],
    [undefined, "gpt-4.1", "chat"],
    ["", "gpt-4.1", "chat"],
    [undefined, "text-embedding-3-small", "embeddings"],
    ["text-embedding-ada-002", "text-embedding-ada-002", "embeddings"],
  ];
  it.each(cases)("%s → %s", (requested, expected, kind) => {
    expect(resolveModel(requested, models, noMap, kind).id).toBe(expected);
  });

  it("applies MODEL_MAP first, then the rules to its target", () => {
    const map = new Map([
      ["gpt-4", "claude-sonnet-4-5"],
      ["fast", "gpt-5-mini"],
    ]);
    expect(resolveModel("gpt-4", models, map, "chat").id).toBe("claude-sonnet-4.5");
    expect(resolveModel("fast", models, map, "chat").id).toBe("gpt-5-mini");
  });

  it("answers an unknown model with a 400 naming the models of that kind", () => {
    let thrown: unknown;
    try {
      resolveModel("gpt-99", models, noMap, "embeddings");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      status: 400,
      code: "model_not_found",
      param: "model",
      message:
        'The model "gpt-99" does not exist or is not offered to this account. Available embeddings models: text-embedding-3-small, text-embedding-3-small-inference, text-embedding-ada-002',
    });
  });

  it("says so when an account has no model of a kind", () => {
    expect(() => resolveModel(undefined, [], noMap, "chat")).toThrow(
      "No chat model is available for this account",
    );
  });
});

describe("candidateIds", () => {
  it("lists the exact name, then undated, then dotted forms", () => {
    expect(candidateIds("claude-3-5-sonnet-20241022")).toEqual([
      "claude-3-5-sonnet-20241022",
      "claude-3-5-sonnet",
      "claude-3.5-sonnet",
    ]);
    expect(candidateIds("claude-sonnet-4-0")).toEqual([
      "claude-sonnet-4-0",
      "claude-sonnet-4.0",
      "claude-sonnet-4",
    ]);
  });
});
