import { describe, expect, it } from "vitest";
import { configuredKeyNames, fingerprintSecret } from "./configured-key-names.js";

describe("configuredKeyNames", () => {
  it("names API_KEYS then SHARE_TOKEN entries by position, with fingerprints", () => {
    expect(
      configuredKeyNames({
        apiKeys: ["key-one", "key-two"],
        shareTokens: new Map([["share-abc", "ghu_x"]]),
      }),
    ).toEqual([
      {
        name: "API_KEYS#1",
        source: "API_KEYS",
        secret: "key-one",
        fingerprint: "sha256:9b346041",
        githubToken: undefined,
      },
      {
        name: "API_KEYS#2",
        source: "API_KEYS",
        secret: "key-two",
        fingerprint: "sha256:c8df5146",
        githubToken: undefined,
      },
      {
        name: "SHARE_TOKEN#1",
        source: "SHARE_TOKEN",
        secret: "share-abc",
        fingerprint: "sha256:15980f1f",
        githubToken: "ghu_x",
      },
    ]);
  });

  it("is empty without keys in the configuration", () => {
    expect(configuredKeyNames({ apiKeys: [], shareTokens: new Map() })).toEqual([]);
  });
});

describe("fingerprintSecret", () => {
  it("is the first 8 hex digits of the SHA-256", () => {
    expect(fingerprintSecret("ghu_x")).toBe("sha256:42fcf450");
  });
});
