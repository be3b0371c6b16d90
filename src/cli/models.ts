import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import { addConfigOptions } from "./config-options.js";
import {
  loadCommandConfig,
  openCommandStack,
  processEnvironment,
  requireGithubToken,
  UPSTREAM_OPTIONS,
  type CliEnvironment,
} from "./cli-context.js";
import { formatModels, modelsToJson } from "./format-models.js";

/** `cogpt models`: the models this account may use, as Copilot lists them. */
export function registerModelsCommand(program: Command): void {
  const command = program
    .command("models")
    .description(
      "list the account's models: vendor, endpoints, context window, premium multiplier, policy",
    )
    .option("--json", "print one JSON array");
  addConfigOptions(command, UPSTREAM_OPTIONS);
  command.action(async (values: Record<string, unknown>) => {
    await runModels(values, processEnvironment());
  });
}

export async function runModels(
  values: Readonly<Record<string, unknown>>,
  environment: CliEnvironment,
): Promise<void> {
  const config = loadCommandConfig(values, environment);
  const githubToken = requireGithubToken(config, environment);
  const stack = await openCommandStack(config);
  try {
    const models = await stack.models.getModels(githubToken, randomUUID());
    const text =
      values["json"] === true
        ? JSON.stringify(modelsToJson(models))
        : formatModels(models).join("\n");
    environment.stdout.write(`${text}\n`);
  } finally {
    await stack.close();
  }
}
