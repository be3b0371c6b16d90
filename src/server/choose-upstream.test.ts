import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixturesDir } from "../../test/fixtures-dir.js";
import { parseModelList } from "../copilot/models.js";
import { chooseUpstream, type ClientDialect } from "./choose-upstream.js";

const models = parseModelList(
  JSON.parse(readFileSync(`${fixturesDir}/models/models.2026-03-28.json`, "utf8")),
);
const model = (id: string) => {
  const found = models.find((m) => m.id === id);
  if (found === undefined) throw new Error(`no ${id} in the fixture`);
  return found;
};

describe("chooseUpstream", () => {
  const cases: [ClientDialect, string, string][] = [
    // Chat Completions clients
    ["chat", "gpt-4o", "/chat/completions"], // no supported_endpoints: chat only
    ["chat", "gpt-5-mini", "/chat/completions"], // chat + responses: native
    ["chat", "gpt-5.3-codex", "/responses"], // responses only: translated
    ["chat", "claude-sonnet-4.5", "/chat/completions"],
    // Responses clients
    ["responses", "gpt-5.3-codex", "/responses"],
    ["responses", "gpt-5-mini", "/responses"],
    ["responses", "gpt-4o", "/chat/completions"],
    ["responses", "claude-sonnet-4.5", "/chat/completions"],
    ["responses", "gemini-2.5-pro", "/chat/completions"],
    // Anthropic Messages clients
    ["messages", "claude-sonnet-4.5", "/v1/messages"],
    ["messages", "claude-opus-4.6", "/v1/messages"],
    ["messages", "gpt-4o", "/chat/completions"],
    ["messages", "gpt-5-mini", "/chat/completions"],
    ["messages", "gpt-5.3-codex", "/responses"],
  ];
  it.each(cases)("%s client, %s → %s", (dialect, id, expected) => {
    expect(chooseUpstream(dialect, model(id))).toBe(expected);
  });

  it("says why when no endpoint can be reached", () => {
    expect(() =>
      chooseUpstream("chat", { id: "ws-only", supported_endpoints: ["ws:/responses"] }),
    ).toThrow(
      'The model "ws-only" is served by Copilot only on ws:/responses, which CoGPT cannot reach from this API; choose another model',
    );
  });
});
