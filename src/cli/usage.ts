import type { Command } from "commander";
import { fetchCopilotUser } from "../github/copilot-user.js";
import { addConfigOptions } from "./config-options.js";
import {
  loadCommandConfig,
  openCommandStack,
  processEnvironment,
  requireGithubToken,
  UPSTREAM_OPTIONS,
  type CliEnvironment,
} from "./cli-context.js";
import { formatUsage, usageToJson } from "./format-usage.js";

/**
 * `cogpt usage`: plan, quota reset date and premium-request usage
 * (docs/upstream-protocol.md, Copilot user and quota).
 */
export function registerUsageCommand(program: Command): void {
  const command = program
    .command("usage")
    .description("show the account's Copilot plan, quota reset date and premium-request usage")
    .option("--json", "print one JSON object");
  addConfigOptions(command, UPSTREAM_OPTIONS);
  command.action(async (values: Record<string, unknown>) => {
    await runUsage(values, processEnvironment());
  });
}

export async function runUsage(
  values: Readonly<Record<string, unknown>>,
  environment: CliEnvironment,
): Promise<void> {
  const config = loadCommandConfig(values, environment);
  const githubToken = requireGithubToken(config, environment);
  const stack = openCommandStack(config);
  try {
    const user = await fetchCopilotUser(stack.github, githubToken);
    const text =
      values["json"] === true ? JSON.stringify(usageToJson(user)) : formatUsage(user).join("\n");
    environment.stdout.write(`${text}\n`);
  } finally {
    await stack.close();
  }
}
