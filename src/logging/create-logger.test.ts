import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "./create-logger.js";

function createConsole() {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push(chunk.toString("utf8"));
      callback();
    },
  });
  return { stream, writes };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

const request = {
  reqId: "r-1",
  method: "POST",
  path: "/v1/chat/completions",
  status: 200,
  ms: 41.5,
  model: "claude-sonnet-4-5",
  modelUsed: "claude-sonnet-4.5",
  stream: true,
  initiator: undefined,
  cred: "ghu:0a1b2c3d",
  msg: "request",
};

describe("createLogger", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 29, 15, 4, 5, 123), toFake: ["Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("writes pino's messages and request lines to the console in one write per turn, in order", async () => {
    const console = createConsole();
    const logger = createLogger({ level: "info", file: "", console: console.stream });
    logger.info("starting");
    logger.request("info", request);
    logger.debug("not shown");
    logger.request("warn", { ...request, status: 404, msg: "Unknown route" });
    logger.warn("careful");
    expect(console.writes).toEqual([]);
    await nextTurn();
    logger.request("error", { ...request, status: 502 });
    await nextTurn();
    expect(console.writes).toEqual([
      "15:04:05 INFO  starting\n" +
        "15:04:05 INFO  POST /v1/chat/completions 200 41.5ms claude-sonnet-4-5→claude-sonnet-4.5 stream req=r-1 cred=ghu:0a1b2c3d\n" +
        "15:04:05 WARN  POST /v1/chat/completions 404 41.5ms claude-sonnet-4-5→claude-sonnet-4.5 stream — Unknown route req=r-1 cred=ghu:0a1b2c3d\n" +
        "15:04:05 WARN  careful\n",
      "15:04:05 ERROR POST /v1/chat/completions 502 41.5ms claude-sonnet-4-5→claude-sonnet-4.5 stream req=r-1 cred=ghu:0a1b2c3d\n",
    ]);
  });

  it("skips request lines below the level", async () => {
    const console = createConsole();
    const logger = createLogger({ level: "warn", file: "", console: console.stream });
    logger.request("info", request);
    logger.request("warn", { reqId: "r-2", msg: "kept" });
    await nextTurn();
    expect(console.writes).toEqual(["15:04:05 WARN  kept\n"]);
  });

  it("appends JSON lines to the file, exactly as JSON.stringify of level, time and the record", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "cogpt-log-")), "deeper", "cogpt.log");
    const console = createConsole();
    const logger = createLogger({ level: "info", file, console: console.stream });
    logger.info("starting");
    logger.request("info", { ...request, note: 'a "quoted"\nnote', headers: { a: "b" } });
    await nextTurn();
    logger.error({ code: 7 }, "failed");
    await nextTurn();
    // Written together every 10 ms; a later timer runs after theirs.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(readFileSync(file, "utf8")).toBe(
      '{"level":"info","time":"2026-11-29T15:04:05.123Z","msg":"starting"}\n' +
        '{"level":"info","time":"2026-11-29T15:04:05.123Z","reqId":"r-1","method":"POST","path":"/v1/chat/completions","status":200,"ms":41.5,"model":"claude-sonnet-4-5","modelUsed":"claude-sonnet-4.5","stream":true,"cred":"ghu:0a1b2c3d","msg":"request","note":"a \\"quoted\\"\\nnote","headers":{"a":"b"}}\n' +
        '{"level":"error","time":"2026-11-29T15:04:05.123Z","code":7,"msg":"failed"}\n',
    );
    expect(console.writes).toHaveLength(2);
  });
});
