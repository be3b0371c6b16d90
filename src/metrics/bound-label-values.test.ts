import { describe, expect, it } from "vitest";
import { createLabelValueBound } from "./bound-label-values.js";

describe("createLabelValueBound", () => {
  it("keeps model ids, key names and fingerprints as they are", () => {
    const bound = createLabelValueBound(10);
    expect(
      [
        "claude-sonnet-4.5",
        "gpt-4.1-2025-04-14",
        "API_KEYS#1",
        "SHARE_TOKEN#2",
        "alice",
        "key:1a2b3c4d",
        "org/model@v1+x",
      ].map(bound),
    ).toEqual([
      "claude-sonnet-4.5",
      "gpt-4.1-2025-04-14",
      "API_KEYS#1",
      "SHARE_TOKEN#2",
      "alice",
      "key:1a2b3c4d",
      "org/model@v1+x",
    ]);
  });

  it("reports a value over 64 characters or with unusual characters as other", () => {
    const bound = createLabelValueBound(10);
    expect(
      [
        "a".repeat(64),
        "a".repeat(65),
        "",
        "gpt 4",
        'x"y',
        "line\nbreak",
        "-leading-dash",
        "modèle",
      ].map(bound),
    ).toEqual(["a".repeat(64), "other", "other", "other", "other", "other", "other", "other"]);
  });

  it("reports new values as other once maxValues distinct ones were seen, old ones still pass", () => {
    const bound = createLabelValueBound(2);
    expect(["m1", "m2", "m3", "m1", "m2", "m4"].map(bound)).toEqual([
      "m1",
      "m2",
      "other",
      "m1",
      "m2",
      "other",
    ]);
  });
});
