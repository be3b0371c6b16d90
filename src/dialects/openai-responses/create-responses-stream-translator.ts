import { UpstreamError } from "../../errors.js";
import type { OpenAIResponsesRequest } from "../../protocols/openai/responses-request.js";
import type {
  ResponsesResponse,
  ResponsesStreamEvent,
  ResponsesStreamEventBody,
} from "../../protocols/openai/responses-response.js";
import {
  chatUpstreamChunkSchema,
  type ChatUpstreamChunk,
} from "../../protocols/openai/chat-wire.js";
import { firstNonEmpty, readReasoningText } from "../anthropic-messages/read-reasoning-text.js";
import { isJsonObject, readPositiveNumber } from "../../translate/is-json-object.js";
import { buildResponsesResponse, type ResponsesResponseParts } from "./build-responses-response.js";
import { createResponsesOutputBuilder } from "./create-responses-output-builder.js";
import { mapChatFinishReasonToResponses } from "./map-chat-finish-reason-to-responses.js";
import { createResponseId } from "./responses-ids.js";
import { toResponsesUsage } from "./to-responses-usage.js";
import { mapResponsesToolNames } from "./map-responses-tool-names.js";

export interface ResponsesStreamTranslatorOptions {
  /** The model name to report (the one the client asked for). */
  readonly model: string;
  /** The client's request, whose settings the Response echoes. */
  readonly request: OpenAIResponsesRequest;
  /** A fresh `resp_…` id if not given. */
  readonly responseId?: string | undefined;
  /** Unix seconds; else the `created` of the first chunk. */
  readonly createdAt?: number | undefined;
}

export interface ResponsesStreamTranslator {
  /** One parsed (normalised) Chat Completions chunk in, the Responses events it makes out. */
  push(chunk: unknown): ResponsesStreamEvent[];
  /** Called when the upstream sent `[DONE]`: the closing events, or a failure if it was cut short. */
  finish(): ResponsesStreamEvent[];
  /** The stream broke (connection lost, malformed chunk): an `error` and `response.failed`. */
  fail(message: string, code?: string): ResponsesStreamEvent[];
}

type Delta = NonNullable<NonNullable<ChatUpstreamChunk["choices"]>[number]["delta"]>;

/**
 * Turns a Chat Completions stream into the Responses event sequence
 * (https://platform.openai.com/docs/api-reference/responses-streaming), every event numbered by
 * `sequence_number`: `response.created`, `response.in_progress`, then per output item
 * `response.output_item.added`, its part and delta events, `response.output_item.done`; finally
 * `response.completed` (or `response.incomplete` when the answer was cut by the token limit or a
 * filter) carrying the whole Response with usage. A stream that breaks or ends without a finish
 * reason ends with `error` and `response.failed`, never with a silent end.
 */
