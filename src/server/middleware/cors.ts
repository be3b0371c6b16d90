import type { Exchange } from "../exchange.js";

export interface CorsOptions {
  /** Allowed origins; `*` allows any. */
  readonly origins: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds: number;
}

/** Adds CORS headers to the answer; returns true when it answered the request itself (OPTIONS). */
export type Cors = (exchange: Exchange) => boolean;

/**
 * CORS for browser clients (chat UIs). Requests without an `Origin` header (SDKs, curl, agents:
 * nearly all traffic) pass untouched and cost nothing. A preflight is answered here with 204.
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS
 */
export function createCors(options: CorsOptions): Cors {
  const any = options.origins.includes("*");
  const allowed = new Set(options.origins.map((origin) => origin.toLowerCase()));
  const allowHeaders = options.allowHeaders.join(", ");
  const exposeHeaders = options.exposeHeaders.join(", ");
  const maxAge = String(options.maxAgeSeconds);

  return (exchange) => {
    const origin = exchange.header("origin");
    if (origin === undefined) {
      // Not a browser: an OPTIONS is answered plainly, anything else passes untouched.
      if (exchange.method !== "OPTIONS") return false;
      exchange.setHeader("allow", "GET, POST, OPTIONS");
      exchange.send(204, null);
      return true;
    }
    const allowOrigin = any ? "*" : allowed.has(origin.toLowerCase()) ? origin : undefined;
    if (exchange.method === "OPTIONS") {
      exchange.setHeader("vary", "Origin, Access-Control-Request-Headers");
      if (allowOrigin !== undefined) {
        exchange.setHeader("access-control-allow-origin", allowOrigin);
        exchange.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
        // SDKs in browsers add their own headers (x-stainless-*, anthropic-*): allow what is asked.
        exchange.setHeader(
          "access-control-allow-headers",
          exchange.header("access-control-request-headers") ?? allowHeaders,
        );
        exchange.setHeader("access-control-max-age", maxAge);
      }
      exchange.send(204, null);
      return true;
    }
    if (allowOrigin !== undefined) {
      exchange.setHeader("access-control-allow-origin", allowOrigin);
      exchange.setHeader("access-control-expose-headers", exposeHeaders);
    }
    if (!any) exchange.setHeader("vary", "Origin");
    return false;
  };
}
