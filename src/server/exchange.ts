import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DialectName } from "../dialects/dialect.js";
import type { ManagedKey } from "../keys/managed-key.js";
import type { AnswerCost } from "../ledger/cost-of-answer.js";
import type { Initiator, UpstreamEndpoint } from "../protocols/copilot.js";
import type { ErrorRenderer } from "./router.js";
import { LightAbortSignal, type AbortSignalLike } from "../http/abort-signal-like.js";
import type { StreamBuffers } from "./stream-buffers.js";

/** What the request's log line says besides method, path and status. */
export interface RequestLogFields {
  model?: string | undefined;
  modelUsed?: string;
  stream?: boolean;
  initiator?: Initiator;
  /** Set by routes that log when their stream ends rather than when the handler returns. */
  deferred?: boolean;
  /** Extra detail for the log line (e.g. why a stream ended early). */
  note?: string;
  /** Copilot's `x-github-request-id` and `x-copilot-service-request-id`, for GitHub support. */
  upstreamRequestId?: string;
  copilotServiceRequestId?: string;
  /** Accounting (the ledger), for the conversation routes: set along the request's way. */
  dialect?: DialectName;
  endpoint?: UpstreamEndpoint;
  /** The managed key's name or the configuration entry the credential is (see auth.ts). */
  keyName?: string;
  /** Fingerprint of the GitHub account spent. */
  account?: string;
  cost?: AnswerCost;
  /** Time to the first byte of a streamed answer, ms. */
  firstByteMs?: number;
  /** false: a stream that broke off or was aborted. */
  complete?: boolean;
  /** The model asked for, when a fallback model served the request instead. */
  fallbackFrom?: string;
  /** The error's code, when the request failed. */
  errorCode?: string;
  /** Ends a managed key's turn (its concurrency and in-flight budget), told the cost. */
  endKeyTurn?: (nanoCredits: number) => void;
}

const JSON_TYPE = "application/json";
const TEXT_TYPE = "text/plain; charset=UTF-8";

/**
 * One request and its answer, on Node's own request and response objects (no Web Request or
 * Response in between: the gateway's hot path is a relay, and every object per request counts).
 * Headers set before the answer (request id, CORS, quota) go out with whatever answer is sent,
 * error answers included.
 */
export class Exchange {
  readonly requestId = randomUUID();
  readonly startedAt = performance.now();
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  readonly log: RequestLogFields = {};
  /** Set by authentication: the GitHub token to use and a fingerprint of the credential. */
  githubToken = "";
  credential: string | undefined;
  /** The managed key the request came with, whose limits apply. */
  key: ManagedKey | undefined;
  /** Response headers, sent with the answer. */
  readonly headers: Record<string, string> = {};
  /** The status sent, once the answer has started. */
  status = 0;
  /** What the gateway holds for slow stream readers, shared by the app's streams. */
  streamBuffers: StreamBuffers | undefined;
  /** The error body of the route's API, once the route is known. */
  renderError: ErrorRenderer | undefined;
  /** Gives back the body's turn to be read (see BodyGate), once the body has been parsed. */
  releaseBody: () => void = noop;
  #signal: LightAbortSignal | undefined;
  /** While a stream may read Copilot after its client left (ABORTED_STREAM_WAIT). */
  #upstreamHeld = false;
  #closed = false;
  /** What runs once the answer is over (whenOver); made at the first. */
  #onOver: (() => void)[] | undefined;

  constructor(
    readonly incoming: IncomingMessage,
    readonly outgoing: ServerResponse,
  ) {
    this.method = incoming.method ?? "GET";
    this.path = pathOf(incoming.url ?? "/");
    this.headers["x-request-id"] = this.requestId;
  }

  /** A request header, or undefined; repeated headers are joined as Node joins them. */
  header(name: string): string | undefined {
    const value = this.incoming.headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  }

  setHeader(name: string, value: string): void {
    this.headers[name] = value;
  }

  json(value: unknown, status = 200): void {
    this.send(status, JSON.stringify(value), JSON_TYPE);
  }

  text(value: string, status = 200): void {
    this.send(status, value, TEXT_TYPE);
  }

  /** The whole answer in one write. */
  send(status: number, body: string | null, contentType?: string): void {
    if (contentType !== undefined) this.headers["content-type"] = contentType;
    if (body !== null) this.headers["content-length"] = String(Buffer.byteLength(body));
    this.status = status;
    this.outgoing.writeHead(status, this.headers);
    this.outgoing.end(body ?? undefined);
  }

  /** Starts an answer whose body follows (an event stream). */
  start(status: number, extraHeaders: Readonly<Record<string, string>>): void {
    Object.assign(this.headers, extraHeaders);
    this.status = status;
    this.outgoing.writeHead(status, this.headers);
  }

  get answered(): boolean {
    return this.outgoing.headersSent;
  }

  /** Whether the client's connection closed before its answer was complete. */
  get clientGone(): boolean {
    return (
      !this.outgoing.writableFinished && (this.outgoing.destroyed || this.incoming.errored !== null)
    );
  }

  /**
   * Aborts when the client goes away before its answer is complete, so the upstream request is
   * cancelled at once. Made on first use: it watches Node's response directly.
   */
  get signal(): AbortSignalLike {
    if (this.#signal === undefined) {
      const signal = new LightAbortSignal();
      const outgoing = this.outgoing;
      outgoing.once("close", () => {
        if (!outgoing.writableFinished && !this.#upstreamHeld) {
          signal.abort(clientClosedError());
        }
      });
      this.#signal = signal;
    }
    return this.#signal;
  }

  /**
   * Runs `done` once the answer is over: the client's connection has closed, and no stream still
   * reads Copilot for its cost after the client left (letUpstreamOutliveClient).
   */
  whenOver(done: () => void): void {
    if (this.#onOver === undefined) {
      this.#onOver = [];
      this.outgoing.once("close", () => {
        this.#closed = true;
        this.#runOver();
      });
    }
    this.#onOver.push(done);
  }

  /**
   * From now on the client's leaving does not abort the upstream call: a stream read on for
   * Copilot's cost after its client left (ABORTED_STREAM_WAIT) lets go of it itself and calls
   * the function returned; until then the answer is not over (whenOver waits).
   */
  letUpstreamOutliveClient(): () => void {
    this.#upstreamHeld = true;
    return () => {
      this.#upstreamHeld = false;
      this.#runOver();
    };
  }

  #runOver(): void {
    if (!this.#closed || this.#upstreamHeld || this.#onOver === undefined) return;
    const done = this.#onOver;
    this.#onOver = [];
    for (const run of done) run();
  }
}

function noop(): void {}

function pathOf(url: string): string {
  if (url.startsWith("/")) {
    const query = url.indexOf("?");
    return query === -1 ? url : url.slice(0, query);
  }
  // Absolute-form request targets (`GET http://host/path`), which proxies send.
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function clientClosedError(): Error {
  const error = new Error("The client closed the connection");
  error.name = "AbortError";
  return error;
}
