import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Writable } from "node:stream";
import OpenAI from "openai";
import { describeConfig } from "../../src/config/describe-config.js";
import { loadConfig } from "../../src/config/load-config.js";
import { readSavedAccount } from "../../src/github/saved-token.js";
import { createLogger } from "../../src/logging/create-logger.js";
import { startGateway, type Gateway } from "../../src/server/start-gateway.js";
import {
  FAKE_GITHUB_TOKEN,
  startFakeCopilot,
  type FakeCopilot,
  type FakeCopilotOptions,
} from "../fake-copilot/fake-copilot.js";

const BUILT_UI = fileURLToPath(new URL("../../dist/ui", import.meta.url));

export interface Harness {
  readonly fake: FakeCopilot;
  gateway: Gateway;
  /** Every line the gateway logged (console format), for assertions and secret scans. */
  readonly logs: string[];
  readonly cachePath: string;
  readonly env: Record<string, string>;
  /** An official OpenAI client pointed at the gateway. */
  readonly openai: (apiKey?: string, options?: { maxRetries?: number }) => OpenAI;
  /** Restart the gateway with the same configuration (and cache file). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly fake?: FakeCopilotOptions;
  /** Extra configuration, as environment variables. */
  readonly env?: Record<string, string>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeCopilot(options.fake);
  const dir = mkdtempSync(join(tmpdir(), "cogpt-e2e-"));
  const cachePath = join(dir, "cache.sqlite3");
  const accountsDirectory = join(dir, "accounts");
  const env: Record<string, string> = {
    HOST: "127.0.0.1",
    PORT: "0",
    CACHE_PATH: cachePath,
    LOG_FILE: "",
    LOG_LEVEL: "debug",
    GITHUB_URL: fake.githubUrl,
    GITHUB_API_URL: fake.githubUrl,
    ...options.env,
  };
  const logs: string[] = [];
  const consoleSink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      // The logger writes a turn's lines as one chunk: keep one entry per line.
      logs.push(...chunk.toString("utf8").split(/(?<=\n)/));
      callback();
    },
  });
  async function start(): Promise<Gateway> {
    const { config } = loadConfig({ env });
    const logger = createLogger({
      level: config.logLevel,
      file: config.logFile,
      console: consoleSink,
    });
    for (const line of describeConfig(config)) logger.info(line);
    return startGateway(config, logger, {
      // The page as `npm run build` made it (from source, dist/ui is not beside the module).
      uiDirectory: BUILT_UI,
      // Saved logins (the join page saves a friend's) in the run's own directory.
      accountsDirectory,
      savedAccount: (name) => readSavedAccount(accountsDirectory, name),
    });
  }
  const harness: Harness = {
    fake,
    gateway: await start(),
    logs,
    cachePath,
    env,
    openai: (apiKey = FAKE_GITHUB_TOKEN, clientOptions = {}) => {
      return new OpenAI({
        apiKey,
        baseURL: `${harness.gateway.url}/v1`,
        maxRetries: clientOptions.maxRetries ?? 0,
      });
    },
    async restart() {
      await harness.gateway.close();
      harness.gateway = await start();
    },
    async close() {
      await harness.gateway.close();
      await fake.close();
    },
  };
  return harness;
}

export { FAKE_GITHUB_TOKEN };
