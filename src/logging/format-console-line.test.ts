import { describe, expect, it } from "vitest";
import { formatConsoleLine, formatConsoleRecord } from "./format-console-line.js";

describe("formatConsoleLine", () => {
  it("ends a request line with Copilot's support ids when it has them", () => {
    expect(
      formatConsoleRecord({
        level: "info",
        time: "2026-11-29T15:04:05.123Z",
        reqId: "r-1",
        method: "POST",
        path: "/v1/messages",
        status: 200,
        ms: 3,
        githubRequestId: "C0DE:1:2:3:4",
        copilotRequestId: "9b2f6f5e",
        msg: "request",
      }),
    ).toBe(
      "15:04:05 INFO  POST /v1/messages 200 3ms req=r-1 github-req=C0DE:1:2:3:4 copilot-req=9b2f6f5e\n",
    );
  });

  it("names the key, the fallback, the tokens and the credits of an accounted request", () => {
    const record = {
      level: "info",
      time: "2026-11-29T15:04:05.123Z",
      reqId: "r-2",
      method: "POST",
      path: "/v1/chat/completions",
      status: 200,
      ms: 8,
      model: "claude-sonnet-4.6",
      modelUsed: "gpt-4o",
      initiator: "user",
      fallbackFrom: "claude-sonnet-4.6",
      key: "alice",
      tokens: { input: 12, cacheRead: 3, cacheWrite: 0, output: 34, reasoning: 0 },
      credits: "0.00093",
      creditsSource: "copilot",
      msg: "request",
    };
    expect(formatConsoleRecord(record)).toBe(
      "15:04:05 INFO  POST /v1/chat/completions 200 8ms claude-sonnet-4.6→gpt-4o user " +
        "fallback-from=claude-sonnet-4.6 key=alice tokens=12+3r+0w→34 credits=0.00093 req=r-2\n",
    );
    expect(
      formatConsoleRecord({ ...record, fallbackFrom: undefined, creditsSource: "estimate" }),
    ).toBe(
      "15:04:05 INFO  POST /v1/chat/completions 200 8ms claude-sonnet-4.6→gpt-4o user " +
        "key=alice tokens=12+3r+0w→34 credits=0.00093 (estimate) req=r-2\n",
    );
  });

  it("formats a request record", () => {
    expect(
      formatConsoleLine(
        JSON.stringify({
          level: "info",
          time: "2026-11-29T15:04:05.123Z",
          reqId: "r-1",
          method: "POST",
          path: "/v1/chat/completions",
          status: 200,
          ms: 41.5,
          model: "claude-sonnet-4-5",
          modelUsed: "claude-sonnet-4.5",
          stream: true,
          initiator: "agent",
          cred: "ghu:0a1b2c3d",
          msg: "request",
        }),
      ),
    ).toBe(
      "15:04:05 INFO  POST /v1/chat/completions 200 41.5ms claude-sonnet-4-5→claude-sonnet-4.5 stream agent req=r-1 cred=ghu:0a1b2c3d\n",
    );
  });

  it("formats a plain message and a failed request", () => {
    expect(
      formatConsoleLine(
        JSON.stringify({ level: "warn", time: "2026-11-29T15:04:05Z", msg: "hello" }),
      ),
    ).toBe("15:04:05 WARN  hello\n");
    expect(
      formatConsoleLine(
        JSON.stringify({
          level: "warn",
          time: "2026-11-29T15:04:05Z",
          method: "GET",
          path: "/nope",
          status: 404,
          ms: 0.2,
          reqId: "r",
          msg: "Unknown route: GET /nope",
        }),
      ),
    ).toBe("15:04:05 WARN  GET /nope 404 0.2ms — Unknown route: GET /nope req=r\n");
  });

  it("passes a line that is not JSON through", () => {
    expect(formatConsoleLine("oops\n")).toBe("oops\n");
  });

  it("leaves out empty parts, whatever their place", () => {
    expect(
      formatConsoleRecord({
        level: "info",
        time: "2026-11-29T15:04:05Z",
        method: "GET",
        path: "/v1/models",
        status: 200,
        ms: 1,
        model: "",
        modelUsed: "x",
        initiator: "",
        msg: "",
        reqId: "",
        cred: "",
      }),
    ).toBe("15:04:05 INFO  GET /v1/models 200 1ms →x —  req= cred=\n");
    expect(formatConsoleRecord({ level: 30, method: "GET", model: "m", modelUsed: "m" })).toBe(
      "GET undefined undefined undefinedms m\n",
    );
  });

  it("shows other levels in capitals and appends err and headers as JSON", () => {
    expect(
      formatConsoleRecord({
        level: "verbose",
        time: "short",
        msg: "",
        err: { message: "boom" },
        headers: { a: "b" },
        responseHeaders: {},
      }),
    ).toBe('VERBOSE err={"message":"boom"} headers={"a":"b"} responseHeaders={}\n');
  });
});
