import { describe, expect, it } from "vitest";
import { hashGitHubToken } from "./hash-github-token.js";

describe("hashGitHubToken", () => {
  it("hashes the token under the domain prefix", () => {
    // printf '%s' 'cogpt:copilot-token:v1:gho_example' | sha256sum
    expect(hashGitHubToken("gho_example")).toEqual(
      "058fa0839d470edf47d39c57ecbc2a166251bfd756f14eba1873e02bde7b4d1b",
    );
  });

  it("is not a bare sha256 of the token", () => {
    // printf '%s' 'gho_example' | sha256sum
    expect(hashGitHubToken("gho_example")).not.toEqual(
      "d9b35348bca5da8a6f5e437f38cca249caa7be168096a183e565c8c6c02958a0",
    );
  });
});
