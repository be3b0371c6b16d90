import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
import WebSocket from "ws";
import type { AccountType } from "../config/config.js";
import {
  GatewayError,
  UpstreamConnectionError,
  UpstreamTimeoutError,
  type UpstreamError,
} from "../errors.js";
import { describeNetworkError, isConnectTimeout, isTimeoutError } from "../http/network-errors.js";
import type { AbortSignalLike } from "../http/abort-signal-like.js";
import { retry, sleepFor, type RetryPolicy } from "../http/retry.js";
import type { Initiator } from "../protocols/copilot.js";
import type { CopilotHeaders } from "./copilot-headers.js";
import { machineIdFor } from "./copilot-headers.js";
import { parseCopilotError } from "./copilot-errors.js";
import type { TokenSource } from "./token-source.js";

export interface CopilotCall {
  readonly githubToken: string;
  readonly method: "GET" | "POST";
  /** Relative to the Copilot API base, e.g. `/chat/completions`. */
  readonly path: string;
  readonly body?: string;
  readonly initiator: Initiator;
  readonly vision: boolean;
  readonly requestId: string;
  readonly signal?: AbortSignalLike;
  /** Protocol headers of the route (`anthropic-version`, a vetted `anthropic-beta`). */
  readonly protocolHeaders?: Readonly<Record<string, string>> | undefined;
}

export interface CopilotResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Dispatcher.ResponseData["body"];
  readonly accountKey: string;
}

/** A WebSocket to Copilot: the same headers as an HTTP call, sent on the upgrade. */
export interface CopilotSocketCall {
  readonly githubToken: string;
  /** Relative to the Copilot API base, e.g. `/responses`. */
  readonly path: string;
  readonly initiator: Initiator;
  readonly vision: boolean;
  readonly requestId: string;
  readonly signal?: AbortSignalLike;
  /** Told the headers of Copilot's 101 answer (the quota headers among them). */
  readonly onUpgrade?: (headers: IncomingHttpHeaders) => void;
}

export interface CopilotClient {
  /** Calls Copilot; a non-2xx answer becomes an UpstreamError (after one refresh on 401). */
  call(call: CopilotCall): Promise<CopilotResponse>;
  /**
   * Opens a WebSocket to Copilot (docs/upstream-protocol.md, Responses over WebSocket); a
   * refused upgrade becomes an UpstreamError (after one refresh on 401). Absent when the
   * gateway reaches Copilot through a proxy: callers use HTTP then.
   */
  readonly openWebSocket?: ((call: CopilotSocketCall) => Promise<WebSocket>) | undefined;
}

export interface CopilotClientOptions {
  readonly tokenSource: TokenSource;
  /** Retries of 500/502/503 and failed connections (before anything reached the client). */
  readonly retryPolicy: RetryPolicy;
  /** A 429 whose retry-after is at most this (ms) is waited out and retried once; 0: never. */
  readonly rateLimitWaitMs: number;
  readonly headers: CopilotHeaders;
  readonly dispatcherFor: (url: URL) => Dispatcher;
  /** COPILOT_API_URL: wins over the seat's `endpoints.api`. */
  readonly copilotApiUrl: string | undefined;
  readonly accountType: AccountType;
  readonly sessionIdFor: (accountKey: string) => string;
  /**
   * Whether `openWebSocket` is offered: WebSockets go straight to Copilot (`ws` does not use
   * undici's proxy agents), so the stack turns it off when PROXY is set.
   */
  readonly webSockets?: boolean;
  /** Longest wait for a WebSocket upgrade (CONNECT_TIMEOUT). */
  readonly webSocketTimeoutMs?: number;
  /** Told of every 466 (client version refused), to say so in the log. */
  readonly onVersionRejected?: (error: UpstreamError) => void;
}

const DEFAULT_API_URLS: Record<AccountType, string> = {
  individual: "https://api.githubcopilot.com",
  business: "https://api.business.githubcopilot.com",
  enterprise: "https://api.enterprise.githubcopilot.com",
};

