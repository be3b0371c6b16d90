import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import pino from "pino";
import type { LogLevel } from "../config/config.js";
import { formatConsoleLine, formatConsoleRecord } from "./format-console-line.js";
import { createIsoTimeFormatter } from "./format-iso-time.js";

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

/**
 * Human-readable lines on the console and JSON lines in the log file. Ordinary messages go
 * through pino; request lines through `request`, straight to the same two outputs.
 */
export function createLogger(options: LoggerOptions): Logger {
  const consoleOut = options.console ?? process.stderr;
  const level = options.level === "silent" ? "fatal" : options.level;
  const consoleStream = {
    write(line: string) {
      consoleOut.write(formatConsoleLine(line));
    },
  };
  const streams: pino.StreamEntry[] = [{ level, stream: consoleStream }];
  let file: pino.DestinationStream | undefined;
  if (options.file !== "") {
    mkdirSync(dirname(options.file), { recursive: true });
    file = pino.destination({ dest: options.file, sync: false, mkdir: true });
    streams.push({ level, stream: file });
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
    consoleOut.write(formatConsoleRecord(entry));
    file?.write(`${JSON.stringify(entry)}\n`);
  };
  return logger;
}
