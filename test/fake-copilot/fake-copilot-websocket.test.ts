import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { FakeCopilot } from "./fake-copilot.js";
import { fakeCopilotHeaders, fetchFakeCopilotToken, startFakeCopilot } from "./fake-copilot.js";

let fake: FakeCopilot;
let headers: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeCopilot();
  headers = fakeCopilotHeaders(await fetchFakeCopilotToken(fake));
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const socketUrl = (path: string): string => `${fake.copilotUrl.replace(/^http/, "ws")}${path}`;

/** Opens the socket, or resolves with the HTTP status that refused the upgrade. */
function connect(
  upgradeHeaders: Record<string, string>,
  path = "/responses",
): Promise<WebSocket | number> {
  return new Promise((resolvePromise, reject) => {
    const socket = new WebSocket(socketUrl(path), { headers: upgradeHeaders });
    socket.once("open", () => resolvePromise(socket));
    socket.once("unexpected-response", (_request, response) =>
      resolvePromise(response.statusCode ?? 0),
    );
    socket.once("error", reject);
  });
}

/** Sends one frame and collects the JSON frames up to a final or error event. */
function exchange(socket: WebSocket, frame: unknown): Promise<Record<string, unknown>[]> {
  return new Promise((resolvePromise) => {
    const events: Record<string, unknown>[] = [];
    // The fake sends text frames only, each a Buffer here.
    const onMessage = (data: Buffer): void => {
      const event = JSON.parse(data.toString("utf8")) as Record<string, unknown>;
      events.push(event);
      if (["response.completed", "response.incomplete", "error"].includes(String(event["type"]))) {
        socket.off("message", onMessage);
        resolvePromise(events);
      }
    };
    socket.on("message", onMessage);
    socket.send(JSON.stringify(frame));
  });
}

describe("Responses over WebSocket at /responses", () => {
  it("answers each response.create with the SSE events, one frame each, on one open socket", async () => {
    const socket = await connect(headers);
    if (typeof socket === "number") throw new Error(`upgrade refused: ${socket}`);
    try {
      fake.scriptNext("/responses", { text: "first answer" });
      fake.scriptNext("/responses", { text: "second answer" });
      const first = await exchange(socket, {
        type: "response.create",
        model: "gpt-5.4",
        input: "one",
      });
      const second = await exchange(socket, {
        type: "response.create",
        model: "gpt-5.4",
        input: "two",
      });
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
      expect(first.at(-1)).toMatchObject({
        response: { output: [{ content: [{ text: "first answer" }] }] },
      });
      expect(second.at(-1)).toMatchObject({
        response: { output: [{ content: [{ text: "second answer" }] }] },
      });
      expect(socket.readyState).toBe(WebSocket.OPEN);
      const recorded = fake.requests.filter((request) => request.path === "/responses");
      expect(recorded.map((request) => request.method)).toEqual(["GET", "WS", "WS"]);
      expect(JSON.parse(recorded[1]!.body)).toEqual({
        model: "gpt-5.4",
        input: "one",
        stream: true,
      });
    } finally {
      socket.close();
    }
  });

  it("sends the account's quota headers with the 101, as with every answer", async () => {
    const upgraded = new Promise<Record<string, unknown>>((resolvePromise, reject) => {
      const socket = new WebSocket(socketUrl("/responses"), { headers });
      socket.once("upgrade", (response) => resolvePromise({ ...response.headers }));
      socket.once("open", () => socket.close());
      socket.once("error", reject);
    });
    const upgradeHeaders = await upgraded;
    expect(upgradeHeaders["x-quota-snapshot-chat"]).toMatch(
      /^ent=-1&ov=0\.0&ovPerm=false&rem=100\.0&rst=/,
    );
    expect(upgradeHeaders["x-quota-snapshot-premium_interactions"]).toMatch(/^ent=\d+&/);
  });

  it("refuses the upgrade without a Copilot token, or on another path", async () => {
    const { authorization: _authorization, ...withoutToken } = headers;
    expect(await connect(withoutToken)).toBe(401);
    expect(await connect(headers, "/chat/completions")).toBe(404);
  });

  it("answers an error frame for a model without ws:/responses, and for a frame of another type", async () => {
    const socket = await connect(headers);
    if (typeof socket === "number") throw new Error(`upgrade refused: ${socket}`);
    try {
      const [chatOnly] = await exchange(socket, {
        type: "response.create",
        model: "gpt-4o",
        input: "hi",
      });
      expect(chatOnly).toEqual({
        type: "error",
        status: 400,
        error: {
          type: "invalid_request_error",
          code: "unsupported_api_for_model",
          message: 'model "gpt-4o" is not accessible via the ws:/responses endpoint',
        },
      });
      const [unknown] = await exchange(socket, { type: "session.update" });
      expect(unknown).toMatchObject({
        type: "error",
        error: { message: "expected a response.create text frame" },
      });
      expect(socket.readyState).toBe(WebSocket.OPEN);
    } finally {
      socket.close();
    }
  });
});
