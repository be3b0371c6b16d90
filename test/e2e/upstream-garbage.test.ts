import Anthropic from "@anthropic-ai/sdk";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fixturesDir } from "../fixtures-dir.js";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness } from "./harness.js";

/*
 * Copilot answering 200 with something that is not an answer (not JSON, JSON of the wrong shape,
 * a stream that is not an event stream, events that cannot be read) is Copilot's failure: 502
 * upstream_error in the client's dialect on every route, native relays included, and an error
 * event (never a silent success) once a stream has begun.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.reset();
});

type Dialect = "openai" | "anthropic";

interface RouteCase {
  readonly name: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly upstream: string;
  readonly dialect: Dialect;
  /** What the route calls Copilot's answer in its messages. */
  readonly what: string;
  /** Whether the gateway reads the stream's events (translated or normalised) or relays them. */
  readonly readsEvents: boolean;
}

const chat = (model: string) => ({ model, messages: [{ role: "user", content: "hi" }] });
const messages = (model: string) => ({
  model,
  max_tokens: 50,
  messages: [{ role: "user", content: "hi" }],
});

const ROUTES: readonly RouteCase[] = [
  {
    name: "chat",
    path: "/v1/chat/completions",
    body: chat("gpt-4o"),
    upstream: "/chat/completions",
    dialect: "openai",
    what: "chat completion",
    readsEvents: true,
  },
  {
    name: "chat translated to /responses",
    path: "/v1/chat/completions",
    body: chat("gpt-5.3-codex"),
    upstream: "/responses",
    dialect: "openai",
    what: "Responses answer",
    readsEvents: true,
  },
  {
    name: "responses native",
    path: "/v1/responses",
    body: { model: "gpt-5.3-codex", input: "hi" },
    upstream: "/responses",
    dialect: "openai",
    what: "Responses answer",
    readsEvents: false,
  },
  {
    name: "responses translated to /chat/completions",
    path: "/v1/responses",
    body: { model: "gpt-4o", input: "hi" },
    upstream: "/chat/completions",
    dialect: "openai",
    what: "chat completion",
    readsEvents: true,
  },
  {
    name: "messages native",
    path: "/v1/messages",
    body: messages("claude-sonnet-4.5"),
    upstream: "/v1/messages",
    dialect: "anthropic",
    what: "Messages answer",
    readsEvents: false,
  },
  {
    name: "messages translated to /chat/completions",
    path: "/v1/messages",
    body: messages("gpt-4o"),
    upstream: "/chat/completions",
    dialect: "anthropic",
    what: "chat completion",
    readsEvents: true,
  },
  {
    name: "messages translated to /responses",
    path: "/v1/messages",
    body: messages("gpt-5.3-codex"),
    upstream: "/responses",
    dialect: "anthropic",
    what: "Responses answer",
    readsEvents: true,
  },
];

const EMBEDDINGS: RouteCase = {
  name: "embeddings",
  path: "/v1/embeddings",
  body: { model: "text-embedding-3-small", input: "hi" },
  upstream: "/embeddings",
  dialect: "openai",
  what: "embeddings answer",
  readsEvents: false,
};

function post(route: RouteCase, stream: boolean): Promise<Response> {
  const body = stream ? { ...route.body, stream: true } : route.body;
  return fetch(`${h.gateway.url}${route.path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${FAKE_GITHUB_TOKEN}`,
      "content-type": "application/json",
      "anthropic-version": "2023-06-01",
    },
    body: JSON.stringify(body),
  });
}

/** The 502 body of each dialect, for a message that must match `message`. */
function upstreamErrorBody(dialect: Dialect, message: RegExp) {
  return dialect === "openai"
    ? {
        error: {
          message: expect.stringMatching(message) as unknown,
          type: "upstream_error",
          code: "upstream_malformed_response",
          param: null,
        },
      }
    : {
        type: "error",
        error: { type: "api_error", message: expect.stringMatching(message) as unknown },
      };
}

async function expect502(response: Response, dialect: Dialect, message: RegExp): Promise<void> {
  expect(response.status).toBe(502);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(await response.json()).toEqual(upstreamErrorBody(dialect, message));
}

const NON_STREAM_SHAPES = [
  ["a body that is not JSON", "<html><body>Bad gateway</body></html>", /is not JSON$/],
  ["JSON of the wrong shape", '{"choices":"weird"}', /not (understood|a list)|no `data` list/],
  ["JSON that is not an object", "[1,2,3]", /not (understood|an object)|no `data` list/],
] as const;

describe.each([...ROUTES, EMBEDDINGS])("$name, not streamed", (route) => {
  it.each(NON_STREAM_SHAPES)("answers 502 for %s", async (_shape, body, message) => {
    h.fake.injectFault({ path: route.upstream, status: 200, body });
    await expect502(await post(route, false), route.dialect, message);
  });
});

