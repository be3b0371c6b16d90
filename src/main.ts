#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { registerServeCommand } from "./cli/serve.js";
import { ConfigError } from "./config/load-config.js";
import { VERSION } from "./version.js";

/** The `cogpt` command line. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command("cogpt")
    .description("CoGPT: use GitHub Copilot's models from any OpenAI-compatible tool")
    .version(VERSION, "-v, --version")
    .showHelpAfterError();
  registerServeCommand(program);
  await program.parseAsync([...argv]);
}

main(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`cogpt: configuration error: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`cogpt: ${message}\n`);
  process.exitCode = 1;
});
