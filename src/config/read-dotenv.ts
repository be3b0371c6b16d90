import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { ConfigError } from "./config-error.js";

/**
 * Reads `.env` from `cwd` with Node's own parser (no dependency). A missing file is an empty
 * set; any other failure (unreadable, a directory) is an error rather than a silent default.
 * Nothing is copied into `process.env`: `loadConfig` ranks the two sources itself.
 */
export function readDotenv(cwd: string): Record<string, string> {
  const path = join(cwd, ".env");
  let content: string;
  try {
    content = readFileSync(path, "utf8");
  } catch (error) {
    if (isErrorWithCode(error, "ENOENT")) return {};
    throw new ConfigError(".env", `cannot read "${path}": ${describeError(error)}`);
  }
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(parseEnv(content))) {
    if (value !== undefined) variables[name] = value;
  }
  return variables;
}

function isErrorWithCode(error: unknown, code: string): boolean {
  return error instanceof Error && "code" in error && error.code === code;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
