import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./cli-run.js";

/** The built logger (`npm test` builds first, through `pretest`). */
const LOGGER = new URL("../../dist/src/logging/create-logger.js", import.meta.url).href;

const CHILD = `
const [file, ending] = process.argv.slice(2);
const { createLogger } = await import(${JSON.stringify(LOGGER)});
const logger = createLogger({ level: "info", file });
logger.info("one");
logger.request("warn", { reqId: "r-2", method: "GET", path: "/v1/models", status: 404, ms: 0.5, msg: "two" });
logger.error("three");
if (ending === "exit") process.exit(3);
if (ending === "throw") throw new Error("crash after logging");
`;

/**
 * Runs a child that logs three lines (console on stderr, a pipe here, and a file) in one
 * event-loop turn and then ends as `ending` says, before the lines' turn is over.
 */
async function logThenEnd(ending: string) {
  const dir = mkdtempSync(join(tmpdir(), "cogpt-log-exit-"));
  const file = join(dir, "cogpt.log");
  const script = join(dir, "child.mjs");
  writeFileSync(script, CHILD);
  const run = await runCli(script, [file, ending]);
  const withoutTimes = (text: string) =>
    text.replace(/^\d\d:\d\d:\d\d /gm, "").replace(/"time":"[^"]+"/g, '"time":"…"');
  return {
    code: run.code,
    stderr: withoutTimes(run.stderr),
    file: withoutTimes(readFileSync(file, "utf8")),
  };
}

const CONSOLE_LINES =
  "INFO  one\n" + "WARN  GET /v1/models 404 0.5ms — two req=r-2\n" + "ERROR three\n";
const FILE_LINES =
  '{"level":"info","time":"…","msg":"one"}\n' +
  '{"level":"warn","time":"…","reqId":"r-2","method":"GET","path":"/v1/models","status":404,"ms":0.5,"msg":"two"}\n' +
  '{"level":"error","time":"…","msg":"three"}\n';

describe("log lines when the process ends in the turn that logged them", () => {
  it("are all written when the process ends by itself", async () => {
    expect(await logThenEnd("return")).toEqual({
      code: 0,
      stderr: CONSOLE_LINES,
      file: FILE_LINES,
    });
  });

  it("are all written before process.exit ends it", async () => {
    expect(await logThenEnd("exit")).toEqual({ code: 3, stderr: CONSOLE_LINES, file: FILE_LINES });
  });

  it("are all written, before the error, when an uncaught error ends it", async () => {
    const ended = await logThenEnd("throw");
    expect(ended.code).toBe(1);
    expect(ended.file).toBe(FILE_LINES);
    expect(ended.stderr.startsWith(CONSOLE_LINES)).toBe(true);
    expect(ended.stderr).toContain("Error: crash after logging");
  });
});
