import { describe, expect, it } from "vitest";
import { Router, type Handler, type RouteOptions } from "./router.js";

describe("Router", () => {
  const list: Handler = () => undefined;
  const chat: Handler = () => undefined;
  const health: Handler = () => undefined;
  const api: RouteOptions = { authenticated: true, renderError: () => ({ api: true }) };
  const open: RouteOptions = { authenticated: false, renderError: () => ({ open: true }) };
  const router = new Router();
  router.on("GET", "/v1/models", list, api);
  router.on("POST", "/v1/chat/completions", chat, api);
  router.on("GET", "/healthz", health, open);

  it("finds a route by exact path and method", () => {
    expect(router.match("POST", "/v1/chat/completions")).toEqual({
      kind: "found",
      handler: chat,
      route: api,
    });
    expect(router.match("GET", "/healthz")).toEqual({
      kind: "found",
      handler: health,
      route: open,
    });
  });

  it("answers HEAD with the GET handler", () => {
    expect(router.match("HEAD", "/v1/models")).toEqual({
      kind: "found",
      handler: list,
      route: api,
    });
  });

  it("tells a wrong method (with the methods allowed) from an unknown path", () => {
    expect(router.match("GET", "/v1/chat/completions")).toEqual({
      kind: "method_not_allowed",
      allow: ["POST"],
      route: api,
    });
    expect(router.match("HEAD", "/v1/chat/completions")).toEqual({
      kind: "method_not_allowed",
      allow: ["POST"],
      route: api,
    });
    expect(router.match("GET", "/v1/models/")).toEqual({ kind: "not_found", nearest: api });
    expect(router.match("GET", "/V1/models")).toEqual({ kind: "not_found", nearest: undefined });
    expect(router.match("POST", "/v1/chat/completions/x/y")).toEqual({
      kind: "not_found",
      nearest: api,
    });
    expect(router.match("GET", "/v1")).toEqual({ kind: "not_found", nearest: undefined });
  });

  it("refuses a route registered twice, or with mixed authentication or dialects", () => {
    expect(() => router.on("GET", "/v1/models", list, api)).toThrow(
      "GET /v1/models is registered twice",
    );
    expect(() => router.on("POST", "/healthz", health, api)).toThrow(
      "/healthz: every method of a route must be authenticated and rendered alike",
    );
  });
});
