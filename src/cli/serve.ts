import { isIP } from "node:net";
import { readSavedAccount, savedAccountsDirectory } from "../github/saved-token.js";
import type { Command } from "commander";
import { describeConfig } from "../config/describe-config.js";
import { ConfigError, loadConfig } from "../config/load-config.js";
import { mapFlagValues } from "../config/options.js";
import { readDotenv } from "../config/read-dotenv.js";
import { findGithubToken, processEnvironment, type CliEnvironment } from "./cli-context.js";
import { isLoopback } from "../server/middleware/auth.js";
import { addConfigOptions } from "./config-options.js";
import { formatConsoleRecord } from "../logging/format-console-line.js";

/** `cogpt serve` (also the `cogpt-api` bin): load the configuration and run the gateway. */
export function registerServeCommand(program: Command): void {
  const command = program
    .command("serve", { isDefault: true })
    .description("run the gateway (OpenAI-compatible API over GitHub Copilot)")
    // Checked in the action: as the default command, serve receives mistyped command names.
    .allowExcessArguments();
  addConfigOptions(command);
  command.action(async (options: Record<string, unknown>) => {
    const [surplus] = command.args;
    if (surplus !== undefined) {
      // `cogpt serve x` has an argument too many; `cogpt lgoin` is a command that does not exist.
      if (program.args[0] === command.name()) {
        command.error(
          `error: too many arguments for 'serve'. Expected 0 arguments but got ${command.args.length}.`,
        );
      }
      program.error(unknownCommandMessage(surplus, program));
    }
    await runServe(options, processEnvironment());
  });
}

/** "unknown command 'x'", with the nearest command name when one is a typo or two away. */
function unknownCommandMessage(word: string, program: Command): string {
  let nearest: string | undefined;
  let nearestDistance = word.length < 5 ? 1 : 2;
  for (const command of program.commands) {
    // A beginning of a name (`share` for share-token) counts as one edit away.
    const distance =
      word.length >= 3 && command.name().startsWith(word) ? 1 : typoDistance(word, command.name());
    if (distance <= nearestDistance) {
      nearest = command.name();
      nearestDistance = distance;
    }
  }
  const hint = nearest === undefined ? "" : `\n(Did you mean ${nearest}?)`;
  return `error: unknown command '${word}'${hint}`;
}

/** Edits from a to b: a letter inserted, deleted, replaced, or two neighbours swapped, one each. */
function typoDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    const above = rows[i - 1] ?? [];
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(
        (above[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (above[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

export async function runServe(
  commanderValues: Readonly<Record<string, unknown>>,
  environment: CliEnvironment,
): Promise<void> {
  const { config, warnings } = loadConfig({
    flags: mapFlagValues(commanderValues),
    env: environment.env,
    dotenv: readDotenv(environment.cwd),
  });
  // A cache path that cannot be used is not checked here: the gateway starts with the memory
  // cache and says so (see openTokenCache).
  const serverGithubToken = findGithubToken(config, environment)?.token;
  checkExposure(config.host, serverGithubToken !== undefined, config.apiKeys.length > 0);
  // Loaded here, not at the top: the other commands should not pay for the server stack.
  const { createLogger } = await import("../logging/create-logger.js");
  const { startGateway } = await import("../server/start-gateway.js");
  const logger = createLogger({ level: config.logLevel, file: config.logFile });
  logger.info("CoGPT starting with this configuration:");
  for (const line of describeConfig(config)) logger.info(`  ${line}`);
  for (const warning of warnings) logger.warn(warning);

  if (serverGithubToken !== undefined) {
    logger.info(
      config.apiKeys.length > 0
        ? "Server-held GitHub account: for clients presenting one of API_KEYS"
        : "Server-held GitHub account: for loopback clients without a browser Origin",
    );
  }
  const accountsDirectory = savedAccountsDirectory(environment.env);
  const gateway = await startGateway(config, logger, {
    serverGithubToken,
    savedAccount: (name) => readSavedAccount(accountsDirectory, name),
    accountsDirectory,
  });
  try {
    // A name (localhost, or one in /etc/hosts) is judged by the address it was bound to.
    checkBoundExposure(
      config.host,
      new URL(gateway.url).hostname,
      serverGithubToken !== undefined,
      config.apiKeys.length > 0,
    );
  } catch (error) {
    await gateway.close(0);
    throw error;
  }
  logger.info(`CoGPT listening on ${gateway.url} (OpenAI base URL: ${gateway.url}/v1)`);
  if (gateway.signInUrl !== undefined) printSignInLink(gateway.signInUrl, config.logFile, logger);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: finishing requests in flight, then stopping`);
    void gateway.close().then(() => {
      logger.info("CoGPT stopped");
      logger.flush();
      process.exitCode = 0;
    });
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

/**
 * The dashboard's one-time sign-in link is a credential (for 10 minutes, once): it goes to the
 * console only. Through the logger when there is no LOG_FILE; with one, straight to stderr in the
 * console's format, and the file is told only that a link was printed.
 */
function printSignInLink(
  url: string,
  logFile: string,
  logger: { info(message: string): void },
): void {
  const line = `Dashboard: open ${url} to sign in (valid 10 minutes, once; set ADMIN_KEY to sign in with a key instead)`;
  if (logFile === "") {
    logger.info(line);
    return;
  }
  process.stderr.write(
    formatConsoleRecord({ level: "info", time: new Date().toISOString(), msg: line }),
  );
  logger.info(
    "Dashboard: a one-time sign-in link was printed on the console (not logged to LOG_FILE)",
  );
}

/**
 * A server-held account on a non-loopback address without API_KEYS would let anyone on the
 * network use it: refuse to start, and say how to fix it.
 */
export function checkExposure(host: string, hasServerAccount: boolean, hasApiKeys: boolean): void {
  // Only `localhost` and literal loopback addresses: a name such as 127.example.com is not one.
  const loopback = host === "localhost" || (isIP(host) !== 0 && isLoopback(host));
  if (hasServerAccount && !loopback && !hasApiKeys) {
    throw new ConfigError(
      "API_KEYS",
      `HOST ${host} would expose the server-held GitHub account to the network: set API_KEYS ` +
        "(for example API_KEYS=$(cogpt share-token)) so clients must present a key, or listen on HOST=localhost",
    );
  }
}

/**
 * The same check on the address actually bound (`[::1]` as the URL writes it): `localhost` may
 * resolve to anything /etc/hosts says.
 */
export function checkBoundExposure(
  host: string,
  boundAddress: string,
  hasServerAccount: boolean,
  hasApiKeys: boolean,
): void {
  const address = boundAddress.replace(/^\[(.*)\]$/, "$1");
  // URLs write ::ffff:127.0.0.1 as ::ffff:7f00:1.
  const loopback = isLoopback(address) || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/i.test(address);
  if (hasServerAccount && !hasApiKeys && !loopback) {
    throw new ConfigError(
      "API_KEYS",
      `HOST ${host} is bound to ${address}, which is not a loopback address: that would expose ` +
        "the server-held GitHub account to the network. Set API_KEYS (for example " +
        "API_KEYS=$(cogpt share-token)) so clients must present a key, or listen on HOST=127.0.0.1",
    );
  }
}
