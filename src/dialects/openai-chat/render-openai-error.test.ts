import { describe, expect, it } from "vitest";
import type { GatewayError } from "../../errors.js";
import {
  AuthenticationError,
  InvalidRequestError,
  UpstreamConnectionError,
  UpstreamError,
  UpstreamTimeoutError,
} from "../../errors.js";
import { renderOpenAIError, toGatewayError } from "./render-openai-error.js";

describe("renderOpenAIError", () => {
  it("renders Copilot's over-long prompt as context_length_exceeded, in OpenAI's words", () => {
    const error = new UpstreamError(
      400,
      "prompt token count of 140512 exceeds the limit of 128000",
      {
        code: "model_max_prompt_tokens_exceeded",
      },
    );
    expect(renderOpenAIError(error)).toEqual({
      error: {
        message:
          "This model's maximum context length is 128000 tokens. However, your messages resulted " +
          "in 140512 tokens. Please reduce the length of the messages.",
        type: "invalid_request_error",
        code: "context_length_exceeded",
        param: null,
      },
    });
  });

  it("keeps Copilot's message when the refusal has no counts", () => {
    const error = new UpstreamError(400, "too long", { code: "model_max_prompt_tokens_exceeded" });
    expect(renderOpenAIError(error)).toEqual({
      error: {
        message: "too long",
        type: "invalid_request_error",
        code: "context_length_exceeded",
        param: null,
      },
    });
  });

  const cases: [GatewayError, number, unknown][] = [
    [
      new InvalidRequestError("bad field", { code: "invalid_request_body", param: "messages" }),
      400,
      {
        message: "bad field",
        type: "invalid_request_error",
        code: "invalid_request_body",
        param: "messages",
      },
    ],
    [
      new AuthenticationError("who are you"),
      401,
      { message: "who are you", type: "authentication_error", code: null, param: null },
    ],
    [
      new UpstreamError(403, "no seat", { code: "no_copilot_access" }),
      403,
      { message: "no seat", type: "permission_error", code: "no_copilot_access", param: null },
    ],
    [
      new UpstreamError(404, "gone"),
      404,
      { message: "gone", type: "not_found_error", code: null, param: null },
    ],
    [
      new UpstreamError(429, "slow down", { code: "rate_limited", retryAfter: "3" }),
      429,
      { message: "slow down", type: "rate_limit_error", code: "rate_limited", param: null },
    ],
    [
      new UpstreamError(503, "down"),
      503,
      { message: "down", type: "upstream_error", code: null, param: null },
    ],
    [
      new UpstreamConnectionError("refused"),
      502,
      { message: "refused", type: "api_connection_error", code: null, param: null },
    ],
    [
      new UpstreamTimeoutError("slow"),
      504,
      { message: "slow", type: "timeout_error", code: null, param: null },
    ],
  ];
  it.each(cases)("%s", (error, status, body) => {
    expect(error.status).toBe(status);
    expect(renderOpenAIError(error)).toEqual({ error: body });
  });
});

describe("toGatewayError", () => {
  it("hides an unexpected error's message behind the request id", () => {
    const error = toGatewayError(new TypeError("secret internals ghu_x"), "req-1");
    expect([error.status, error.kind, error.message, error.code]).toEqual([
      500,
      "internal",
      "Internal error in the gateway; see its log for request req-1",
      "internal_error",
    ]);
  });
  it("keeps a GatewayError as it is", () => {
    const original = new InvalidRequestError("x");
    expect(toGatewayError(original, "r")).toBe(original);
  });
});