describe.each(ROUTES)("$name, streamed", (route) => {
  it("answers 502 before the stream starts when Copilot answers with JSON", async () => {
    h.fake.injectFault({
      path: route.upstream,
      status: 200,
      body: '{"choices":"weird"}',
      headers: { "content-type": "application/json" },
    });
    const expected = new RegExp(
      `^Copilot answered a streamed ${route.what} with content type "application/json" instead of an event stream$`,
    );
    await expect502(await post(route, true), route.dialect, expected);
  });

  it("answers 502 when Copilot answers with no content type at all", async () => {
    h.fake.injectFault({ path: route.upstream, status: 200, body: "data: hi\n\n" });
    const response = await post(route, true);
    expect(response.status).toBe(502);
  });

  it.runIf(route.readsEvents)(
    "ends with the dialect's error event when an event's data is not JSON",
    async () => {
      h.fake.injectFault({
        path: route.upstream,
        status: 200,
        body: "data: {not json\n\n",
        headers: { "content-type": "text/event-stream" },
      });
      const response = await post(route, true);
      expect(response.status).toBe(200);
      const events = (await response.text()).trim().split("\n\n");
      expect(lastErrorMessage(route, events)).toMatch(/event whose data is not JSON$|is not JSON$/);
    },
  );
});

/** The message of the stream's final event, which must be the dialect's error event. */
function lastErrorMessage(route: RouteCase, events: readonly string[]): string {
  const last = events.at(-1) ?? "";
  const lines = last.split("\n");
  const data = JSON.parse(lines.find((line) => line.startsWith("data: "))?.slice(6) ?? "null") as {
    type?: string;
    message?: string;
    error?: { type?: string; message?: string; code?: string };
  };
  if (route.dialect === "anthropic") {
    expect(lines[0]).toBe("event: error");
    expect(data.type).toBe("error");
    expect(data.error?.type).toBe("api_error");
    return data.error?.message ?? "";
  }
  if (route.path === "/v1/responses") {
    // The translated Responses stream sends `error`, then fails the response.
    expect(lines[0]).toBe("event: response.failed");
    const error = events.find((event) => event.startsWith("event: error\n")) ?? "";
    const body = JSON.parse(error.slice(error.indexOf("data: ") + 6)) as { message: string };
    return body.message;
  }
  expect(data.error?.type).toBe("upstream_error");
  expect(data.error?.code).toBe("upstream_malformed_response");
  return data.error?.message ?? "";
}

describe("the official SDKs see an upstream error", () => {
  it("openai: a chat completion with choices that are not a list is a 502 APIError", async () => {
    h.fake.injectFault({ path: "/chat/completions", status: 200, body: '{"choices":"weird"}' });
    const client = new OpenAI({
      apiKey: FAKE_GITHUB_TOKEN,
      baseURL: `${h.gateway.url}/v1`,
      maxRetries: 0,
    });
    const error = await client.chat.completions
      .create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toEqual({
      message: "Copilot answered with a chat completion whose `choices` is not a list",
      type: "upstream_error",
      code: "upstream_malformed_response",
      param: null,
    });
  });

  it("openai: a stream whose chunk has choices that are not a list raises, never ends quietly", async () => {
    h.fake.injectFault({
      path: "/chat/completions",
      status: 200,
      body: 'data: {"choices":"weird"}\n\ndata: [DONE]\n\n',
      headers: { "content-type": "text/event-stream" },
    });
    const client = new OpenAI({
      apiKey: FAKE_GITHUB_TOKEN,
      baseURL: `${h.gateway.url}/v1`,
      maxRetries: 0,
    });
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const error = await (async () => {
      for await (const _chunk of stream) {
        // read until it fails
      }
    })().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toBe(
      "Copilot sent a malformed chat completion stream: `choices` is not a list",
    );
  });

  it("anthropic: a native Messages answer that is not a message is a 502 api_error", async () => {
    h.fake.injectFault({ path: "/v1/messages", status: 200, body: '{"hello":"world"}' });
    const client = new Anthropic({
      apiKey: FAKE_GITHUB_TOKEN,
      baseURL: h.gateway.url,
      maxRetries: 0,
    });
    const error = await client.messages.create(messages("claude-sonnet-4.5") as never).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(502);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toEqual({
      type: "error",
      error: {
        type: "api_error",
        message:
          'Copilot\'s Messages answer was not understood at type: Invalid input: expected "message"',
      },
    });
  });

  it("real answers still pass on the native routes, relayed byte for byte", async () => {
    const client = new Anthropic({
      apiKey: FAKE_GITHUB_TOKEN,
      baseURL: h.gateway.url,
      maxRetries: 0,
    });
    const message = await client.messages.create(messages("claude-sonnet-4.5") as never);
    expect(message.type).toBe("message");
    for (const fixture of [
      "responses/responses.gpt-5.1.simple.2026-03.json",
      "responses/responses.gpt-5.1.function-call.2026-03.json",
    ]) {
      h.fake.replayNext("/responses", fixture);
      const response = await post(ROUTES[2] as RouteCase, false);
      expect([response.status, await response.text()]).toEqual([
        200,
        readFileSync(join(fixturesDir, fixture), "utf8"),
      ]);
    }
  });
});
