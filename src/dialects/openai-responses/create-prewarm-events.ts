import type { OpenAIResponsesRequest } from "../../protocols/openai/responses-request.js";
import type { ResponsesStreamEvent } from "../../protocols/openai/responses-response.js";
import { buildResponsesResponse } from "./build-responses-response.js";

/**
 * The answer to `generate: false` (Codex warms a WebSocket up with one before each session): a
 * completed response with no output, made without asking the model, so that no Copilot request
 * is spent on it. A later request may continue it with `previous_response_id`.
 * https://platform.openai.com/docs/guides/websocket-mode
 */
export function createPrewarmEvents(
  request: OpenAIResponsesRequest,
  parts: { readonly id: string; readonly createdAt: number; readonly model: string },
): ResponsesStreamEvent[] {
  const response = (status: "in_progress" | "completed") =>
    buildResponsesResponse({ ...parts, request, status, output: [], usage: null });
  return [
    { type: "response.created", response: response("in_progress"), sequence_number: 0 },
    { type: "response.completed", response: response("completed"), sequence_number: 1 },
  ];
}