export function createResponsesStreamTranslator(
  options: ResponsesStreamTranslatorOptions,
): ResponsesStreamTranslator {
  const id = options.responseId ?? createResponseId();
  let createdAt = options.createdAt;
  let sequenceNumber = 0;
  let events: ResponsesStreamEvent[] = [];
  let started = false;
  let ended = false;
  let finishReason: string | undefined;
  let usage: unknown;
  let copilotUsage: unknown;

  function emit(body: ResponsesStreamEventBody): void {
    // Every body is a literal made for this call, so it is numbered in place: the same keys in
    // the same order as `{ ...body, sequence_number }`, without a copy that Node 20 makes slowly
    // (a spread plus a new key: ~1-2 us, against tens of ns).
    const event = body as ResponsesStreamEvent;
    event.sequence_number = sequenceNumber++;
    events.push(event);
  }
  const toolNames = mapResponsesToolNames(options.request.tools);
  const output = createResponsesOutputBuilder(id, emit, toolNames.lookup);

  function response(
    parts: Pick<ResponsesResponseParts, "status" | "error" | "incompleteDetails">,
  ): ResponsesResponse {
    const status = parts.status;
    return buildResponsesResponse({
      status,
      error: parts.error,
      incompleteDetails: parts.incompleteDetails,
      id,
      createdAt: createdAt ?? 0,
      model: options.model,
      request: options.request,
      output: status === "in_progress" ? [] : output.snapshot("incomplete"),
      usage: status === "in_progress" || usage === undefined ? null : toResponsesUsage(usage),
    });
  }

  function start(): void {
    if (started) return;
    started = true;
    emit({ type: "response.created", response: response({ status: "in_progress" }) });
    emit({ type: "response.in_progress", response: response({ status: "in_progress" }) });
  }

  /** Runs one step and hands out the events it made. */
  function collect(step: () => void): ResponsesStreamEvent[] {
    events = [];
    step();
    return events;
  }

  function failWith(message: string, code: string): void {
    ended = true;
    start();
    emit({
      type: "error",
      code,
      message,
      param: null,
      error: { type: "upstream_error", code, message, param: null },
    });
    emit({
      type: "response.failed",
      response: response({ status: "failed", error: { code, message } }),
    });
  }

  function translateDelta(delta: Delta): void {
    const reasoning = readReasoningText(delta);
    if (reasoning !== "") output.appendReasoning(reasoning);
    const text = firstNonEmpty(delta.content);
    if (text !== "") output.appendText(text);
    const refusal = firstNonEmpty(delta.refusal);
    if (refusal !== "") output.appendRefusal(refusal);
    for (const call of delta.tool_calls ?? []) {
      output.appendToolCall(call.index ?? 0, {
        id: call.id,
        name: call.function?.name,
        arguments: call.function?.arguments,
      });
    }
  }

  function translateChunk(chunk: unknown): void {
    const parsed = chatUpstreamChunkSchema.safeParse(chunk);
    if (!parsed.success) {
      throw new UpstreamError(502, "Copilot sent a chat completion chunk that was not understood", {
        code: "upstream_malformed_response",
      });
    }
    const data = parsed.data;
    createdAt ??= readPositiveNumber(isJsonObject(chunk) ? chunk.created : undefined);
    start();
    if (data.error !== undefined && data.error !== null) {
      failWith(data.error.message ?? "Copilot reported an error mid-stream", "upstream_error");
      return;
    }
    if (data.usage !== undefined && data.usage !== null) usage = data.usage;
    if (isJsonObject(chunk) && chunk.copilot_usage !== undefined) {
      copilotUsage = chunk.copilot_usage;
    }
    for (const choice of data.choices ?? []) {
      // One Response is one choice; anything after the finish reason is ignored.
      if ((choice.index ?? 0) !== 0 || finishReason !== undefined) continue;
      if (choice.delta !== undefined && choice.delta !== null) translateDelta(choice.delta);
      const reason = choice.finish_reason;
      if (reason !== undefined && reason !== null) {
        finishReason = reason;
        const outcome = mapChatFinishReasonToResponses(reason);
        if (outcome.status !== "failed") {
          output.close(outcome.status === "incomplete" ? "incomplete" : "completed");
        }
      }
    }
  }

  function close(): void {
    if (finishReason === undefined) {
      failWith("The upstream stream ended before the answer was complete", "stream_interrupted");
      return;
    }
    const outcome = mapChatFinishReasonToResponses(finishReason);
    if (outcome.status === "failed") {
      failWith('Copilot ended the answer with finish_reason "error"', "upstream_finish_error");
      return;
    }
    ended = true;
    emit({
      type: outcome.status === "completed" ? "response.completed" : "response.incomplete",
      response: response({
        status: outcome.status,
        incompleteDetails: outcome.incomplete_details,
      }),
      ...(copilotUsage === undefined ? {} : { copilot_usage: copilotUsage }),
    });
  }

  return {
    push: (chunk) => (ended ? [] : collect(() => translateChunk(chunk))),
    finish: () => (ended ? [] : collect(close)),
    fail: (message, code = "stream_interrupted") =>
      ended ? [] : collect(() => failWith(message, code)),
  };
}
