import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  GatewayError,
  InvalidRequestError,
  PermissionError,
  UpstreamConnectionError,
  UpstreamError,
  UpstreamTimeoutError,
} from "../../errors.js";
import { renderAnthropicError } from "./render-anthropic-error.js";

describe("renderAnthropicError", () => {
  const cases: [string, GatewayError, string][] = [
    ["400", new InvalidRequestError("bad field"), "invalid_request_error"],
    ["405", new GatewayError(405, "method_not_allowed", "no"), "invalid_request_error"],
    ["413", new GatewayError(413, "payload_too_large", "big"), "request_too_large"],
    ["upstream 413", new UpstreamError(413, "too big for Copilot"), "request_too_large"],
    ["401", new AuthenticationError("who"), "authentication_error"],
    ["403", new PermissionError("no seat"), "permission_error"],
    ["upstream 402", new UpstreamError(402, "pay"), "permission_error"],
    ["404", new GatewayError(404, "not_found", "gone"), "not_found_error"],
    ["upstream 429", new UpstreamError(429, "slow down"), "rate_limit_error"],
    ["upstream 503", new UpstreamError(503, "busy"), "overloaded_error"],
    ["upstream 529", new UpstreamError(529, "busy"), "overloaded_error"],
    ["upstream 500", new UpstreamError(500, "oops"), "api_error"],
    ["upstream 502", new UpstreamError(502, "bad gateway"), "api_error"],
    ["upstream 466", new UpstreamError(466, "update the version"), "invalid_request_error"],
    ["connection", new UpstreamConnectionError("refused"), "api_error"],
    ["timeout", new UpstreamTimeoutError("slow"), "api_error"],
    ["internal", new GatewayError(500, "internal", "see the log"), "api_error"],
  ];
  it.each(cases)("%s", (_name, error, type) => {
    expect(renderAnthropicError(error)).toEqual({
      type: "error",
      error: { type, message: error.message },
    });
  });

  it("renders Copilot's over-long prompt in Anthropic's words, which Claude Code compacts on", () => {
    const error = new UpstreamError(
      400,
      "prompt token count of 140512 exceeds the limit of 128000",
      {
        code: "model_max_prompt_tokens_exceeded",
      },
    );
    expect(renderAnthropicError(error)).toEqual({
      type: "error",
      error: {
        type: "invalid_request_error",
        message: "prompt is too long: 140512 tokens > 128000 maximum",
      },
    });
  });

  it("keeps Copilot's message after Anthropic's words when the refusal has no counts", () => {
    const error = new UpstreamError(400, "too long", { code: "model_max_prompt_tokens_exceeded" });
    expect(renderAnthropicError(error)).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: "prompt is too long: too long" },
    });
  });
});
