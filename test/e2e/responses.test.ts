import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAKE_GITHUB_TOKEN, startHarness, type Harness } from "./harness.js";

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

function sent(path: string) {
  return h.fake.requests.filter((r) => r.server === "copilot" && r.path === path);
}

const weather: OpenAI.Responses.FunctionTool = {
  type: "function",
  name: "get_weather",
  description: "Weather in a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: false,
};

describe.each([
  ["native (a Responses-only model)", "gpt-5.3-codex", "/responses"],
  ["native (a model serving both)", "gpt-5-mini", "/responses"],
  ["translated (a chat-only model)", "gpt-4o", "/chat/completions"],
])("Responses API, %s", (_name, model, upstreamPath) => {
  it("answers a plain request", async () => {
    const response = await h.openai().responses.create({ model, input: "Hi there" });
    expect(response.object).toBe("response");
    expect(response.status).toBe("completed");
    expect(response.output_text).toBe(`Hello from ${model}! You said: Hi there`);
    expect(response.usage?.output_tokens).toBeGreaterThan(0);
    expect(sent(upstreamPath).length).toBe(1);
    expect(sent(upstreamPath)[0]?.headers["x-initiator"]).toBe("user");
  });

  it("streams the Responses event sequence", async () => {
    const stream = h.openai().responses.stream({
      model,
      instructions: "Be brief.",
      input: [{ role: "user", content: [{ type: "input_text", text: "Stream it" }] }],
    });
    const types: string[] = [];
    stream.on("event", (event) => types.push(event.type));
    const final = await stream.finalResponse();
    expect(final.output_text).toBe(`Hello from ${model}! You said: Stream it`);
    expect(types[0]).toBe("response.created");
    expect(types).toContain("response.output_text.delta");
    expect(types).toContain("response.output_item.done");
    expect(types.at(-1)).toBe("response.completed");
  });

  it("calls a function and takes its output as an agent turn", async () => {
    const first = await h.openai().responses.create({
      model,
      input: "Weather in Oslo?",
      tools: [weather],
    });
    const call = first.output.find((item) => item.type === "function_call");
    expect(call).toMatchObject({
      type: "function_call",
      name: "get_weather",
      arguments: '{"echo":"Weather in Oslo?"}',
    });
    const second = await h.openai().responses.create({
      model,
      tools: [weather],
      input: [
        { role: "user", content: "Weather in Oslo?" },
        {
          type: "function_call",
          call_id: call?.type === "function_call" ? call.call_id : "",
          name: "get_weather",
          arguments: '{"city":"Oslo"}',
        },
        {
          type: "function_call_output",
          call_id: call?.type === "function_call" ? call.call_id : "",
          output: "Sunny",
        },
      ],
    });
    expect(second.output_text).toBe("Tool said: Sunny");
    expect(sent(upstreamPath).map((r) => r.headers["x-initiator"])).toEqual(["user", "agent"]);
  });

  it("streams a function call", async () => {
    const stream = h.openai().responses.stream({
      model,
      input: "Oslo",
      tools: [weather],
      tool_choice: { type: "function", name: "get_weather" },
    });
    const final = await stream.finalResponse();
    expect(final.output.find((item) => item.type === "function_call")).toMatchObject({
      name: "get_weather",
      arguments: '{"echo":"Oslo"}',
    });
  });

  it("sends images with the vision header", async () => {
    const response = await h.openai().responses.create({
      model,
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "What is this?" },
            {
              type: "input_image",
              image_url: "data:image/png;base64,iVBORw0KGgo=",
              detail: "auto",
            },
          ],
        },
      ],
    });
    expect(response.output_text).toBe(`Hello from ${model}! You said: What is this? [1 image(s)]`);
    expect(sent(upstreamPath)[0]?.headers["copilot-vision-request"]).toBe("true");
  });

  it("carries structured output settings", async () => {
    await h.openai().responses.create({
      model,
      input: "Give JSON",
      max_output_tokens: 300,
      text: {
        format: {
          type: "json_schema",
          name: "answer",
          schema: {
            type: "object",
            properties: { a: { type: "string" } },
            required: ["a"],
            additionalProperties: false,
          },
          strict: true,
        },
      },
    });
    const body = JSON.parse(sent(upstreamPath)[0]?.body ?? "{}") as Record<string, unknown>;
    if (upstreamPath === "/responses") {
      expect(body.text).toMatchObject({
        format: { type: "json_schema", name: "answer", strict: true },
      });
      expect(body.max_output_tokens).toBe(300);
    } else {
      expect(body.response_format).toMatchObject({
        type: "json_schema",
        json_schema: { name: "answer", strict: true },
      });
      expect(body.max_tokens).toBe(300);
    }
  });
});

