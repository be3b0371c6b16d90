import type { GatewayError } from "../../errors.js";
import type {
  AnthropicErrorBody,
  AnthropicErrorType,
} from "../../protocols/anthropic/messages-response.js";
import { readPromptTooLong } from "../../translate/read-prompt-too-long.js";

/**
 * Every error on the Anthropic routes, in Anthropic's shape and with its types.
 * https://docs.anthropic.com/en/api/errors
 */
export function renderAnthropicError(error: GatewayError): AnthropicErrorBody {
  return { type: "error", error: { type: anthropicErrorType(error), message: messageOf(error) } };
}

/**
 * Claude Code compacts the conversation when it reads Anthropic's own wording for an over-long
 * prompt ("prompt is too long: N tokens > M maximum"), not Copilot's.
 */
function messageOf(error: GatewayError): string {
  const tooLong = readPromptTooLong(error);
  if (tooLong === undefined) return error.message;
  if (tooLong.promptTokens === undefined || tooLong.limit === undefined) {
    return `prompt is too long: ${error.message}`;
  }
  return `prompt is too long: ${tooLong.promptTokens} tokens > ${tooLong.limit} maximum`;
}

export function anthropicErrorType(error: GatewayError): AnthropicErrorType {
  switch (error.kind) {
    case "invalid_request":
    case "method_not_allowed":
      return "invalid_request_error";
    case "payload_too_large":
      return "request_too_large";
    case "authentication":
      return "authentication_error";
    case "permission":
      return "permission_error";
    case "not_found":
      return "not_found_error";
    case "rate_limit":
    case "quota":
      return "rate_limit_error";
    case "upstream":
      return upstreamErrorType(error.status);
    case "overloaded":
      return "overloaded_error";
    case "upstream_connection":
    case "upstream_timeout":
    case "internal":
      return "api_error";
    default: {
      const unhandled: never = error.kind;
      return unhandled;
    }
  }
}

/** Anthropic says 529 for "overloaded"; Copilot says 503. Other 4xx are request errors. */
function upstreamErrorType(status: number): AnthropicErrorType {
  if (status === 503 || status === 529) return "overloaded_error";
  if (status >= 400 && status < 500) return "invalid_request_error";
  return "api_error";
}
