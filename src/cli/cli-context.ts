import type { Config } from "../config/config.js";
import { loadConfig } from "../config/load-config.js";
import { mapFlagValues } from "../config/options.js";
import { readDotenv } from "../config/read-dotenv.js";
import type { CopilotStack } from "../copilot/create-copilot-stack.js";
import { readSavedToken, savedTokenPath } from "../github/saved-token.js";
import { CliError, EXIT_USAGE } from "./cli-error.js";

/**
 * The configuration options that matter to the commands that talk to GitHub and Copilot
 * (login, usage, models, doctor): where to connect, through which proxy, as which client.
 */
export const UPSTREAM_OPTIONS: readonly string[] = [
  "GITHUB_TOKEN",
  "PROXY",
  "NO_PROXY",
  "GITHUB_URL",
  "GITHUB_API_URL",
  "COPILOT_API_URL",
  "ACCOUNT_TYPE",
  "EDITOR_VERSION",
  "EDITOR_PLUGIN_VERSION",
  "GITHUB_API_VERSION",
  "USER_AGENT",
  "COPILOT_INTEGRATION_ID",
  "CONNECT_TIMEOUT",
  "HEADERS_TIMEOUT",
];

/**
 * Where a command's process-wide inputs come from; tests give their own. The only place that
 * reads `process.env`: everything else is handed `env` from here.
 */
export interface CliEnvironment {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
}

export function processEnvironment(): CliEnvironment {
  return { env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr };
}

/** The same configuration the server would use: flags > environment > .env > defaults. */
export function loadCommandConfig(
  values: Readonly<Record<string, unknown>>,
  environment: CliEnvironment,
): Config {
  return loadConfig({
    flags: mapFlagValues(values),
    env: environment.env,
    dotenv: readDotenv(environment.cwd),
  }).config;
}

/**
 * The server's Copilot stack, set up for one command run: tokens are kept in memory (the server's
 * cache file is left alone), and a 429 is reported at once instead of waited out. Loaded only by
 * the commands that talk to GitHub: the HTTP stack takes about 400 ms to load, which the others
 * (`cogpt share-token`, `cogpt keys`, `--help`) should not pay.
 */
export async function openCommandStack(config: Config): Promise<CopilotStack> {
  const { createCopilotStack } = await import("../copilot/create-copilot-stack.js");
  return createCopilotStack(config, { cache: "memory", rateLimitWaitMs: 0 });
}

export interface FoundGithubToken {
  readonly token: string;
  readonly source: string;
}

/** GITHUB_TOKEN (flag, environment, .env) first, else the token `cogpt login --save` stored. */
export function findGithubToken(
  config: Config,
  environment: CliEnvironment,
): FoundGithubToken | undefined {
  if (config.githubToken !== undefined) {
    return { token: config.githubToken, source: "GITHUB_TOKEN" };
  }
  const path = savedTokenPath(environment.env);
  const saved = readSavedToken(path);
  return saved === undefined ? undefined : { token: saved, source: path };
}

export function requireGithubToken(config: Config, environment: CliEnvironment): string {
  const found = findGithubToken(config, environment);
  if (found === undefined) {
    throw new CliError(
      "no GitHub token: sign in with `cogpt login --save`, or pass --github-token / set GITHUB_TOKEN",
      EXIT_USAGE,
    );
  }
  return found.token;
}
