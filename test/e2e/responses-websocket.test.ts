import { request as httpRequest } from "node:http";
import type OpenAI from "openai";
import { ResponsesWS } from "openai/resources/responses/ws";
import WebSocket from "ws";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ScriptedRoute } from "../fake-copilot/fake-copilot-types.js";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness } from "./harness.js";

// Responses over WebSocket, driven by the openai SDK's own WebSocket client (ResponsesWS, what
// `responses.connect()` builds) against the gateway and the fake upstream.

type ServerEvent = OpenAI.Responses.ResponsesServerEvent;
type Event = Record<string, unknown>;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.fake.reset());

const FINAL = new Set(["response.completed", "response.failed", "response.incomplete", "error"]);

/** A socket opened by the SDK, with every event (errors included) in one list. */
async function connect(apiKey = FAKE_GITHUB_TOKEN) {
  const socket = new ResponsesWS(h.openai(apiKey));
  const events: Event[] = [];
  let waiter: (() => void) | undefined;
  socket.on("event", (event: ServerEvent) => {
    events.push(event as unknown as Event);
    waiter?.();
  });
  socket.on("error", () => {
    // Error events arrive as "event" too; the SDK also raises them here.
  });
  await new Promise<void>((resolve, reject) => {
    socket.socket.on("open", () => resolve());
    socket.socket.on("error", reject);
  });
  return {
    socket,
    /** Sends a response.create and waits for its final event; returns that response's events. */
    async create(body: Omit<OpenAI.Responses.ResponsesClientEvent, "type">): Promise<Event[]> {
      const start = events.length;
      socket.send({ type: "response.create", ...body });
      await new Promise<void>((resolve) => {
        const check = () => {
          if (events.slice(start).some((event) => FINAL.has(String(event["type"])))) {
            waiter = undefined;
            resolve();
          }
        };
        waiter = check;
        check();
      });
      return events.slice(start);
    },
    close: () => socket.close(),
  };
}

function upstream(method: string, path: string) {
  return h.fake.requests.filter((request) => request.method === method && request.path === path);
}

function finalResponse(events: Event[]): Record<string, unknown> {
  const last = events.at(-1);
  expect(last?.["type"]).toBe("response.completed");
  return last?.["response"] as Record<string, unknown>;
}

function outputText(events: Event[]): string {
  return events
    .filter((event) => event["type"] === "response.output_text.delta")
    .map((event) => String(event["delta"]))
    .join("");
}

