import type { CopilotCall, CopilotClient } from "../../src/copilot/copilot-client.js";
import { parseCopilotError } from "../../src/copilot/copilot-errors.js";
import { createCannedBody } from "./fake-upstream-body.js";

/** What the fake Copilot answers on one path. */
export interface CannedAnswer {
  /** 200 unless given; a non-2xx answer is thrown as the real client throws it. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** The whole body, or the chunks of a stream (each one upstream read). */
  readonly body: string | readonly string[];
}

/** A call as the gateway made it, with its body parsed when it is JSON. */
export interface RecordedCall extends CopilotCall {
  readonly json: unknown;
}

export interface FakeCopilotClient extends CopilotClient {
  /** Every call the gateway made, in order. */
  readonly calls: RecordedCall[];
}

/** A canned answer per upstream path (`/chat/completions`, `/v1/messages`, …). */
export type CannedAnswers = Readonly<Record<string, CannedAnswer>>;

export const JSON_HEADERS = { "content-type": "application/json" } as const;
export const SSE_HEADERS = { "content-type": "text/event-stream" } as const;

/**
 * A Copilot client that answers from `answers` and records what it was sent. Like the real
 * client (after its retries), a non-2xx answer becomes the error `parseCopilotError` makes of
 * it; a path with no answer is a mistake in the test and fails the request loudly.
 */
export function createFakeCopilotClient(answers: CannedAnswers): FakeCopilotClient {
  const calls: RecordedCall[] = [];
  return {
    calls,
    async call(call) {
      calls.push({ ...call, json: parseIfJson(call.body) });
      const answer = answers[call.path];
      if (answer === undefined) {
        throw new Error(`The test gave no canned answer for ${call.method} ${call.path}`);
      }
      const status = answer.status ?? 200;
      const headers = { ...answer.headers };
      const chunks = typeof answer.body === "string" ? [answer.body] : answer.body;
      if (status < 200 || status >= 300) {
        throw parseCopilotError(status, chunks.join(""), headers);
      }
      return { status, headers, body: createCannedBody(chunks), accountKey: "in-process-account" };
    },
  };
}

function parseIfJson(body: string | undefined): unknown {
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
