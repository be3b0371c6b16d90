import { describe, expect, it } from "vitest";
import { Router, type Handler } from "./router.js";

describe("Router", () => {
  const list: Handler = () => undefined;
  const chat: Handler = () => undefined;
  const health: Handler = () => undefined;
  const router = new Router();
  router.get("/v1/models", list);
  router.post("/v1/chat/completions", chat);
  router.get("/healthz", health, { authenticated: false });

  it("finds a route by exact path and method", () => {
    expect(router.match("POST", "/v1/chat/completions")).toEqual({
      kind: "found",
      handler: chat,
      authenticated: true,
    });
    expect(router.match("GET", "/healthz")).toEqual({
      kind: "found",
      handler: health,
      authenticated: false,
    });
  });

  it("answers HEAD with the GET handler", () => {
    expect(router.match("HEAD", "/v1/models")).toEqual({
      kind: "found",
      handler: list,
      authenticated: true,
    });
  });

  it("tells a wrong method (with the methods allowed) from an unknown path", () => {
    expect(router.match("GET", "/v1/chat/completions")).toEqual({
      kind: "method_not_allowed",
      allow: ["POST"],
    });
    expect(router.match("HEAD", "/v1/chat/completions")).toEqual({
      kind: "method_not_allowed",
      allow: ["POST"],
    });
    expect(router.match("GET", "/v1/models/")).toEqual({ kind: "not_found" });
    expect(router.match("GET", "/V1/models")).toEqual({ kind: "not_found" });
  });

  it("refuses a route registered twice, or with mixed authentication", () => {
    expect(() => router.get("/v1/models", list)).toThrow("GET /v1/models is registered twice");
    expect(() => router.post("/healthz", health)).toThrow(
      "/healthz: every method of a route must be authenticated alike",
    );
  });
});
