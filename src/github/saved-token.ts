import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { isValidName, NAME_RULE } from "../keys/key-name.js";

/**
 * The user's config directory for CoGPT: COGPT_CONFIG_DIR, else `$XDG_CONFIG_HOME/cogpt`,
 * `~/.config/cogpt`, or `%APPDATA%\cogpt` on Windows.
 */
export function configDirectory(env: NodeJS.ProcessEnv): string {
  return (
    env.COGPT_CONFIG_DIR ??
    (process.platform === "win32" && env.APPDATA !== undefined
      ? join(env.APPDATA, "cogpt")
      : join(env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "cogpt"))
  );
}

/** Where `cogpt login --save` keeps the GitHub token for the server. */
export function savedTokenPath(env: NodeJS.ProcessEnv): string {
  return join(configDirectory(env), "github-token");
}

/**
 * Where `cogpt login --save --name <name>` keeps named accounts, one file per name, beside the
 * default token: managed keys made with `--account <name>` spend them.
 */
export function savedAccountsDirectory(env: NodeJS.ProcessEnv): string {
  return join(configDirectory(env), "accounts");
}

/** The file of a named account; throws on a name that is not one (it becomes a file name). */
export function savedAccountPath(directory: string, name: string): string {
  if (!isValidName(name)) {
    throw new Error(`account name ${JSON.stringify(name)}: expected ${NAME_RULE}`);
  }
  return join(directory, name);
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

/** The GitHub token saved under `name`, or undefined when there is none (or the name is invalid). */
export function readSavedAccount(directory: string, name: string): string | undefined {
  return isValidName(name) ? readSavedToken(join(directory, name)) : undefined;
}

/** Saves a named account (mode 0600, in a 0700 directory); returns the file's path. */
export function saveAccount(directory: string, name: string, token: string): string {
  const path = savedAccountPath(directory, name);
  saveToken(path, token);
  // The directory may predate this run with a wider mode.
  chmodSync(directory, 0o700);
  return path;
}

/** The names of the saved accounts that hold a token, sorted; none when the directory is missing. */
export function listSavedAccounts(directory: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(directory);
  } catch {
    return [];
  }
  return entries
    .filter((name) => isValidName(name) && readSavedAccount(directory, name) !== undefined)
    .sort();
}
