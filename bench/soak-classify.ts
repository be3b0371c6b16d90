import OpenAI from "openai";
import {
  RANDOM_FAULT_MESSAGES,
  RANDOM_FAULT_RETRY_AFTER,
  type RandomFaultKind,
} from "../test/fake-copilot/fake-copilot.js";
import { WrongAnswerError } from "./soak-traffic.js";

/**
 * `upstream-fault`: the client rightly sees an injected fault (a 429 passed on, a stream drop
 * reported as an error event, a 5xx or reset that outlasted the retries). `gateway`: anything
 * else, which the gateway caused or failed to handle.
 */
export type FailureCause = "upstream-fault" | "gateway";

export interface ClassifiedFailure {
  readonly cause: FailureCause;
  /** A short, countable description. */
  readonly reason: string;
  /** The details, for the examples in the report. */
  readonly message: string;
}

export interface ClassifyContext {
  /** The faults the fake injected into the upstream calls of one gateway request, in order. */
  readonly faultsOf: (gatewayRequestId: string) => readonly RandomFaultKind[];
  /** The gateway's RETRIES. */
  readonly retries: number;
  /** The request's own deadline passed. */
  readonly timedOut: boolean;
}

const RETRYABLE: ReadonlySet<RandomFaultKind> = new Set(["500", "502", "503", "reset"]);

export function classifyFailure(error: unknown, context: ClassifyContext): ClassifiedFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (context.timedOut) return gateway("no complete answer before the deadline", message);
  if (error instanceof WrongAnswerError) return gateway("wrong answer", message);
  if (error instanceof OpenAI.APIUserAbortError) return gateway("aborted", message);
  if (error instanceof OpenAI.APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return gateway("connection error", `${message}${cause}`);
  }
  if (!(error instanceof OpenAI.APIError)) return gateway("unexpected exception", message);

  const faults = error.requestID ? context.faultsOf(error.requestID) : [];
  const last = faults.at(-1);
  const body = readErrorBody(error.error);
  const detail = `${error.status ?? "stream"} ${body.type ?? "?"}/${body.code ?? "?"}: ${body.message ?? message}`;
  if (error.status === undefined) {
    // An SSE error event inside a 200 stream.
    if (body.code === "stream_interrupted" && faults.includes("drop")) {
      return upstreamFault("stream drop reported as an error event", detail);
    }
    return gateway("stream error event without a dropped stream", detail);
  }
  if (error.status === 429 && last === "429" && body.message === RANDOM_FAULT_MESSAGES["429"]) {
    const retryAfter = error.headers?.get("retry-after");
    if (retryAfter !== RANDOM_FAULT_RETRY_AFTER) {
      return gateway("429 without its retry-after", `${detail} (retry-after ${retryAfter})`);
    }
    return upstreamFault("429 passed on", detail);
  }
  const statusFault =
    last === "500" || last === "502" || last === "503"
      ? error.status === Number(last) && body.message === RANDOM_FAULT_MESSAGES[last]
      : false;
  const resetFault =
    last === "reset" && error.status === 502 && body.type === "api_connection_error";
  if (statusFault || resetFault) {
    const retryable = faults.filter((kind) => RETRYABLE.has(kind)).length;
    if (retryable <= context.retries) {
      return gateway(
        "gave up before the retries were used",
        `${detail} (after ${retryable} faults, RETRIES=${context.retries})`,
      );
    }
    return upstreamFault(
      statusFault ? `${last} after the retries` : "reset after the retries",
      detail,
    );
  }
  if (body.code === "internal_error") return gateway("internal error", detail);
  return gateway(
    `unexpected HTTP ${error.status}`,
    `${detail} (faults: ${faults.join(",") || "none"})`,
  );
}

function readErrorBody(value: unknown): { message?: string; type?: string; code?: string } {
  if (typeof value !== "object" || value === null) return {};
  const body = value as Record<string, unknown>;
  const text = (key: string) => (typeof body[key] === "string" ? body[key] : undefined);
  const fields: { message?: string; type?: string; code?: string } = {};
  const message = text("message");
  const type = text("type");
  const code = text("code");
  if (message !== undefined) fields.message = message;
  if (type !== undefined) fields.type = type;
  if (code !== undefined) fields.code = code;
  return fields;
}

function gateway(reason: string, message: string): ClassifiedFailure {
  return { cause: "gateway", reason, message };
}

function upstreamFault(reason: string, message: string): ClassifiedFailure {
  return { cause: "upstream-fault", reason, message };
}
