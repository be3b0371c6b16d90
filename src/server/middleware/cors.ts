import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.js";

export interface CorsOptions {
  /** Allowed origins; `*` allows any. */
  readonly origins: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds: number;
}

/**
 * CORS for browser clients (chat UIs). Requests without an `Origin` header (SDKs, curl, agents:
 * nearly all traffic) pass untouched and cost nothing. A preflight is answered here with 204.
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS
 */
export function createCors(options: CorsOptions): MiddlewareHandler<AppEnv> {
  const any = options.origins.includes("*");
  const allowed = new Set(options.origins.map((origin) => origin.toLowerCase()));
  const allowHeaders = options.allowHeaders.join(", ");
  const exposeHeaders = options.exposeHeaders.join(", ");
  const maxAge = String(options.maxAgeSeconds);

  return async (c, next) => {
    const origin = c.req.header("origin");
    if (origin === undefined) {
      // Not a browser: an OPTIONS is answered plainly, anything else passes untouched.
      if (c.req.method === "OPTIONS") return c.body(null, 204, { allow: "GET, POST, OPTIONS" });
      await next();
      return;
    }
    const allowOrigin = any ? "*" : allowed.has(origin.toLowerCase()) ? origin : undefined;
    if (c.req.method === "OPTIONS") {
      const headers: Record<string, string> = { vary: "Origin, Access-Control-Request-Headers" };
      if (allowOrigin !== undefined) {
        headers["access-control-allow-origin"] = allowOrigin;
        headers["access-control-allow-methods"] = "GET, POST, OPTIONS";
        // SDKs in browsers add their own headers (x-stainless-*, anthropic-*): allow what is asked.
        headers["access-control-allow-headers"] =
          c.req.header("access-control-request-headers") ?? allowHeaders;
        headers["access-control-max-age"] = maxAge;
      }
      return c.body(null, 204, headers);
    }
    if (allowOrigin !== undefined) {
      c.header("access-control-allow-origin", allowOrigin);
      c.header("access-control-expose-headers", exposeHeaders);
    }
    if (!any) c.header("vary", "Origin");
    await next();
  };
}
