import type { Exchange } from "./exchange.js";

export type Handler = (exchange: Exchange) => void | Promise<void>;

interface Route {
  readonly handlers: Map<string, Handler>;
  /** Whether the route needs a credential (the API routes) or not (`/`, `/healthz`). */
  readonly authenticated: boolean;
}

export type RouteMatch =
  | { readonly kind: "found"; readonly handler: Handler; readonly authenticated: boolean }
  | { readonly kind: "method_not_allowed"; readonly allow: readonly string[] }
  | { readonly kind: "not_found" };

/**
 * Every route of the gateway is a fixed path, so routing is one map look-up: no patterns, no
 * per-request matching work. HEAD is answered by a route's GET handler (Node sends no body).
 */
export class Router {
  readonly #routes = new Map<string, Route>();

  get(path: string, handler: Handler, options?: { authenticated?: boolean }): void {
    this.on("GET", path, handler, options);
  }

  post(path: string, handler: Handler, options?: { authenticated?: boolean }): void {
    this.on("POST", path, handler, options);
  }

  on(
    method: string,
    path: string,
    handler: Handler,
    options: { authenticated?: boolean } = {},
  ): void {
    const authenticated = options.authenticated ?? true;
    let route = this.#routes.get(path);
    if (route === undefined) {
      route = { handlers: new Map(), authenticated };
      this.#routes.set(path, route);
    } else if (route.authenticated !== authenticated) {
      throw new Error(`${path}: every method of a route must be authenticated alike`);
    }
    if (route.handlers.has(method)) throw new Error(`${method} ${path} is registered twice`);
    route.handlers.set(method, handler);
  }

  match(method: string, path: string): RouteMatch {
    const route = this.#routes.get(path);
    if (route === undefined) return { kind: "not_found" };
    const handler =
      route.handlers.get(method) ?? (method === "HEAD" ? route.handlers.get("GET") : undefined);
    if (handler === undefined)
      return { kind: "method_not_allowed", allow: [...route.handlers.keys()] };
    return { kind: "found", handler, authenticated: route.authenticated };
  }
}
