import type { Command } from "commander";
import type { LoadedConfig } from "../config/load-config.js";
import { ConfigError, loadConfig } from "../config/load-config.js";
import { mapFlagValues } from "../config/options.js";
import { readDotenv } from "../config/read-dotenv.js";
import {
  findGithubToken,
  openCommandStack,
  processEnvironment,
  type CliEnvironment,
} from "./cli-context.js";
import { CliError, EXIT_FAILURE } from "./cli-error.js";
import { addConfigOptions } from "./config-options.js";
import {
  check,
  checkCache,
  checkProxy,
  judgeClockSkew,
  probeGitHub,
  type CheckResult,
  type Verdict,
} from "./doctor-checks.js";
import { runCopilotChecks } from "./doctor-copilot-checks.js";
import { checkExposure } from "./serve.js";

/** `cogpt doctor`: one line per check, with a verdict and the fix; exit 1 if any failed. */
export function registerDoctorCommand(program: Command): void {
  const command = program
    .command("doctor")
    .description("check the configuration, network, token, Copilot seat and API, cache and clock")
    .option("--live", "also send a one-line chat request on a free model (header versions)")
    .option("--json", "print one JSON object per check, one per line");
  addConfigOptions(command);
  command.action(async (values: Record<string, unknown>) => {
    await runDoctor(values, processEnvironment());
  });
}

export async function runDoctor(
  values: Readonly<Record<string, unknown>>,
  environment: CliEnvironment,
  now: () => number = Date.now,
): Promise<void> {
  const results: CheckResult[] = [];
  const report = (result: CheckResult) => {
    results.push(result);
    environment.stdout.write(
      `${values["json"] === true ? JSON.stringify(result) : formatCheck(result)}\n`,
    );
  };
  const loaded = checkConfiguration(values, environment, report);
  if (loaded !== undefined) {
    const { config } = loaded;
    report(await checkProxy(config));
    const stack = await openCommandStack(config);
    try {
      const github = await probeGitHub(config, stack, now);
      report(github.result);
      await runCopilotChecks({
        config,
        stack,
        found: findGithubToken(config, environment),
        live: values["live"] === true,
        report,
      });
      report(checkCache(config));
      report(judgeClockSkew(github.clocks));
    } finally {
      await stack.close();
    }
  }
  const failed = results.filter((result) => result.verdict === "fail").length;
  const warned = results.filter((result) => result.verdict === "warn").length;
  if (values["json"] !== true) environment.stdout.write(`\n${summarize(failed, warned)}\n`);
  // The lines above said everything; main only sets the exit code.
  if (failed > 0) throw new CliError("", EXIT_FAILURE);
}

function checkConfiguration(
  values: Readonly<Record<string, unknown>>,
  environment: CliEnvironment,
  report: (result: CheckResult) => void,
): LoadedConfig | undefined {
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig({
      flags: mapFlagValues(values),
      env: environment.env,
      dotenv: readDotenv(environment.cwd),
    });
    const found = findGithubToken(loaded.config, environment);
    checkExposure(loaded.config.host, found !== undefined, loaded.config.apiKeys.length > 0);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    report(
      check(
        "configuration",
        "fail",
        error.message,
        "correct it on the command line, in the environment or in .env",
      ),
    );
    return undefined;
  }
  report(
    loaded.warnings.length === 0
      ? check("configuration", "ok", "valid")
      : check("configuration", "warn", loaded.warnings.join("; "), "correct the entries named"),
  );
  return loaded;
}

const LABELS: Record<Verdict, string> = {
  ok: "[ok]  ",
  warn: "[warn]",
  fail: "[FAIL]",
  skip: "[skip]",
};

export function formatCheck(result: CheckResult): string {
  const fix = result.fix === undefined ? "" : ` Fix: ${result.fix}.`;
  return `${LABELS[result.verdict]} ${result.name}: ${result.detail}${fix}`;
}

function summarize(failed: number, warned: number): string {
  const warnings = warned === 0 ? "" : ` ${warned} warning${warned === 1 ? "" : "s"}.`;
  if (failed === 0) return `No problems found.${warnings}`;
  return `${failed} problem${failed === 1 ? "" : "s"} found.${warnings}`;
}
