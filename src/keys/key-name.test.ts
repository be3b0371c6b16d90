import { describe, expect, it } from "vitest";
import { isValidName } from "./key-name.js";

describe("isValidName", () => {
  it.each(["alice", "work", "a", "team.ci-bot_2", "A".repeat(64), "..."])("accepts %j", (name) => {
    expect(isValidName(name)).toBe(true);
  });

  it.each(["", "A".repeat(65), ".", "..", "a b", "a/b", "a\\b", "ü", "a:b", "a\n"])(
    "refuses %j",
    (name) => {
      expect(isValidName(name)).toBe(false);
    },
  );
});
