import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./harness.js";

/*
 * A CORS preflight is answered only as far as the configured origins allow: with `*`, any page may
 * send the headers the API reads and those the official SDKs add, nothing else; an origin listed
 * by name may send what it asks for; an origin not listed gets no CORS headers at all.
 */

async function preflight(h: Harness, origin: string, requestHeaders: string) {
  const response = await fetch(`${h.gateway.url}/v1/chat/completions`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": requestHeaders,
    },
  });
  return {
    status: response.status,
    allowOrigin: response.headers.get("access-control-allow-origin"),
    allowHeaders: response.headers.get("access-control-allow-headers"),
  };
}

const SDK_HEADERS =
  "authorization, content-type, x-api-key, anthropic-version, anthropic-beta, " +
  "anthropic-dangerous-direct-browser-access, x-stainless-os, x-stainless-retry-count, " +
  "openai-organization, openai-project";

describe("CORS_ORIGINS=* (the default)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("allows the API's headers and the SDKs' own", async () => {
    expect(await preflight(h, "https://any.example", SDK_HEADERS)).toEqual({
      status: 204,
      allowOrigin: "*",
      allowHeaders: SDK_HEADERS,
    });
  });

  it("does not echo other requested headers", async () => {
    expect(
      await preflight(h, "https://any.example", "Authorization, X-Forwarded-For, cookie, x-evil"),
    ).toEqual({ status: 204, allowOrigin: "*", allowHeaders: "authorization" });
  });
});

describe("CORS_ORIGINS with named origins", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { CORS_ORIGINS: "https://chat.example.com" } });
  });
  afterAll(async () => {
    await h.close();
  });

  it("lets a listed origin send the headers it asks for", async () => {
    expect(await preflight(h, "https://chat.example.com", "authorization, x-my-ui-header")).toEqual(
      {
        status: 204,
        allowOrigin: "https://chat.example.com",
        allowHeaders: "authorization, x-my-ui-header",
      },
    );
  });

  it("gives an origin not listed no CORS headers", async () => {
    expect(await preflight(h, "https://evil.example", "authorization, x-evil")).toEqual({
      status: 204,
      allowOrigin: null,
      allowHeaders: null,
    });
  });
});
