import { Command, CommanderError } from "commander";
import { ConfigError } from "../config/load-config.js";
import { GatewayError } from "../errors.js";
import { describeSqliteDriver } from "../store/sqlite-driver.js";
import { VERSION } from "../version.js";
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./cli-error.js";

export interface ProgramOutput {
  /** Help and version text (stdout). */
  readonly writeOut: (text: string) => void;
  /** Usage errors (stderr). */
  readonly writeErr: (text: string) => void;
}

type RegisterCommand = (program: Command) => void;

/**
 * Every command, in help order, with the module that registers it. A module is loaded only when
 * its command runs (or for the full help): the commands that talk to GitHub pull in the HTTP
 * stack, about 400 ms to load, which `cogpt share-token` in a script loop should not pay.
 */
const COMMANDS: Readonly<Record<string, () => Promise<RegisterCommand>>> = {
  serve: async () => (await import("./serve.js")).registerServeCommand,
  login: async () => (await import("./login.js")).registerLoginCommand,
  "share-token": async () => (await import("./share-token.js")).registerShareTokenCommand,
  keys: async () => (await import("./keys.js")).registerKeysCommand,
  usage: async () => (await import("./usage.js")).registerUsageCommand,
  models: async () => (await import("./models.js")).registerModelsCommand,
  doctor: async () => (await import("./doctor.js")).registerDoctorCommand,
};

/**
 * The `cogpt` command line; tests may capture its help output. Given the command about to run
 * (the first argument), only that command is registered; otherwise (no command, an option, an
 * unknown name: help or the default `serve`) every command is.
 */
export async function createProgram(output?: ProgramOutput, command?: string): Promise<Command> {
  const program = new Command("cogpt")
    .description("CoGPT: use GitHub Copilot's models from any OpenAI-compatible tool")
    .option("-v, --version", "output the version, the Node version and the storage driver")
    .showHelpAfterError()
    // Throw instead of exiting, so usage errors get exit code 2. Set before the subcommands
    // are added: they copy these settings.
    .exitOverride();
  if (output !== undefined) program.configureOutput(output);
  // Commander's own --version takes a fixed string; this one loads the SQLite driver only when
  // asked, so no other command pays for it.
  program.on("option:version", () => {
    const line = describeVersion();
    program.configureOutput().writeOut?.(`${line}\n`);
    throw new CommanderError(EXIT_OK, "commander.version", line);
  });
  const names =
    command !== undefined && Object.hasOwn(COMMANDS, command) ? [command] : Object.keys(COMMANDS);
  for (const name of names) {
    const load = COMMANDS[name];
    if (load !== undefined) (await load())(program);
  }
  return program;
}

/** `cogpt 0.1.0 (node v20.20.2, sqlite: better-sqlite3 12.9.0)`: what a bug report needs. */
export function describeVersion(): string {
  return `cogpt ${VERSION} (node ${process.version}, sqlite: ${describeSqliteDriver()})`;
}

/** Exit codes: 0 ok, 1 failure, 2 usage or configuration error, 130 cancelled. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here too, with exit code 0.
    return error.exitCode === EXIT_OK ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof ConfigError) return EXIT_USAGE;
  if (error instanceof CliError) return error.exitCode;
  return EXIT_FAILURE;
}

/** The one line to print for an error; empty when it was already shown. */
export function errorMessageOf(error: unknown): string {
  if (error instanceof CommanderError) return "";
  if (error instanceof ConfigError) return `configuration error: ${error.message}`;
  if (error instanceof CliError || error instanceof GatewayError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
