import { describe, expect, it } from "vitest";
import type { GatewayError } from "../../errors.js";
import { createAdminAccess, type AdminRequest } from "./admin-access.js";

const ADMIN_KEY = "admin-0123456789abcdef";

/** "allowed", or the refusal's status, code and message. */
function check(
  adminKey: string | undefined,
  remoteAddress: string,
  headers: Record<string, string> = {},
): unknown {
  const request: AdminRequest = {
    authorization: headers["authorization"],
    apiKey: headers["x-api-key"],
    origin: headers["origin"],
    remoteAddress,
    host: "host" in headers ? headers["host"] : "localhost:8080",
    fetchSite: headers["sec-fetch-site"],
  };
  try {
    createAdminAccess({ adminKey, resource: "/metrics" })(request);
    return "allowed";
  } catch (error) {
    const { status, code, message } = error as GatewayError;
    return { status, code, message };
  }
}

const BROWSER_MESSAGE =
  "A browser request (with an Origin header) cannot read /metrics without the admin key; send Authorization: Bearer <ADMIN_KEY>";

describe("createAdminAccess", () => {
  it.each(["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])(
    "lets a loopback client in without a key (%s), whether ADMIN_KEY is set or not",
    (address) => {
      expect(check(undefined, address)).toBe("allowed");
      expect(check(ADMIN_KEY, address)).toBe("allowed");
    },
  );

  it.each([
    ["localhost", "allowed"],
    ["127.0.0.1:8080", "allowed"],
    ["[::1]:8080", "allowed"],
    [
      "attacker.example:8080",
      {
        status: 403,
        code: "host_not_allowed",
        message:
          "Without the admin key, /metrics answers only requests addressed to a loopback name (Host: localhost, 127.0.0.1 or [::1]); another Host is what a page reaching this machine through DNS rebinding sends",
      },
    ],
  ])("on the loopback, Host %s → %j", (host, expected) => {
    expect(check(undefined, "127.0.0.1", { host })).toEqual(expected);
  });

  it("refuses a browser on the loopback (Origin, or a cross-site fetch) with 403", () => {
    expect(check(undefined, "127.0.0.1", { origin: "http://localhost:5173" })).toEqual({
      status: 403,
      code: "origin_not_allowed",
      message: BROWSER_MESSAGE,
    });
    expect(check(ADMIN_KEY, "::1", { origin: "https://evil.example" })).toEqual({
      status: 403,
      code: "origin_not_allowed",
      message: BROWSER_MESSAGE,
    });
    expect(check(undefined, "127.0.0.1", { "sec-fetch-site": "cross-site" })).toEqual({
      status: 403,
      code: "cross_site_request",
      message:
        "A browser request from another site (Sec-Fetch-Site: cross-site) cannot read /metrics without the admin key",
    });
    expect(check(undefined, "127.0.0.1", { "sec-fetch-site": "none" })).toBe("allowed");
  });

  it("lets anyone with the admin key in, as a bearer token or x-api-key, browsers too", () => {
    const bearer = { authorization: `Bearer ${ADMIN_KEY}` };
    expect(check(ADMIN_KEY, "192.0.2.7", bearer)).toBe("allowed");
    expect(check(ADMIN_KEY, "2001:db8::1", { "x-api-key": ADMIN_KEY })).toBe("allowed");
    expect(check(ADMIN_KEY, "127.0.0.1", { ...bearer, origin: "https://grafana.example" })).toBe(
      "allowed",
    );
    expect(check(ADMIN_KEY, "192.0.2.7", { ...bearer, host: "gateway.example" })).toBe("allowed");
  });

  it("refuses a remote client without the right key with 401, saying what is missing", () => {
    expect(check(ADMIN_KEY, "192.0.2.7")).toEqual({
      status: 401,
      code: "missing_api_key",
      message: "/metrics needs the gateway's admin key: send Authorization: Bearer <ADMIN_KEY>",
    });
    expect(check(ADMIN_KEY, "192.0.2.7", { authorization: `Bearer ${ADMIN_KEY}x` })).toEqual({
      status: 401,
      code: "invalid_api_key",
      message: "Wrong admin key for /metrics: it is not ADMIN_KEY",
    });
    expect(check(ADMIN_KEY, "::ffff:10.0.0.1", { authorization: "Bearer ghu_abc" })).toEqual({
      status: 401,
      code: "invalid_api_key",
      message: "Wrong admin key for /metrics: it is not ADMIN_KEY",
    });
    expect(check(ADMIN_KEY, "", {})).toMatchObject({ status: 401 });
  });

  it("refuses every remote client when no ADMIN_KEY is set, whatever key it sends", () => {
    const expected = {
      status: 401,
      code: "admin_key_not_set",
      message:
        "/metrics is served only to clients on this machine (loopback); set ADMIN_KEY on the gateway and send it as Authorization: Bearer <ADMIN_KEY> to read it from elsewhere",
    };
    expect(check(undefined, "192.0.2.7")).toEqual(expected);
    expect(check(undefined, "192.0.2.7", { authorization: `Bearer ${ADMIN_KEY}` })).toEqual(
      expected,
    );
  });
});
