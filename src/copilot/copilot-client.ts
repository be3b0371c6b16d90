import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
import type { AccountType } from "../config/config.js";
import { GatewayError, UpstreamConnectionError, UpstreamTimeoutError } from "../errors.js";
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

export interface CopilotClient {
  /** Calls Copilot; a non-2xx answer becomes an UpstreamError (after one refresh on 401). */
  call(call: CopilotCall): Promise<CopilotResponse>;
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

  async function send(call: CopilotCall, rejected: string | undefined) {
    const lease = await options.tokenSource.getToken(call.githubToken, rejected);
    const base =
      options.copilotApiUrl ?? lease.copilot.apiUrl ?? DEFAULT_API_URLS[options.accountType];
    const target = targetFor(base, call.path);
    let machineId = machineIds.get(lease.accountKey);
    if (machineId === undefined) {
      machineId = machineIdFor(lease.accountKey);
      machineIds.set(lease.accountKey, machineId);
    }
    const headers = options.headers.forCopilot({
      copilotToken: lease.copilot.token,
      initiator: call.initiator,
      vision: call.vision,
      machineId,
      sessionId: options.sessionIdFor(lease.accountKey),
      requestId: call.requestId,
    });
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

  return {
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
            const error = parseCopilotError(status, text, response.headers);
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