/** Where one Copilot route of one API base is: parsed once, reused by every call. */
interface UpstreamTarget {
  readonly url: URL;
  readonly origin: string;
  /** Path and query, as undici's `request(url)` derives them from the URL. */
  readonly path: string;
}

// Bases and paths are few (config, seats, routes); the cap only guards against a caller that
// builds paths from input.
const MAX_TARGETS = 256;

export function createCopilotClient(options: CopilotClientOptions): CopilotClient {
  const machineIds = new Map<string, string>();
  const targets = new Map<string, UpstreamTarget>();

  function targetFor(base: string, path: string): UpstreamTarget {
    const key = base + path;
    const known = targets.get(key);
    if (known !== undefined) return known;
    const url = new URL(key);
    const target: UpstreamTarget = {
      url,
      origin: url.origin,
      path: url.search === "" ? url.pathname : url.pathname + url.search,
    };
    if (targets.size >= MAX_TARGETS) targets.clear();
    targets.set(key, target);
    return target;
  }

  function machineIdOf(accountKey: string): string {
    let machineId = machineIds.get(accountKey);
    if (machineId === undefined) {
      machineId = machineIdFor(accountKey);
      machineIds.set(accountKey, machineId);
    }
    return machineId;
  }

  function baseOf(lease: CopilotLease): string {
    return options.copilotApiUrl ?? lease.copilot.apiUrl ?? DEFAULT_API_URLS[options.accountType];
  }

  function headersFor(call: CopilotCall | CopilotSocketCall, lease: CopilotLease) {
    return options.headers.forCopilot({
      copilotToken: lease.copilot.token,
      initiator: call.initiator,
      vision: call.vision,
      machineId: machineIdOf(lease.accountKey),
      sessionId: options.sessionIdFor(lease.accountKey),
      requestId: call.requestId,
    });
  }

  function copilotError(status: number, text: string, headers: IncomingHttpHeaders) {
    const error = parseCopilotError(status, text, headers, options.headers.identity);
    if (status === 466) options.onVersionRejected?.(error);
    return error;
  }

  async function send(call: CopilotCall, rejected: string | undefined) {
    const lease = await options.tokenSource.getToken(call.githubToken, rejected);
    const target = targetFor(baseOf(lease), call.path);
    const headers = headersFor(call, lease);
    if (call.protocolHeaders !== undefined) Object.assign(headers, call.protocolHeaders);
    try {
      // The dispatcher's own `request` takes origin and path as they are; undici's top-level
      // `request(url)` would parse a URL and copy the options on every call.
      const response = await options.dispatcherFor(target.url).request({
        origin: target.origin,
        path: target.path,
        method: call.method,
        headers,
        body: call.body ?? null,
        // undici takes any object with addEventListener; its types only name AbortSignal.
        signal: (call.signal as AbortSignal | undefined) ?? null,
      });
      return { response, lease };
    } catch (error) {
      throw mapNetworkError(error, target.url);
    }
  }

  async function openWebSocket(call: CopilotSocketCall): Promise<WebSocket> {
    // Refresh once on a 401 at the upgrade, as for an HTTP call.
    let rejected: string | undefined;
    for (;;) {
      const lease = await options.tokenSource.getToken(call.githubToken, rejected);
      const outcome = await upgrade(
        webSocketUrl(baseOf(lease), call.path),
        headersFor(call, lease),
        options.webSocketTimeoutMs ?? 30_000,
        call.signal,
        call.onUpgrade,
      );
      if (outcome instanceof WebSocket) return outcome;
      if (outcome.status === 401 && rejected === undefined) {
        rejected = lease.copilot.token;
        continue;
      }
      throw copilotError(outcome.status, outcome.body, outcome.headers);
    }
  }

  return {
    ...(options.webSockets === true ? { openWebSocket } : {}),
    call(call) {
      // Refresh once on 401 and wait out one short 429; neither counts as a retry.
      let rejected: string | undefined;
      let waitedForRateLimit = false;
      return retry(
        options.retryPolicy,
        isRetryable,
        async () => {
          for (;;) {
            const { response, lease } = await send(call, rejected);
            const status = response.statusCode;
            if (status >= 200 && status < 300) {
              return {
                status,
                headers: response.headers,
                body: response.body,
                accountKey: lease.accountKey,
              };
            }
            if (status === 401 && rejected === undefined) {
              // The token expired or was revoked upstream: refresh once and try again.
              await response.body.dump();
              rejected = lease.copilot.token;
              continue;
            }
            const text = await response.body.text().catch(() => "");
            const error = copilotError(status, text, response.headers);
            const waitMs = status === 429 ? parseRetryAfterMs(error.retryAfter) : undefined;
            if (waitMs !== undefined && !waitedForRateLimit && waitMs <= options.rateLimitWaitMs) {
              waitedForRateLimit = true;
              await sleepFor(waitMs, call.signal);
              continue;
            }
            throw error;
          }
        },
        call.signal,
      );
    },
  };
}

