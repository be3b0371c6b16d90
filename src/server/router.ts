import type { DialectName } from "../dialects/dialect.js";
import type { GatewayError } from "../errors.js";
import type { Exchange } from "./exchange.js";

export type Handler = (exchange: Exchange) => void | Promise<void>;

/** How a route says an error: its API's error body. */
export type ErrorRenderer = (error: GatewayError) => object;

export interface RouteOptions {
  /** Whether the route needs a credential (the API routes) or not (`/`, `/healthz`). */
  readonly authenticated: boolean;
  /** The error body of the route's API (its dialect). */
  readonly renderError: ErrorRenderer;
  /** The conversation API the route serves: its requests are accounted in the ledger. */
  readonly dialect?: DialectName | undefined;
}

interface Route {
  readonly handlers: Map<string, Handler>;
  readonly options: RouteOptions;
}

export type RouteMatch =
  | { readonly kind: "found"; readonly handler: Handler; readonly route: RouteOptions }
  | {
      readonly kind: "method_not_allowed";
      readonly allow: readonly string[];
      readonly route: RouteOptions;
    }
  | {
      readonly kind: "not_found";
      /** The options of the registered route the path falls under (`/v1/messages/x`), if any. */
      readonly nearest: RouteOptions | undefined;
    };

/**
 * Every route of the gateway is a fixed path, so routing is one map look-up: no patterns, no
 * per-request matching work. HEAD is answered by a route's GET handler (Node sends no body).
 */
export class Router {
  readonly #routes = new Map<string, Route>();

  on(method: string, path: string, handler: Handler, options: RouteOptions): void {
    let route = this.#routes.get(path);
    if (route === undefined) {
      route = { handlers: new Map(), options };
      this.#routes.set(path, route);
    } else if (
      route.options.authenticated !== options.authenticated ||
      route.options.renderError !== options.renderError
    ) {
      throw new Error(`${path}: every method of a route must be authenticated and rendered alike`);
    }
    if (route.handlers.has(method)) throw new Error(`${method} ${path} is registered twice`);
    route.handlers.set(method, handler);
  }

  match(method: string, path: string): RouteMatch {
    const route = this.#routes.get(path);
    if (route === undefined) return { kind: "not_found", nearest: this.#nearest(path) };
    const handler =
      route.handlers.get(method) ?? (method === "HEAD" ? route.handlers.get("GET") : undefined);
    if (handler === undefined) {
      return {
        kind: "method_not_allowed",
        allow: [...route.handlers.keys()],
        route: route.options,
      };
    }
    return { kind: "found", handler, route: route.options };
  }

  /** The route whose path is the longest whole-segment prefix of `path`. */
  #nearest(path: string): RouteOptions | undefined {
    for (let end = path.lastIndexOf("/"); end > 0; end = path.lastIndexOf("/", end - 1)) {
      const route = this.#routes.get(path.slice(0, end));
      if (route !== undefined) return route.options;
    }
    return undefined;
  }
}
