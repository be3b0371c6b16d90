import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { PendingBill } from "./billing.js";
import { isRecord } from "./fake-state.js";

/** What a route answers; one writer sends it so faults and delays apply to every route alike.
 *  `bill`: what the answer costs, billed once it is written (fake-copilot.ts). */
export type FakeResponse =
  | {
      kind: "body";
      status: number;
      headers: Record<string, string>;
      body: string;
      bill?: PendingBill;
    }
  | {
      kind: "stream";
      status: number;
      headers: Record<string, string>;
      events: string[];
      bill?: PendingBill;
      /** A scripted answer's own pause between events, instead of the fake's. */
      chunkDelayMs?: number | undefined;
    };

export const TEXT_PLAIN = "text/plain; charset=utf-8";
export const APPLICATION_JSON = "application/json";
const GITHUB_JSON = "application/json; charset=utf-8";

export function textResponse(
  status: number,
  body: string,
  headers: Record<string, string> = {},
): FakeResponse {
  return { kind: "body", status, headers: { "content-type": TEXT_PLAIN, ...headers }, body };
}

export function jsonResponse(
  status: number,
  value: unknown,
  contentType = APPLICATION_JSON,
  headers: Record<string, string> = {},
): FakeResponse {
  const body = JSON.stringify(value);
  return { kind: "body", status, headers: { "content-type": contentType, ...headers }, body };
}

export function githubJsonResponse(status: number, value: unknown): FakeResponse {
  return jsonResponse(status, value, GITHUB_JSON);
}

/** A fault body gets a content type by its look when the test did not give one. */
export function guessContentType(body: string): string {
  try {
    JSON.parse(body);
    return APPLICATION_JSON;
  } catch {
    return TEXT_PLAIN;
  }
}

/** Copilot's chat/completions streams are `data: <json>\n\n` events with no `event:` lines. */
export function toSseEvents(payloads: readonly unknown[]): string[] {
  const events = payloads.map((payload) => `data: ${JSON.stringify(payload)}\n\n`);
  events.push("data: [DONE]\n\n");
  return events;
}

/** Splits recorded SSE bytes on blank lines, keeping every byte, so a replay is exact. */
export function splitSseText(text: string): string[] {
  const events: string[] = [];
  let start = 0;
  for (;;) {
    const end = text.indexOf("\n\n", start);
    if (end === -1) break;
    events.push(text.slice(start, end + 2));
    start = end + 2;
  }
  if (start < text.length) events.push(text.slice(start));
  return events;
}

export async function readRequestBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? "" : Buffer.concat(chunks).toString("utf8");
}

type ParsedBody = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

export function parseJsonBody(text: string): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // A fixed text, not V8's parser message, so answers do not change with the Node version.
    return { ok: false, message: "invalid JSON body" };
  }
  return isRecord(value)
    ? { ok: true, value }
    : { ok: false, message: "request body must be a JSON object" };
}

export interface WriteOptions {
  chunkDelayMs: number;
  /** Send this many SSE events, then destroy the socket (a mid-stream connection loss). */
  dropAfterChunks?: number | undefined;
}

/** How much of an answer went out: a body whole or not at all, a stream event by event. */
export interface WriteResult {
  readonly complete: boolean;
  /** Stream events written before the end or the cut (a body: 0). */
  readonly eventsWritten: number;
}

export async function writeFakeResponse(
  res: ServerResponse,
  response: FakeResponse,
  options: WriteOptions,
): Promise<WriteResult> {
  if (response.kind === "body") {
    if (options.dropAfterChunks !== undefined) {
      res.socket?.destroy();
      return { complete: false, eventsWritten: 0 };
    }
    res.writeHead(response.status, {
      ...response.headers,
      "content-length": String(Buffer.byteLength(response.body)),
    });
    res.end(response.body);
    return { complete: true, eventsWritten: 0 };
  }
  res.writeHead(response.status, { "cache-control": "no-cache", ...response.headers });
  res.flushHeaders();
  const { events } = response;
  const limit = Math.min(options.dropAfterChunks ?? events.length, events.length);
  for (let index = 0; index < limit; index++) {
    if (res.destroyed) return { complete: false, eventsWritten: index };
    if (index > 0 && options.chunkDelayMs > 0) await sleep(options.chunkDelayMs);
    if (res.destroyed) return { complete: false, eventsWritten: index };
    await writeEvent(res, events[index] ?? "", index === limit - 1);
  }
  if (options.dropAfterChunks !== undefined || res.destroyed) {
    res.socket?.destroy();
    return { complete: false, eventsWritten: limit };
  }
  res.end();
  return { complete: true, eventsWritten: events.length };
}

/** Waits for the kernel only at the last event or under backpressure, to keep the fake fast. */
function writeEvent(res: ServerResponse, event: string, isLast: boolean): Promise<void> {
  return new Promise((resolvePromise) => {
    const flushed = res.write(event, () => {
      if (isLast) resolvePromise();
    });
    if (isLast) return;
    if (flushed) resolvePromise();
    else {
      const done = (): void => {
        res.off("drain", done);
        res.off("close", done);
        resolvePromise();
      };
      res.on("drain", done);
      res.on("close", done);
    }
  });
}
