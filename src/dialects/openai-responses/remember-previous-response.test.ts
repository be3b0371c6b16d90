import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../errors.js";
import {
  continuePreviousResponse,
  createResponseRecorder,
  inputItems,
} from "./remember-previous-response.js";

const message = (type: string, fields: object) => ({
  event: type,
  data: JSON.stringify({ type, ...fields }),
});

describe("createResponseRecorder", () => {
  it("keeps the ids, the input and the output items of a completed response", () => {
    const recorder = createResponseRecorder("hi");
    recorder.observe([
      message("response.created", { response: { id: "resp_1" } }),
      message("response.output_text.delta", { delta: "x" }),
      message("response.output_item.done", { item: { type: "message", id: "msg_1" } }),
    ]);
    expect(recorder.result()).toBeUndefined();
    recorder.observe([message("response.completed", { response: { id: "resp_2" } })]);
    expect(recorder.result()).toEqual({
      ids: new Set(["resp_1", "resp_2"]),
      input: [{ type: "message", role: "user", content: "hi" }],
      output: [{ type: "message", id: "msg_1" }],
    });
  });

  it("keeps nothing of a failed response", () => {
    const recorder = createResponseRecorder([]);
    recorder.observe([message("response.failed", { response: { id: "resp_1" } })]);
    expect(recorder.result()).toBeUndefined();
  });
});

describe("continuePreviousResponse", () => {
  const previous = {
    ids: new Set(["resp_1"]),
    input: [{ type: "message", role: "user", content: "one" }],
    output: [{ type: "function_call", call_id: "c1", name: "f", arguments: "{}" }],
  };

  it("puts the previous input and output before the new input", () => {
    expect(
      continuePreviousResponse(
        {
          model: "m",
          previous_response_id: "resp_1",
          input: [{ type: "function_call_output", call_id: "c1", output: "ok" }],
        },
        previous,
      ),
    ).toEqual({
      model: "m",
      input: [
        { type: "message", role: "user", content: "one" },
        { type: "function_call", call_id: "c1", name: "f", arguments: "{}" },
        { type: "function_call_output", call_id: "c1", output: "ok" },
      ],
    });
  });

  it("leaves a body without previous_response_id as it is", () => {
    expect(continuePreviousResponse({ model: "m", input: "x" }, previous)).toEqual({
      model: "m",
      input: "x",
    });
  });

  it("refuses an id that is not the socket's last response", () => {
    const attempt = () =>
      continuePreviousResponse({ previous_response_id: "resp_9", input: [] }, previous);
    expect(attempt).toThrow(InvalidRequestError);
    expect(attempt).toThrow("Previous response with id 'resp_9' not found");
    expect(() =>
      continuePreviousResponse({ previous_response_id: "resp_1", input: [] }, undefined),
    ).toThrow("not found");
  });
});

describe("inputItems", () => {
  it("turns a string into one user message and keeps a list", () => {
    expect(inputItems("a")).toEqual([{ type: "message", role: "user", content: "a" }]);
    expect(inputItems([{ type: "x" }])).toEqual([{ type: "x" }]);
    expect(inputItems(undefined)).toEqual([]);
  });
});