describe("Responses over WebSocket", () => {
  it("answers two responses on one socket, over Copilot's WebSocket for a ws:/responses model", async () => {
    h.fake.scriptNext("/responses", { text: "first answer" });
    h.fake.scriptNext("/responses", { text: "second answer" });
    const client = await connect();
    try {
      const first = await client.create({ model: "gpt-5.4", input: "one" });
      const second = await client.create({ model: "gpt-5.4", input: "two" });
      expect(first.map((event) => event["type"])).toEqual([
        "response.created",
        "response.in_progress",
        "keepalive",
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
        "response.output_text.delta",
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
      ]);
      expect(outputText(first)).toBe("first answer");
      expect(outputText(second)).toBe("second answer");
      expect(client.socket.socket.readyState).toBe(WebSocket.OPEN);
    } finally {
      client.close();
    }
    // One upstream socket for both (same headers), each request one frame, no HTTP call.
    expect(upstream("GET", "/responses")).toHaveLength(1);
    expect(
      upstream("WS", "/responses").map((request) => JSON.parse(request.body) as Event),
    ).toEqual([
      { model: "gpt-5.4", input: "one", stream: true },
      { model: "gpt-5.4", input: "two", stream: true },
    ]);
    expect(upstream("POST", "/responses")).toEqual([]);
    const upgrade = upstream("GET", "/responses")[0];
    expect(upgrade?.headers["authorization"]).toMatch(/^Bearer /);
    expect(upgrade?.headers["x-initiator"]).toBe("user");
  });

  it("streams a tool call, then continues it with previous_response_id on the same socket", async () => {
    h.fake.scriptNext("/responses", {
      toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }],
    });
    h.fake.scriptNext("/responses", { text: "Sunny in Paris." });
    const tools: OpenAI.Responses.FunctionTool[] = [
      {
        type: "function",
        name: "get_weather",
        parameters: { type: "object", properties: { city: { type: "string" } } },
        strict: false,
      },
    ];
    const client = await connect();
    try {
      const first = await client.create({ model: "gpt-5.4", input: "Weather?", tools });
      const call = (finalResponse(first)["output"] as Event[]).find(
        (item) => item["type"] === "function_call",
      );
      expect(call).toMatchObject({ name: "get_weather", arguments: '{"city":"Paris"}' });
      const second = await client.create({
        model: "gpt-5.4",
        previous_response_id: String(finalResponse(first)["id"]),
        input: [
          { type: "function_call_output", call_id: String(call?.["call_id"]), output: "sunny" },
        ],
        tools,
      });
      expect(outputText(second)).toBe("Sunny in Paris.");
    } finally {
      client.close();
    }
    const frames = upstream("WS", "/responses").map((request) => JSON.parse(request.body) as Event);
    expect(frames).toHaveLength(2);
    // The second request carries the whole conversation: Copilot keeps no state.
    expect(frames[1]?.["previous_response_id"]).toBeUndefined();
    const input = frames[1]?.["input"] as Event[];
    expect(input.map((item) => item["type"] ?? item["role"])).toEqual([
      "message",
      "function_call",
      "function_call_output",
    ]);
    expect(input[1]).toMatchObject({ name: "get_weather", arguments: '{"city":"Paris"}' });
  });

  it("answers a prewarm (generate: false) without Copilot, and continues it", async () => {
    h.fake.scriptNext("/responses", { text: "after the prewarm" });
    const client = await connect();
    try {
      // `generate` is WebSocket mode's field, not in the SDK's types yet.
      const prewarm = await client.create({
        model: "gpt-5.4",
        input: "context",
        ...{ generate: false },
      });
      expect(prewarm.map((event) => event["type"])).toEqual([
        "response.created",
        "response.completed",
      ]);
      expect(finalResponse(prewarm)["output"]).toEqual([]);
      const events = await client.create({
        model: "gpt-5.4",
        previous_response_id: String(finalResponse(prewarm)["id"]),
        input: "question",
      });
      expect(outputText(events)).toBe("after the prewarm");
    } finally {
      client.close();
    }
    const frames = upstream("WS", "/responses").map((request) => JSON.parse(request.body) as Event);
    expect(frames).toEqual([
      {
        model: "gpt-5.4",
        input: [
          { type: "message", role: "user", content: "context" },
          { type: "message", role: "user", content: "question" },
        ],
        stream: true,
      },
    ]);
  });

  it("translates for a chat-only model, over HTTP upstream", async () => {
    h.fake.scriptNext("/chat/completions", { text: "From a chat model." });
    const client = await connect();
    try {
      const events = await client.create({ model: "gpt-4o", input: "Hi" });
      expect(events[0]?.["type"]).toBe("response.created");
      expect(outputText(events)).toBe("From a chat model.");
      expect(finalResponse(events)["status"]).toBe("completed");
    } finally {
      client.close();
    }
    expect(upstream("POST", "/chat/completions")).toHaveLength(1);
    expect(upstream("GET", "/responses")).toEqual([]);
  });

  it("reads the account's Copilot limits from the upgrade's headers, and from an HTTP upstream's", async () => {
    const sessionLeft = async (): Promise<string | undefined> => {
      const body = await (await fetch(`${h.gateway.url}/metrics`)).text();
      return body
        .split("\n")
        .find(
          (line) =>
            line.startsWith("cogpt_account_window_remaining_percent{") &&
            line.includes('window="session"'),
        )
        ?.split(" ")[1];
    };
    /** One answer on a new socket, with `sessionUsedNanoAiu` of the session's 50 credits used. */
    const answerWith = async (sessionUsedNanoAiu: number, model: string, route: ScriptedRoute) => {
      h.fake.setLimits({ sessionUsedNanoAiu });
      const client = await connect();
      try {
        h.fake.scriptNext(route, { text: `an answer of ${model}` });
        finalResponse(await client.create({ model, input: "hi" }));
      } finally {
        client.close();
      }
    };
    // Over Copilot's socket: 12.5 credits used, 75% left, as its 101 says.
    await answerWith(12_500_000_000, "gpt-5.4", "/responses");
    expect(await sessionLeft()).toBe("75");
    // A chat-only model is answered over HTTP: that answer's headers say 30% left.
    await answerWith(35_000_000_000, "gpt-4o", "/chat/completions");
    expect(await sessionLeft()).toBe("30");
  });

  it("answers a bad request with an error event and keeps the socket for the next one", async () => {
    h.fake.scriptNext("/responses", { text: "still here" });
    const logged = h.logs.length;
    const client = await connect();
    try {
      const [unknownModel] = await client.create({ model: "no-such-model", input: "x" });
      expect(unknownModel).toMatchObject({
        type: "error",
        status: 400,
        error: { type: "invalid_request_error", param: "model" },
      });
      const [stored] = await client.create({ model: "gpt-5.4", input: "x", store: true });
      expect(stored).toMatchObject({ type: "error", status: 400, error: { param: "store" } });
      const [unknownPrevious] = await client.create({
        model: "gpt-5.4",
        input: "x",
        previous_response_id: "resp_unknown",
      });
      expect(unknownPrevious).toMatchObject({
        type: "error",
        status: 400,
        error: { code: "previous_response_not_found" },
      });
      const events = await client.create({ model: "gpt-5.4", input: "again" });
      expect(outputText(events)).toBe("still here");
      expect(client.socket.socket.readyState).toBe(WebSocket.OPEN);
    } finally {
      client.close();
    }
    // One request line per response.create, as for HTTP requests.
    const lines = h.logs.slice(logged).filter((line) => line.includes("WS /v1/responses"));
    expect(lines.map((line) => / (\d{3}) /.exec(line)?.[1])).toEqual(["400", "400", "400", "200"]);
  });

  it("answers an upstream refusal with an error event carrying its status", async () => {
    h.fake.injectFault({
      path: "/chat/completions",
      status: 400,
      body: JSON.stringify({ error: { message: "bad thing", code: "bad_request" } }),
    });
    const client = await connect();
    try {
      const [refused] = await client.create({ model: "gpt-4o", input: "x" });
      expect(refused).toMatchObject({ type: "error", status: 400 });
    } finally {
      client.close();
    }
  });
});

