import { Option, type Command } from "commander";
import { listEnvNames, OPTIONS } from "../config/options.js";

/**
 * Adds the configuration options of the table to a command, with their help text: all of them,
 * or only those named in `only` (env names), for commands that need a few.
 */
export function addConfigOptions(command: Command, only?: readonly string[]): Command {
  for (const descriptor of OPTIONS) {
    if (only !== undefined && !only.includes(descriptor.env)) continue;
    const shown =
      descriptor.secret || descriptor.defaultValue === ""
        ? ""
        : ` (default: ${descriptor.defaultValue})`;
    command.addOption(
      new Option(
        descriptor.flag,
        `${descriptor.description}${shown} [env: ${envNames(descriptor)}]`,
      ),
    );
  }
  return command;
}

function envNames(descriptor: (typeof OPTIONS)[number]): string {
  return listEnvNames(descriptor)
    .filter((name) => name === name.toUpperCase())
    .join(", ");
}