type CopilotLease = Awaited<ReturnType<TokenSource["getToken"]>>;

/** `https://host/base` + path, as the `wss:` (or loopback `ws:`) URL of a WebSocket. */
function webSocketUrl(base: string, path: string): URL {
  const url = new URL(base + path);
  url.protocol = url.protocol === "http:" ? "ws:" : "wss:";
  return url;
}

interface RefusedUpgrade {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** The open socket, or the HTTP answer that refused the upgrade; a network failure throws. */
function upgrade(
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignalLike | undefined,
  onUpgrade: ((headers: IncomingHttpHeaders) => void) | undefined,
): Promise<WebSocket | RefusedUpgrade> {
  return new Promise((resolve, reject) => {
    // No compression: Copilot's events are small, and deflate costs CPU per frame.
    const socket = new WebSocket(url, {
      headers,
      handshakeTimeout: timeoutMs,
      perMessageDeflate: false,
    });
    const onAbort = () => socket.terminate();
    signal?.addEventListener("abort", onAbort, { once: true });
    const settle = () => signal?.removeEventListener("abort", onAbort);
    if (onUpgrade !== undefined) socket.once("upgrade", (response) => onUpgrade(response.headers));
    socket.once("open", () => {
      settle();
      resolve(socket);
    });
    socket.once("unexpected-response", (_request, response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.once("end", () => {
        settle();
        resolve({
          status: response.statusCode ?? 502,
          headers: response.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        });
      });
      response.once("error", (error) => {
        settle();
        reject(socketError(error, url));
      });
    });
    socket.once("error", (error) => {
      settle();
      // Terminated because the client went away: an abort, which callers tell from a failure.
      reject(signal?.aborted === true ? abortError() : socketError(error, url));
    });
  });
}

function socketError(error: Error, url: URL): Error {
  const mapped = mapNetworkError(error, url);
  return mapped instanceof Error ? mapped : error;
}

function abortError(): Error {
  const error = new Error("The WebSocket upgrade was cancelled");
  error.name = "AbortError";
  return error;
}

function isRetryable(error: unknown): boolean {
  return error instanceof GatewayError && error.retryable;
}

/** `retry-after` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function mapNetworkError(error: unknown, url: URL): unknown {
  if (error instanceof GatewayError) return error;
  if (isAbort(error)) return error;
  if (isTimeoutError(error)) {
    return new UpstreamTimeoutError(
      `Copilot did not answer in time (${url.host}: ${describeNetworkError(error)})`,
      { cause: error, retryable: isConnectTimeout(error) },
    );
  }
  return new UpstreamConnectionError(
    `Cannot reach Copilot at ${url.host}: ${describeNetworkError(error)}`,
    { cause: error },
  );
}

export function isAbort(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    ((error as { name?: unknown }).name === "AbortError" ||
      (error as { code?: unknown }).code === "UND_ERR_ABORTED")
  );
}