describe("Chat Completions client, Responses-only model", () => {
  it("answers through /responses, plain and streamed, with tools", async () => {
    const plain = await h.openai().chat.completions.create({
      model: "gpt-5.3-codex",
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(plain.object).toBe("chat.completion");
    expect(plain.choices[0]?.message.content).toBe("Hello from gpt-5.3-codex! You said: Hi");
    const stream = await h.openai().chat.completions.create({
      model: "gpt-5.3-codex",
      messages: [{ role: "user", content: "Stream" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe("Hello from gpt-5.3-codex! You said: Stream");
    expect(usage?.total_tokens).toBeGreaterThan(0);
    const tools = await h
      .openai()
      .chat.completions.stream({
        model: "gpt-5.3-codex",
        messages: [{ role: "user", content: "Weather?" }],
        tools: [
          { type: "function", function: { name: "get_weather", parameters: { type: "object" } } },
        ],
      })
      .finalChatCompletion();
    expect(tools.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      function: { name: "get_weather", arguments: '{"echo":"Weather?"}' },
    });
    expect(sent("/responses").length).toBe(3);
    expect(sent("/chat/completions").length).toBe(0);
  });
});

describe("Anthropic client, Responses-only model", () => {
  it("answers through /responses, plain and streamed", async () => {
    const anthropic = new Anthropic({
      apiKey: FAKE_GITHUB_TOKEN,
      baseURL: h.gateway.url,
      maxRetries: 0,
    });
    const message = await anthropic.messages.create({
      model: "gpt-5.3-codex",
      max_tokens: 100,
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(message.content).toEqual([
      expect.objectContaining({ type: "text", text: "Hello from gpt-5.3-codex! You said: Hi" }),
    ]);
    const streamed = await anthropic.messages
      .stream({
        model: "gpt-5.3-codex",
        max_tokens: 100,
        messages: [{ role: "user", content: "Go" }],
      })
      .finalMessage();
    expect(streamed.content).toEqual([
      expect.objectContaining({ type: "text", text: "Hello from gpt-5.3-codex! You said: Go" }),
    ]);
    expect(sent("/responses").length).toBe(2);
  });
});

describe("conversation state", () => {
  it("refuses previous_response_id and store: true with a clear 400", async () => {
    const previous = await h
      .openai()
      .responses.create({ model: "gpt-4o", input: "x", previous_response_id: "resp_123" })
      .catch((e: unknown) => e);
    expect(previous).toBeInstanceOf(OpenAI.BadRequestError);
    expect((previous as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({
      code: "unsupported_parameter",
      param: "previous_response_id",
    });
    const stored = await h
      .openai()
      .responses.create({ model: "gpt-4o", input: "x", store: true })
      .catch((e: unknown) => e);
    expect((stored as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect(sent("/chat/completions").length).toBe(0);
  });
});

describe("broken streams", () => {
  it.each([
    ["native", "gpt-5.3-codex", "/responses"],
    ["translated", "gpt-4o", "/chat/completions"],
  ])(
    "a %s stream that breaks off ends with an error the SDK raises",
    async (_kind, model, path) => {
      h.fake.injectFault({ path, dropAfterChunks: 4 });
      const error = await h
        .openai()
        .responses.stream({ model, input: "a long answer" })
        .finalResponse()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
    },
  );
});

describe("premium-request headers", () => {
  it.each([
    ["/v1/responses", { model: "gpt-5.3-codex", input: "hi" }],
    ["/v1/responses", { model: "gpt-4o", input: "hi", stream: true }],
    [
      "/v1/messages",
      { model: "claude-sonnet-4.5", max_tokens: 10, messages: [{ role: "user", content: "hi" }] },
    ],
    [
      "/v1/messages",
      {
        model: "gpt-4o",
        max_tokens: 10,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      },
    ],
  ])("%s passes Copilot's x-quota-snapshot headers back (%j)", async (path, body) => {
    const response = await fetch(`${h.gateway.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${FAKE_GITHUB_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get("x-quota-snapshot-premium_interactions")).toContain("ent=300");
  });
});
