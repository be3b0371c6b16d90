import type { ErrorKind } from "../../errors.js";
import { GatewayError } from "../../errors.js";
import { readPromptTooLong } from "../../translate/read-prompt-too-long.js";

export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null };
}

/** https://platform.openai.com/docs/guides/error-codes — one body shape for every failure. */
export function renderOpenAIError(error: GatewayError): OpenAIErrorBody {
  const tooLong = readPromptTooLong(error);
  if (tooLong !== undefined) {
    // OpenAI's code and wording for an over-long prompt, which agents and SDKs match on (the
    // limit is Copilot's prompt limit, the one the prompt was measured against).
    const message =
      tooLong.promptTokens === undefined || tooLong.limit === undefined
        ? error.message
        : `This model's maximum context length is ${tooLong.limit} tokens. However, your messages ` +
          `resulted in ${tooLong.promptTokens} tokens. Please reduce the length of the messages.`;
    return {
      error: {
        message,
        type: "invalid_request_error",
        code: "context_length_exceeded",
        param: error.param ?? null,
      },
    };
  }
  return {
    error: {
      message: error.message,
      type: openAIErrorType(error.kind),
      code: error.code ?? null,
      param: error.param ?? null,
    },
  };
}

function openAIErrorType(kind: ErrorKind): string {
  switch (kind) {
    case "invalid_request":
    case "method_not_allowed":
    case "payload_too_large":
      return "invalid_request_error";
    case "authentication":
      return "authentication_error";
    case "permission":
      return "permission_error";
    case "not_found":
      return "not_found_error";
    case "rate_limit":
      return "rate_limit_error";
    case "quota":
      return "insufficient_quota";
    case "upstream":
      return "upstream_error";
    case "upstream_connection":
      return "api_connection_error";
    case "upstream_timeout":
      return "timeout_error";
    case "overloaded":
    case "internal":
      return "server_error";
    default: {
      const unhandled: never = kind;
      return unhandled;
    }
  }
}

/** Anything thrown becomes a GatewayError; unknown failures never show their message or stack. */
export function toGatewayError(error: unknown, requestId: string): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError(
    500,
    "internal",
    `Internal error in the gateway; see its log for request ${requestId}`,
    { code: "internal_error", cause: error },
  );
}
