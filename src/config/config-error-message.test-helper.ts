import { ConfigError } from "./config-error.js";

/** The exact message of the ConfigError `run` throws (test helper). */
export function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError, nothing was thrown");
}
