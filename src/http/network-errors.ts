import { errors } from "undici";

/** True for undici's connect, headers and body timeouts. */
export function isTimeoutError(error: unknown): boolean {
  return (
    error instanceof errors.ConnectTimeoutError ||
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError
  );
}

/** A connect timeout can be retried at once; a response that never came would double the wait. */
export function isConnectTimeout(error: unknown): boolean {
  return error instanceof errors.ConnectTimeoutError;
}

/** A short, secret-free description of a network failure (no URLs with credentials, no stack). */
export function describeNetworkError(error: unknown): string {
  if (error instanceof errors.ConnectTimeoutError) return "connect timeout";
  if (error instanceof errors.HeadersTimeoutError) return "no response headers in time";
  if (error instanceof errors.BodyTimeoutError) return "the response stalled";
  if (error instanceof errors.SocketError) return "the connection was closed";
  const code = errorCode(error);
  if (code !== undefined) return code;
  return "network error";
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("E")) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
