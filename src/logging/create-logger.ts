import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import type { LogLevel } from "../config/config.js";
import { formatConsoleLine } from "./format-console-line.js";

export type Logger = pino.Logger;

export interface LoggerOptions {
  readonly level: LogLevel;
  /** JSON-lines file; empty disables it. */
  readonly file: string;
  /** Where human-readable lines go (default: stderr). */
  readonly console?: NodeJS.WritableStream;
}

/**
 * Human-readable lines on the console and JSON lines in the log file, from one pino logger.
 * pino serialises each record once; the console stream reformats it for people.
 */
export function createLogger(options: LoggerOptions): Logger {
  const streams: pino.StreamEntry[] = [];
  const consoleOut = options.console ?? process.stderr;
  streams.push({
    level: options.level === "silent" ? "fatal" : options.level,
    stream: new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        const text = typeof chunk === "string" ? chunk : chunk.toString("utf8");
        consoleOut.write(formatConsoleLine(text));
        callback();
      },
    }),
  });
  if (options.file !== "") {
    mkdirSync(dirname(options.file), { recursive: true });
    streams.push({
      level: options.level === "silent" ? "fatal" : options.level,
      stream: pino.destination({ dest: options.file, sync: false, mkdir: true }),
    });
  }
  return pino(
    {
      level: options.level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.multistream(streams),
  );
}
