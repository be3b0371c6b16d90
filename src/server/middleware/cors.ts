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
  const fixedHeaders = new Set(options.allowHeaders.map((name) => name.toLowerCase()));
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
    const listed = allowed.has(origin.toLowerCase());
    const allowOrigin = listed ? origin : any ? "*" : undefined;
    if (exchange.method === "OPTIONS") {
      exchange.setHeader("vary", "Origin, Access-Control-Request-Headers");
      if (allowOrigin !== undefined) {
        exchange.setHeader("access-control-allow-origin", allowOrigin);
        exchange.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
        // An origin listed by name may send whatever it asks for; any other page (CORS_ORIGINS=*)
        // only the headers the API reads and those the official SDKs add in browsers.
        const requested = exchange.header("access-control-request-headers");
        exchange.setHeader(
          "access-control-allow-headers",
          requested === undefined
            ? allowHeaders
            : listed
              ? requested
              : allowedOf(requested, fixedHeaders),
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
    // The answer depends on the origin unless every origin gets `*`.
    if (!any || allowed.size > 1) exchange.setHeader("vary", "Origin");
    return false;
  };
}

/** Headers the official OpenAI and Anthropic SDKs add when they run in a browser. */
const SDK_HEADER =
  /^(?:x-stainless-[a-z0-9-]+|openai-[a-z0-9-]+|anthropic-dangerous-direct-browser-access)$/;

/** The requested headers that any origin may send; the browser refuses the request otherwise. */
function allowedOf(requested: string, fixed: ReadonlySet<string>): string {
  const names: string[] = [];
  for (const part of requested.split(",")) {
    const name = part.trim().toLowerCase();
    if (fixed.has(name) || SDK_HEADER.test(name)) names.push(name);
  }
  return names.join(", ");
}
