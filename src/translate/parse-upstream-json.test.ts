import { describe, expect, it } from "vitest";
import { UpstreamAnswer } from "./parse-upstream-json.js";

describe("UpstreamAnswer", () => {
  it("parses the text once, whoever reads it first", () => {
    const answer = new UpstreamAnswer('{"usage":{"prompt_tokens":3}}');
    const first = answer.json();
    expect(first).toEqual({ usage: { prompt_tokens: 3 } });
    expect(answer.read("chat completion")).toBe(first);
    expect(answer.text).toBe('{"usage":{"prompt_tokens":3}}');
  });

  it("reads as undefined when not JSON, and reading it for a dialect is Copilot's 502", () => {
    const answer = new UpstreamAnswer("<html>");
    expect(answer.json()).toBeUndefined();
    expect(() => answer.read("chat completion")).toThrow(
      expect.objectContaining({
        status: 502,
        code: "upstream_malformed_response",
        message: "Copilot's chat completion is not JSON",
      }),
    );
  });
});
