import { mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import pino from "pino";
import type { LogLevel } from "../config/config.js";
import { formatConsoleLine, formatConsoleRecord } from "./format-console-line.js";
import { createIsoTimeFormatter } from "./format-iso-time.js";
import { createLineBatcher, type LineBatcher, type LineSink } from "./line-batcher.js";

export type RequestLogLevel = "info" | "warn" | "error";

export type Logger = pino.Logger & {
  /**
   * One line per request, the hot path: formatted once for the console and serialised once for
   * the log file, without pino's per-record machinery.
   */
  request(level: RequestLogLevel, record: Record<string, unknown>): void;
};

export interface LoggerOptions {
  readonly level: LogLevel;
  /** JSON-lines file; empty disables it. */
  readonly file: string;
  /** Where human-readable lines go (default: stderr). */
  readonly console?: NodeJS.WritableStream;
}

const LEVEL_VALUES: Record<LogLevel, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

/** How long LOG_FILE lines wait to be written together. */
const FILE_WRITE_INTERVAL_MS = 10;

/**
 * Human-readable lines on the console and JSON lines in the log file. Ordinary messages go
 * through pino; request lines through `request`, straight to the same two outputs. Each output
 * collects its lines and writes them together, in order (see line-batcher): the console once per
 * event-loop turn, the file every 10 ms.
 */
export function createLogger(options: LoggerOptions): Logger {
  const level = options.level === "silent" ? "fatal" : options.level;
  const consoleLines = createLineBatcher({
    sink: options.console ?? process.stderr,
    describeDropped: (count) =>
      formatConsoleRecord({ level: "warn", time: new Date().toISOString(), msg: dropped(count) }),
  });
  const streams: pino.StreamEntry[] = [
    { level, stream: { write: (line: string) => consoleLines.push(formatConsoleLine(line)) } },
  ];
  let fileLines: LineBatcher | undefined;
  if (options.file !== "") {
    mkdirSync(dirname(options.file), { recursive: true });
    const batcher = createLineBatcher({
      // Not every turn: a write syscall costs more than the rest of a request's logging, and a
      // file read by machines does not need its lines sooner. Unref'd: "exit" writes the rest.
      schedule: (write) => setTimeout(write, FILE_WRITE_INTERVAL_MS).unref(),
      sink: openLogFile(options.file),
      // Unused while the file is written synchronously (it never asks to wait), but the right line.
      describeDropped: (count) =>
        `${JSON.stringify({ level: "warn", time: new Date().toISOString(), msg: dropped(count) })}\n`,
    });
    fileLines = batcher;
    streams.push({ level, stream: { write: (line: string) => batcher.push(line) } });
  }
  const logger = pino(
    {
      level: options.level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.multistream(streams),
  ) as Logger;
  const threshold = LEVEL_VALUES[options.level];
  const isoTime = createIsoTimeFormatter();
  logger.request = (recordLevel, record) => {
    if (LEVEL_VALUES[recordLevel] < threshold) return;
    const entry = { level: recordLevel, time: isoTime(Date.now()), ...record };
    consoleLines.push(formatConsoleRecord(entry));
    fileLines?.push(`${JSON.stringify(entry)}\n`);
  };
  return logger;
}

function dropped(count: number): string {
  return `${count} log lines dropped here: the output was not taking them`;
}

/**
 * The log file, appended to with one synchronous write per batch, as Node writes stderr to a
 * file: about 2 µs for a batch. pino.destination (sonic-boom) cost 5-15 µs per line, measuring
 * the byte length of its whole pending buffer on every write and handing writes to the thread
 * pool. Synchronous writes also keep every line, in order, up to the process's exit; the price
 * is that a stalled disk stalls the gateway, as it does for stderr.
 */
function openLogFile(path: string): LineSink {
  const fd = openSync(path, "a");
  return {
    write(chunk) {
      const written = writeSync(fd, chunk);
      if (written < Buffer.byteLength(chunk)) {
        // Rare (a full disk, a signal): write the rest, or throw what the disk says.
        const bytes = Buffer.from(chunk);
        for (let offset = written; offset < bytes.length;) {
          offset += writeSync(fd, bytes, offset);
        }
      }
      return true;
    },
    once: () => undefined,
  };
}
