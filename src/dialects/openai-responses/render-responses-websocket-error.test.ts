import { describe, expect, it } from "vitest";
import { InvalidRequestError, UpstreamError } from "../../errors.js";
import { renderResponsesWebSocketError } from "./render-responses-websocket-error.js";

describe("renderResponsesWebSocketError", () => {
  it("carries the status and the OpenAI error object", () => {
    expect(
      renderResponsesWebSocketError(
        new InvalidRequestError("Unknown model", { code: "model_not_found", param: "model" }),
      ),
    ).toEqual({
      type: "error",
      status: 400,
      error: {
        type: "invalid_request_error",
        code: "model_not_found",
        message: "Unknown model",
        param: "model",
      },
    });
  });

  it("keeps an upstream status", () => {
    expect(renderResponsesWebSocketError(new UpstreamError(503, "Copilot is busy"))).toEqual({
      type: "error",
      status: 503,
      error: { type: "upstream_error", code: null, message: "Copilot is busy", param: null },
    });
  });
});
