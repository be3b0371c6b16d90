import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/**
 * Where `cogpt login --save` keeps the GitHub token for the server: the user's config directory
 * (`$XDG_CONFIG_HOME/cogpt`, `~/.config/cogpt`, or `%APPDATA%\cogpt` on Windows).
 */
export function savedTokenPath(env: NodeJS.ProcessEnv): string {
  const base =
    env.COGPT_CONFIG_DIR ??
    (process.platform === "win32" && env.APPDATA !== undefined
      ? join(env.APPDATA, "cogpt")
      : join(env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "cogpt"));
  return join(base, "github-token");
}

/** The saved token, or undefined when there is none. */
export function readSavedToken(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const token = text.trim();
  return token === "" ? undefined : token;
}

/** Writes the token readable by its owner only. */
export function saveToken(path: string, token: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  // An existing file keeps its mode on write: narrow it.
  chmodSync(path, 0o600);
}
