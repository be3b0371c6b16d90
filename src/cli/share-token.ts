import { InvalidArgumentError, Option, type Command } from "commander";
import { processEnvironment, type CliEnvironment } from "./cli-context.js";
import { CliError, EXIT_USAGE } from "./cli-error.js";
import { generateShareToken } from "./generate-share-token.js";

const MAX_COUNT = 10_000;

export interface ShareTokenValues {
  readonly for?: string;
  readonly count?: number;
}

/** `cogpt share-token` (also the `gen-share-token` bin). */
export function registerShareTokenCommand(program: Command): void {
  program
    .command("share-token")
    .description("print a new random share token (share-…) for SHARE_TOKEN or API_KEYS")
    .addOption(
      new Option(
        "--for <github-token>",
        "print a ready SHARE_TOKEN=share-…:<github-token> entry for this GitHub token",
      ),
    )
    .addOption(
      new Option("--count <n>", `how many tokens to make, one per line (1-${MAX_COUNT})`)
        .argParser(parseCount)
        .default(1),
    )
    .action((values: ShareTokenValues) => {
      runShareToken(values, processEnvironment());
    });
}

export function runShareToken(values: ShareTokenValues, environment: CliEnvironment): void {
  const count = values.count ?? 1;
  const tokens = Array.from({ length: count }, () => generateShareToken());
  const githubToken = values.for;
  if (githubToken === undefined) {
    environment.stdout.write(`${tokens.join("\n")}\n`);
    return;
  }
  checkGithubToken(githubToken, environment);
  // One SHARE_TOKEN line: several would override each other in a .env file.
  const pairs = tokens.map((token) => `${token}:${githubToken}`).join(",");
  environment.stdout.write(`SHARE_TOKEN=${pairs}\n`);
}

function checkGithubToken(githubToken: string, environment: CliEnvironment): void {
  if (githubToken === "" || /[\s,:]/.test(githubToken)) {
    throw new CliError(
      "--for: a GitHub token has no spaces, commas or colons (they separate SHARE_TOKEN entries)",
      EXIT_USAGE,
    );
  }
  if (!githubToken.startsWith("ghu_")) {
    environment.stderr.write(
      "cogpt share-token: warning: only GitHub app tokens (ghu_…) can be exchanged for Copilot " +
        "tokens; get one with `cogpt login`\n",
    );
  }
}

function parseCount(value: string): number {
  const count = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_COUNT}`);
  }
  return count;
}
