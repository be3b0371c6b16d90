import { describe, expect, it } from "vitest";
import { messageOf } from "../config/config-error-message.test-helper.js";
import { checkBoundExposure, checkExposure } from "./serve.js";

describe("checkExposure", () => {
  it.each(["localhost", "127.0.0.1", "127.3.2.1", "::1", "::ffff:127.0.0.1"])(
    "lets a server-held account listen on %s without API_KEYS",
    (host) => {
      expect(checkExposure(host, true, false)).toBeUndefined();
    },
  );

  it.each(["0.0.0.0", "127.evil.example", "127.0.0.1.nip.io", "10.0.0.1", "::"])(
    "refuses %s, a name or address that is not loopback",
    (host) => {
      expect(messageOf(() => checkExposure(host, true, false))).toBe(
        `API_KEYS: HOST ${host} would expose the server-held GitHub account to the network: set API_KEYS (for example API_KEYS=$(cogpt share-token)) so clients must present a key, or listen on HOST=localhost`,
      );
    },
  );

  it("lets anything through with API_KEYS, or without a server-held account", () => {
    expect(checkExposure("0.0.0.0", true, true)).toBeUndefined();
    expect(checkExposure("0.0.0.0", false, false)).toBeUndefined();
  });
});

describe("checkBoundExposure", () => {
  it.each(["127.0.0.1", "[::1]", "[::ffff:7f00:1]"])("accepts the bound address %s", (bound) => {
    expect(checkBoundExposure("localhost", bound, true, false)).toBeUndefined();
  });

  it("refuses a name bound to an address that is not loopback", () => {
    expect(messageOf(() => checkBoundExposure("localhost", "192.168.1.20", true, false))).toBe(
      "API_KEYS: HOST localhost is bound to 192.168.1.20, which is not a loopback address: that would expose the server-held GitHub account to the network. Set API_KEYS (for example API_KEYS=$(cogpt share-token)) so clients must present a key, or listen on HOST=127.0.0.1",
    );
    expect(checkBoundExposure("localhost", "192.168.1.20", true, true)).toBeUndefined();
  });
});
