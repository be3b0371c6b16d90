/**
 * One root error class for everything the gateway reports to a client. Each dialect's renderer
 * (OpenAI, Anthropic) turns a GatewayError into its own body shape; `kind` is dialect-neutral.
 */
export type ErrorKind =
  | "invalid_request"
  | "authentication"
  | "permission"
  | "not_found"
  | "method_not_allowed"
  | "payload_too_large"
  | "rate_limit"
  /** A spending allowance or budget is used up until its window resets (429, OpenAI's insufficient_quota). */
  | "quota"
  | "upstream"
  | "upstream_connection"
  | "upstream_timeout"
  /** The gateway's own limits are full for now: try again shortly (503 with Retry-After). */
  | "overloaded"
  | "internal";

export interface GatewayErrorOptions {
  readonly code?: string | undefined;
  readonly param?: string | undefined;
  /** Seconds, for 429 answers. */
  readonly retryAfter?: string | undefined;
  /** Whether trying the same request again may succeed (before any byte reached the client). */
  readonly retryable?: boolean | undefined;
  readonly cause?: unknown;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly kind: ErrorKind;
  readonly code: string | undefined;
  readonly param: string | undefined;
  readonly retryAfter: string | undefined;
  readonly retryable: boolean;

  constructor(status: number, kind: ErrorKind, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GatewayError";
    this.status = status;
    this.kind = kind;
    this.code = options.code;
    this.param = options.param;
    this.retryAfter = options.retryAfter;
    this.retryable = options.retryable ?? false;
  }
}

export class InvalidRequestError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(400, "invalid_request", message, options);
    this.name = "InvalidRequestError";
  }
}

export class AuthenticationError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(401, "authentication", message, options);
    this.name = "AuthenticationError";
  }
}

export class PermissionError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(403, "permission", message, options);
    this.name = "PermissionError";
  }
}

/** A limit of the gateway's or of Copilot's is reached: 429 with Retry-After at its reset. */
export class LimitError extends GatewayError {
  constructor(
    kind: "rate_limit" | "quota",
    message: string,
    options: GatewayErrorOptions & { readonly code: string; readonly retryAfter: string },
  ) {
    super(429, kind, message, options);
    this.name = "LimitError";
  }
}

/** The ids Copilot gives each answer, which GitHub support asks for. */
export interface UpstreamRequestIds {
  /** `x-github-request-id`. */
  readonly upstreamRequestId?: string | undefined;
  /** `x-copilot-service-request-id`. */
  readonly copilotServiceRequestId?: string | undefined;
}

/** Copilot (or GitHub) answered with an error status. */
export class UpstreamError extends GatewayError {
  readonly upstreamRequestId: string | undefined;
  readonly copilotServiceRequestId: string | undefined;

  constructor(
    status: number,
    message: string,
    options: GatewayErrorOptions & UpstreamRequestIds & { readonly kind?: ErrorKind } = {},
  ) {
    super(status, options.kind ?? upstreamKind(status), message, options);
    this.name = "UpstreamError";
    this.upstreamRequestId = options.upstreamRequestId;
    this.copilotServiceRequestId = options.copilotServiceRequestId;
  }
}

/** The code of every error for a 2xx answer from Copilot that is not what it should be. */
export const UPSTREAM_MALFORMED = "upstream_malformed_response";

/** The upstream could not be reached, or the connection broke (retryable unless said otherwise). */
export class UpstreamConnectionError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(502, "upstream_connection", message, { retryable: true, ...options });
    this.name = "UpstreamConnectionError";
  }
}

export class UpstreamTimeoutError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(504, "upstream_timeout", message, options);
    this.name = "UpstreamTimeoutError";
  }
}

/** The gateway's own limits are full for the moment: 503, with when to try again. */
export class OverloadedError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions & { retryAfter: string }) {
    super(503, "overloaded", message, { code: "server_busy", ...options });
    this.name = "OverloadedError";
  }
}

function upstreamKind(status: number): ErrorKind {
  if (status === 400 || status === 422) return "invalid_request";
  if (status === 401) return "authentication";
  if (status === 402 || status === 403) return "permission";
  if (status === 404) return "not_found";
  if (status === 413) return "payload_too_large";
  if (status === 429) return "rate_limit";
  return "upstream";
}
