import { readFileSync } from "node:fs";

/** The package version, read once (works from `src/` under tests and from `dist/src/`). */
export const VERSION: string = readVersion();

function readVersion(): string {
  for (const relative of ["../package.json", "../../package.json"]) {
    try {
      const text = readFileSync(new URL(relative, import.meta.url), "utf8");
      const parsed = JSON.parse(text) as { name?: unknown; version?: unknown };
      if (parsed.name === "cogpt" && typeof parsed.version === "string") return parsed.version;
    } catch {
      // try the next location
    }
  }
  return "0.0.0";
}
