import { Option, type Command } from "commander";
import { listEnvNames, OPTIONS } from "../config/options.js";

/** Adds every configuration option of the table to a command, with its help text. */
export function addConfigOptions(command: Command): Command {
  for (const descriptor of OPTIONS) {
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
