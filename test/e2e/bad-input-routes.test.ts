import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AUTHORIZATION, GATEWAY_ROUTES, UNKNOWN_PATHS } from "./bad-input-client.js";
import { startHarness, type Harness } from "./harness.js";

// Unknown routes get a 404 and known routes a 405 for other methods, in the OpenAI shape;
// OPTIONS is always a CORS preflight.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
const logsAtStart = new Map<string, number>();
beforeEach(({ task }) => {
  logsAtStart.set(task.id, h.logs.length);
});
afterEach(async ({ task }) => {
  expect((await fetch(`${h.gateway.url}/healthz`)).status).toBe(200);
  const logs = h.logs.slice(logsAtStart.get(task.id));
  expect(logs.filter((line) => /\bERROR\b/.test(line))).toEqual([]);
});

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

async function send(method: string, path: string) {
  const response = await fetch(`${h.gateway.url}${path}`, {
    method,
    headers: { authorization: AUTHORIZATION, "content-type": "application/json" },
    ...(method === "GET" ? {} : { body: "{}" }),
  });
  return {
    status: response.status,
    allow: response.headers.get("allow"),
    body: await response.json(),
  };
}

describe("unknown routes", () => {
  it.each(UNKNOWN_PATHS)("%s → 404 for every method", async (path) => {
    for (const method of METHODS) {
      expect(await send(method, path)).toEqual({
        status: 404,
        allow: null,
        body: {
          error: {
            message: `Unknown route: ${method} ${path}`,
            type: "not_found_error",
            code: "unknown_route",
            param: null,
          },
        },
      });
    }
  });
});

describe("methods a route does not answer", () => {
  it.each(GATEWAY_ROUTES)("$path → 405 with Allow", async ({ path, methods }) => {
    for (const method of METHODS.filter((method) => !methods.includes(method))) {
      expect(await send(method, path)).toEqual({
        status: 405,
        allow: methods.join(", "),
        body: {
          error: {
            message: `Method ${method} is not allowed on ${path}; use ${methods.join(" or ")}`,
            type: "invalid_request_error",
            code: "method_not_allowed",
            param: null,
          },
        },
      });
    }
  });

  it.each([...GATEWAY_ROUTES.map((route) => route.path), ...UNKNOWN_PATHS])(
    "OPTIONS %s is a CORS preflight → 204 with the CORS headers, without a key",
    async (path) => {
      const response = await fetch(`${h.gateway.url}${path}`, {
        method: "OPTIONS",
        headers: {
          origin: "https://chat.example",
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      });
      expect(response.status).toBe(204);
      expect(await response.text()).toBe("");
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      // The headers the browser asks for are allowed (SDKs add their own, x-stainless-* …).
      expect(response.headers.get("access-control-allow-headers")).toBe(
        "authorization, content-type",
      );
      expect(response.headers.get("access-control-allow-methods")).toBe("GET, POST, OPTIONS");
      expect(response.headers.get("access-control-max-age")).toBe("600");
    },
  );
});
