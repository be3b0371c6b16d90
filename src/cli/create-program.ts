import { Command, CommanderError } from "commander";
import { ConfigError } from "../config/load-config.js";
import { GatewayError } from "../errors.js";
import { VERSION } from "../version.js";
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./cli-error.js";
import { registerDoctorCommand } from "./doctor.js";
import { registerKeysCommand } from "./keys.js";
import { registerLoginCommand } from "./login.js";
import { registerModelsCommand } from "./models.js";
import { registerServeCommand } from "./serve.js";
import { registerShareTokenCommand } from "./share-token.js";
import { registerUsageCommand } from "./usage.js";

export interface ProgramOutput {
  /** Help and version text (stdout). */
  readonly writeOut: (text: string) => void;
  /** Usage errors (stderr). */
  readonly writeErr: (text: string) => void;
}

/** The `cogpt` command line, every command registered; tests may capture its help output. */
export function createProgram(output?: ProgramOutput): Command {
  const program = new Command("cogpt")
    .description("CoGPT: use GitHub Copilot's models from any OpenAI-compatible tool")
    .version(VERSION, "-v, --version")
    .showHelpAfterError()
    // Throw instead of exiting, so usage errors get exit code 2. Set before the subcommands
    // are added: they copy these settings.
    .exitOverride();
  if (output !== undefined) program.configureOutput(output);
  registerServeCommand(program);
  registerLoginCommand(program);
  registerShareTokenCommand(program);
  registerKeysCommand(program);
  registerUsageCommand(program);
  registerModelsCommand(program);
  registerDoctorCommand(program);
  return program;
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
