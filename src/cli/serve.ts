import type { Command } from "commander";
import { checkCachePath } from "../config/check-cache-path.js";
import { describeConfig } from "../config/describe-config.js";
import { loadConfig } from "../config/load-config.js";
import { mapFlagValues } from "../config/options.js";
import { readDotenv } from "../config/read-dotenv.js";
import { createLogger } from "../logging/create-logger.js";
import { startGateway } from "../server/start-gateway.js";
import { addConfigOptions } from "./config-options.js";

/** `cogpt serve` (also the `cogpt-api` bin): load the configuration and run the gateway. */
export function registerServeCommand(program: Command): void {
  const command = program
    .command("serve", { isDefault: true })
    .description("run the gateway (OpenAI-compatible API over GitHub Copilot)");
  addConfigOptions(command);
  command.action(async (options: Record<string, unknown>) => {
    await runServe(options);
  });
}

export async function runServe(commanderValues: Readonly<Record<string, unknown>>): Promise<void> {
  const { config, warnings } = loadConfig({
    flags: mapFlagValues(commanderValues),
    env: process.env,
    dotenv: readDotenv(process.cwd()),
  });
  if (config.cache) checkCachePath(config.cachePath);
  const logger = createLogger({ level: config.logLevel, file: config.logFile });
  logger.info("CoGPT starting with this configuration:");
  for (const line of describeConfig(config)) logger.info(`  ${line}`);
  for (const warning of warnings) logger.warn(warning);

  const gateway = await startGateway(config, logger);
  logger.info(`CoGPT listening on ${gateway.url} (OpenAI base URL: ${gateway.url}/v1)`);

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
