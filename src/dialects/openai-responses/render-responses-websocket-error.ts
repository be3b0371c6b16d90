import type { GatewayError } from "../../errors.js";
import { renderOpenAIError, type OpenAIErrorBody } from "../openai-chat/render-openai-error.js";

/**
 * An error on a Responses WebSocket, as OpenAI's WebSocket mode sends it: the HTTP status the
 * request would have had, and the usual OpenAI error object. Codex reads `status` to tell a
 * failed request from a stream event.
 * https://platform.openai.com/docs/guides/websocket-mode
 */
export interface ResponsesWebSocketErrorEvent {
  readonly type: "error";
  readonly status: number;
  readonly error: OpenAIErrorBody["error"];
}

export function renderResponsesWebSocketError(error: GatewayError): ResponsesWebSocketErrorEvent {
  return { type: "error", status: error.status, error: renderOpenAIError(error).error };
}