describe("Responses over WebSocket: the socket itself", () => {
  const url = () => `${h.gateway.url.replace(/^http/, "ws")}/v1/responses`;

  /** Opens a raw socket, or resolves with the status and body that refused the upgrade. */
  function open(
    headers: Record<string, string>,
  ): Promise<WebSocket | { status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url(), { headers });
      socket.once("open", () => resolve(socket));
      socket.once("unexpected-response", (_request, response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      });
      socket.once("error", reject);
    });
  }

  it("refuses the upgrade for an unknown key, with the JSON error as HTTP", async () => {
    const refused = await open({ authorization: "Bearer not-a-key" });
    expect(refused).toEqual({
      status: 401,
      body: JSON.stringify({
        error: {
          message:
            "Unknown API key: use a GitHub token (ghu_…), a share token (share-…), or one of the server's API_KEYS",
          type: "authentication_error",
          code: "invalid_api_key",
          param: null,
        },
      }),
    });
  });

  it("answers a frame that is not JSON with an error event, and closes on a binary frame (1003)", async () => {
    const socket = await open({ authorization: `Bearer ${FAKE_GITHUB_TOKEN}` });
    if (!(socket instanceof WebSocket)) throw new Error(`refused: ${socket.status}`);
    const reply = new Promise<Event>((resolve) =>
      socket.once("message", (data: Buffer) => resolve(JSON.parse(data.toString("utf8")) as Event)),
    );
    socket.send("not json");
    expect(await reply).toMatchObject({
      type: "error",
      status: 400,
      error: { type: "invalid_request_error", code: "invalid_json" },
    });
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await closed).toBe(1003);
  });

  it("still answers an ordinary GET that carries another Upgrade header (curl's h2c)", async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(`${h.gateway.url}/v1/models`, {
        headers: {
          authorization: `Bearer ${FAKE_GITHUB_TOKEN}`,
          connection: "Upgrade, HTTP2-Settings",
          upgrade: "h2c",
          "http2-settings": "AAMAAABkAARAAAAAAAIAAAAA",
        },
      });
      request.once("response", (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.once("error", reject);
      request.end();
    });
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.body) as { object: string }).object).toBe("list");
  });
});
