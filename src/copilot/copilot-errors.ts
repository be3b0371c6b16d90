import type { IncomingHttpHeaders } from "node:http";
import { UpstreamError, type UpstreamRequestIds } from "../errors.js";
import { limitRefusalFor, type LimitRefusal } from "./limit-refusals.js";
import { readQuotaWindows } from "./quota-windows.js";

const MAX_MESSAGE_LENGTH = 500;

/** Statuses where the same request may well succeed a moment later. */
const RETRYABLE_STATUSES = new Set([500, 502, 503]);

/**
 * Copilot answers errors as OpenAI-shaped JSON (often labelled text/plain), as plain text
 * (`unauthorized: token expired`), or even as an HTML page: try JSON first, whatever the
 * content type (docs/upstream-protocol.md, Error bodies), and never pass a raw body through as
 * the message.
 */
export function parseCopilotError(
  status: number,
  text: string,
  headers: IncomingHttpHeaders,
  /** The client identity sent (`CopilotHeaders.identity`), named in a 466's advice. */
  clientIdentity?: string,
): UpstreamError {
  const { message, code, param } = extractMessage(text);
  const retryAfter = headerValue(headers["retry-after"]);
  let full = message === "" ? `Copilot answered HTTP ${status}` : message;
  if (status === 466) {
    full = describeVersionRejected(full, clientIdentity);
  } else if (status === 401) {
    full = `Copilot rejected the Copilot token: ${full}`;
  }
  const refusal = limitRefusalFor(code);
  if (refusal !== undefined && code !== undefined) {
    return describeLimitRefusal(code, refusal, full, retryAfter, headers, status);
  }
  return new UpstreamError(status, full, {
    code: code ?? defaultCode(status),
    param,
    retryAfter,
    ...readUpstreamRequestIds(headers),
    retryable: RETRYABLE_STATUSES.has(status),
  });
}

/**
 * A refusal for one of the account's limits (402 or 429 from Copilot) becomes a 429 that says
 * which limit is used up and when it resets, with Retry-After at that reset: the client's own
 * retry logic then waits the right time instead of hammering an exhausted account.
 */
function describeLimitRefusal(
  code: string,
  refusal: LimitRefusal,
  said: string,
  retryAfterHeader: string | undefined,
  headers: IncomingHttpHeaders,
  status: number,
): UpstreamError {
  const window =
    refusal.window === undefined
      ? undefined
      : readQuotaWindows(headers).find((candidate) => candidate.name === refusal.window);
  const now = Date.now();
  const fromHeader = Number(retryAfterHeader);
  const resetsAt =
    window?.resetsAt !== undefined && window.resetsAt > now
      ? window.resetsAt
      : Number.isFinite(fromHeader) && fromHeader > 0
        ? now + fromHeader * 1000
        : undefined;
  const reset =
    resetsAt === undefined
      ? ""
      : `; it resets at ${new Date(resetsAt).toISOString()} (in ${describeWait(resetsAt - now)})`;
  return new UpstreamError(
    429,
    `Copilot refused the request: ${refusal.label} of this account is used up${reset}. Copilot said (HTTP ${status}): ${said}`,
    {
      code,
      kind: refusal.kind,
      retryAfter:
        retryAfterHeader ??
        (resetsAt === undefined
          ? undefined
          : String(Math.max(1, Math.ceil((resetsAt - now) / 1000)))),
      ...readUpstreamRequestIds(headers),
    },
  );
}

/** "3 h 12 min", "45 s": a wait as a person reads it. */
function describeWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.round(hours / 24)} days`;
}

/** The support ids of one Copilot answer, success or error. */
export function readUpstreamRequestIds(headers: IncomingHttpHeaders): UpstreamRequestIds {
  return {
    upstreamRequestId: headerValue(headers["x-github-request-id"]),
    copilotServiceRequestId: headerValue(headers["x-copilot-service-request-id"]),
  };
}

/** The settings that make the client identity Copilot checks (see copilot-headers.ts). */
export const CLIENT_IDENTITY_SETTINGS =
  "EDITOR_VERSION, EDITOR_PLUGIN_VERSION, GITHUB_API_VERSION, USER_AGENT or COPILOT_INTEGRATION_ID";

/**
 * Copilot answers 466 to a client version it no longer accepts (docs/upstream-protocol.md,
 * Request headers). Nothing but new values helps, so the message says which settings, what was
 * sent, and where to find current values.
 */
export function describeVersionRejected(said: string, clientIdentity: string | undefined): string {
  const sent = clientIdentity === undefined ? "" : ` Sent: ${clientIdentity}.`;
  return (
    "Copilot no longer accepts the client version this gateway sends (HTTP 466)." +
    `${sent} Update ${CLIENT_IDENTITY_SETTINGS} to the values of a current VS Code and ` +
    `Copilot Chat, then restart. Copilot said: ${said}`
  );
}

function extractMessage(text: string): {
  message: string;
  code: string | undefined;
  param: string | undefined;
} {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    try {
      const body = JSON.parse(trimmed) as unknown;
      const error = isRecord(body) && isRecord(body.error) ? body.error : body;
      if (isRecord(error)) {
        const message = typeof error.message === "string" ? error.message : "";
        return {
          message: clip(message),
          code: typeof error.code === "string" && error.code !== "" ? error.code : undefined,
          param: typeof error.param === "string" ? error.param : undefined,
        };
      }
    } catch {
      // not JSON after all: fall through to plain text
    }
  }
  if (/^<!doctype html|^<html/i.test(trimmed)) {
    return { message: "", code: undefined, param: undefined };
  }
  return { message: clip(trimmed), code: undefined, param: undefined };
}

function defaultCode(status: number): string {
  switch (status) {
    case 401:
      return "copilot_token_rejected";
    case 429:
      return "rate_limited";
    case 466:
      return "client_version_rejected";
    default:
      return status >= 500 ? "upstream_error" : "upstream_rejected";
  }
}

function clip(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
