import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import type { FakeCopilot, RandomFaultEvent, RandomFaultOptions } from "./fake-copilot.js";
import {
  fakeCopilotHeaders,
  fetchFakeCopilotToken,
  RANDOM_FAULT_MESSAGES,
  startFakeCopilot,
} from "./fake-copilot.js";
import type { RecordedRequest } from "./fake-copilot-types.js";
import { createRandomFaults } from "./random-faults.js";

const CHAT = { model: "gpt-4o", messages: [{ role: "user", content: "hi there" }] };
const EMBEDDINGS = { model: "text-embedding-3-small", input: ["hi"] };

let fake: FakeCopilot | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A fake with these random faults, every event collected, and a Copilot token to call it with. */
async function start(options: Omit<RandomFaultOptions, "onFault">) {
  const events: RandomFaultEvent[] = [];
  fake = await startFakeCopilot({
    now: () => Date.UTC(2026, 0, 1),
    randomFaults: { ...options, onFault: (event) => events.push(event) },
  });
  const headers = fakeCopilotHeaders(await fetchFakeCopilotToken(fake));
  const copilotUrl = fake.copilotUrl;
  const send = async (path: string, body?: unknown, requestId?: string) => {
    const response = await request(`${copilotUrl}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: requestId === undefined ? headers : { ...headers, "x-request-id": requestId },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    let text = "";
    let failed = false;
    try {
      for await (const chunk of response.body) text += (chunk as Buffer).toString("utf8");
    } catch {
      failed = true;
    }
    return { status: response.statusCode, headers: response.headers, text, failed };
  };
  return { events, send };
}

describe("randomFaults", () => {
  it("answers every model call with the fault at rate 1, and tells onFault about it", async () => {
    const { events, send } = await start({ rate: 1, kinds: ["503"] });
    const chat = await send("/chat/completions", CHAT, "req-1");
    const embeddings = await send("/embeddings", EMBEDDINGS);
    const models = await send("/models");
    expect([chat.status, chat.text, embeddings.status, models.status]).toEqual([
      503,
      "fake: injected HTTP 503\n",
      503,
      200,
    ]);
    expect(events).toEqual([
      { kind: "503", path: "/chat/completions", requestId: "req-1" },
      { kind: "503", path: "/embeddings", requestId: undefined },
    ]);
  });

  it("passes a 429 with retry-after and an OpenAI-shaped body", async () => {
    const { send } = await start({ rate: 1, kinds: ["429"] });
    const answer = await send("/chat/completions", CHAT);
    expect([answer.status, answer.headers["retry-after"], JSON.parse(answer.text)]).toEqual([
      429,
      "1",
      { error: { message: RANDOM_FAULT_MESSAGES["429"], code: "rate_limited" } },
    ]);
  });

  it("resets the connection before answering", async () => {
    const { events, send } = await start({ rate: 1, kinds: ["reset"] });
    await expect(send("/embeddings", EMBEDDINGS)).rejects.toThrow();
    expect(events.map((event) => event.kind)).toEqual(["reset"]);
  });

  it("drops only streamed chat, after 1 to 8 events and before [DONE]", async () => {
    const { events, send } = await start({ rate: 1, kinds: ["drop"] });
    const plain = await send("/chat/completions", CHAT);
    const embeddings = await send("/embeddings", EMBEDDINGS);
    const streamed = await send("/chat/completions", { ...CHAT, stream: true });
    expect([plain.status, embeddings.status, streamed.status, streamed.failed]).toEqual([
      200,
      200,
      200,
      true,
    ]);
    const received = streamed.text.split(/(?<=\n\n)/).filter((event) => event !== "");
    expect(received.length).toBeGreaterThanOrEqual(1);
    expect(received.length).toBeLessThanOrEqual(8);
    expect(streamed.text).not.toContain("[DONE]");
    expect(events).toEqual([{ kind: "drop", path: "/chat/completions", requestId: undefined }]);
  });

  it("never faults at rate 0, and a queued fault wins over a random one", async () => {
    const { events, send } = await start({ rate: 0, kinds: ["500"] });
    fake?.injectFault({ path: "/chat/completions", status: 418, body: "queued" });
    const answers = [await send("/chat/completions", CHAT), await send("/chat/completions", CHAT)];
    expect(answers.map((answer) => answer.status)).toEqual([418, 200]);
    expect(events).toEqual([]);
  });

  it("refuses a rate outside 0 to 1 and an empty list of kinds", async () => {
    await expect(startFakeCopilot({ randomFaults: { rate: 1.5, kinds: ["500"] } })).rejects.toThrow(
      "randomFaults.rate must be 0 to 1, not 1.5",
    );
    await expect(startFakeCopilot({ randomFaults: { rate: 0.1, kinds: [] } })).rejects.toThrow(
      "randomFaults.kinds must name at least one kind",
    );
  });
});

describe("createRandomFaults", () => {
  const chatRequest: RecordedRequest = {
    server: "copilot",
    method: "POST",
    path: "/chat/completions",
    headers: {},
    body: JSON.stringify({ ...CHAT, stream: true }),
  };
  const draw = (seed: number, count: number) => {
    const next = createRandomFaults({ rate: 0.25, kinds: ["500", "429", "drop"], seed });
    return Array.from({ length: count }, () => {
      const fault = next(chatRequest);
      if (fault === undefined) return "-";
      return "status" in fault ? String(fault.status) : "dropAfterChunks" in fault ? "drop" : "?";
    });
  };

  it("repeats its draws for a seed, and faults at about the rate asked", () => {
    const first = draw(42, 2000);
    expect(draw(42, 2000)).toEqual(first);
    expect(draw(43, 2000)).not.toEqual(first);
    const faulted = first.filter((kind) => kind !== "-");
    expect(faulted.length).toBeGreaterThan(400);
    expect(faulted.length).toBeLessThan(600);
    for (const kind of ["500", "429", "drop"]) {
      expect(faulted.filter((drawn) => drawn === kind).length).toBeGreaterThan(100);
    }
  });

  it("leaves GET requests and other paths alone", () => {
    const next = createRandomFaults({ rate: 1, kinds: ["500"], seed: 1 });
    expect(next({ ...chatRequest, method: "GET", path: "/models" })).toBeUndefined();
    expect(next({ ...chatRequest, path: "/responses" })).toBeUndefined();
    expect(next(chatRequest)).toEqual({
      path: "/chat/completions",
      status: 500,
      body: "fake: injected HTTP 500\n",
    });
  });
});
