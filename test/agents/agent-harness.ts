import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  FAKE_GITHUB_TOKEN,
  startHarness,
  type Harness,
  type HarnessOptions,
} from "../e2e/harness.js";
import { startRecordingProxy, type RecordingProxy } from "./recording-proxy.js";

const BIN = resolve("node_modules", ".bin");
/** An agent that hangs is a failure, not a stuck suite. */
const RUN_TIMEOUT_MS = 60_000;

export interface AgentRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout's JSON lines (Claude Code's stream-json, Codex's --json events). */
  readonly events: readonly Record<string, unknown>[];
  /** The HOME the run used; pass it to the next run to continue the same session. */
  readonly home: string;
}

export interface ClaudeRunOptions {
  readonly prompt: string;
  readonly model: string;
  /** Tools Claude Code may run without asking (its --allowedTools). */
  readonly allowedTools?: readonly string[];
  /** A --mcp-config JSON text. */
  readonly mcpConfig?: string;
  /** Continue the most recent conversation of this HOME (a previous run's `home`). */
  readonly continueIn?: string;
  readonly env?: Record<string, string>;
}

export interface CodexRunOptions {
  readonly prompt: string;
  readonly model: string;
  /** Extra config.toml text, appended inside the provider's table (it comes last). */
  readonly config?: string;
  /** `-c key=value` overrides, for keys of tables written before the provider. */
  readonly configOverrides?: readonly string[];
  readonly env?: Record<string, string>;
}

export interface AgentHarness {
  readonly harness: Harness;
  readonly proxy: RecordingProxy;
  /** A fresh empty folder per harness: the agents' working directory. */
  readonly workDir: string;
  runClaude(options: ClaudeRunOptions): Promise<AgentRun>;
  runCodex(options: CodexRunOptions): Promise<AgentRun>;
  close(): Promise<void>;
}

/**
 * The gateway in-process against the fake upstream (test/e2e/harness.ts), and the real Claude
 * Code and Codex CLIs from node_modules pointed at it. Each run gets its own HOME / CODEX_HOME,
 * the clients' switches for telemetry, updates and plugin sync turned off, and a proxy that
 * records any attempt to reach another host (see recording-proxy.ts).
 */
export async function startAgentHarness(options: HarnessOptions = {}): Promise<AgentHarness> {
  const harness = await startHarness(options);
  const proxy = await startRecordingProxy();
  const root = mkdtempSync(join(tmpdir(), "cogpt-agents-"));
  const workDir = join(root, "work");
  mkdirSync(workDir);
  let runSerial = 0;

  const baseEnv = (home: string): Record<string, string> => ({
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: home,
    TMPDIR: tmpdir(),
    LANG: "C.UTF-8",
    HTTP_PROXY: proxy.url,
    HTTPS_PROXY: proxy.url,
    ALL_PROXY: proxy.url,
    http_proxy: proxy.url,
    https_proxy: proxy.url,
    all_proxy: proxy.url,
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
  });
  const newHome = (): string => {
    runSerial += 1;
    const home = join(root, `home-${runSerial}`);
    mkdirSync(home);
    return home;
  };

  return {
    harness,
    proxy,
    workDir,
    runClaude(run) {
      const home = run.continueIn ?? newHome();
      const args = ["-p", run.prompt, "--output-format", "stream-json", "--verbose"];
      if (run.continueIn !== undefined) args.push("--continue");
      args.push("--model", run.model);
      if (run.allowedTools !== undefined) args.push("--allowedTools", ...run.allowedTools);
      if (run.mcpConfig !== undefined)
        args.push("--strict-mcp-config", "--mcp-config", run.mcpConfig);
      return runAgent(join(BIN, "claude"), args, workDir, home, {
        ...baseEnv(home),
        ...claudeEnv(harness.gateway.url, run.model),
        ...run.env,
      });
    },
    runCodex(run) {
      const home = newHome();
      const codexHome = join(home, ".codex");
      mkdirSync(codexHome);
      writeFileSync(
        join(codexHome, "config.toml"),
        codexConfig(harness.gateway.url, run.model) + (run.config ?? ""),
      );
      const args = ["exec", "--json", "--skip-git-repo-check"];
      for (const override of run.configOverrides ?? []) args.push("-c", override);
      args.push("--dangerously-bypass-approvals-and-sandbox", run.prompt);
      return runAgent(join(BIN, "codex"), args, workDir, home, {
        ...baseEnv(home),
        CODEX_HOME: codexHome,
        COGPT_API_KEY: FAKE_GITHUB_TOKEN,
        ...run.env,
      });
    },
    async close() {
      await proxy.close();
      await harness.close();
    },
  };
}

/**
 * Claude Code against a gateway: the base URL and key, one model for every role so no request
 * goes to a model the test did not pick, and every switch the binary documents for traffic that
 * is not the conversation (telemetry, error reports, auto-update, marketplace install, surveys).
 */
function claudeEnv(gatewayUrl: string, model: string): Record<string, string> {
  return {
    ANTHROPIC_BASE_URL: gatewayUrl,
    ANTHROPIC_AUTH_TOKEN: FAKE_GITHUB_TOKEN,
    ANTHROPIC_MODEL: model,
    ANTHROPIC_SMALL_FAST_MODEL: model,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: model,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_ERROR_REPORTING: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_UPDATES: "1",
    DISABLE_INSTALLATION_CHECKS: "1",
    CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: "1",
    CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY: "1",
  };
}

/**
 * Codex's config.toml: the gateway as a Responses provider (HTTP, no WebSocket, no retries so a
 * failure shows at once), no approvals or sandbox (the test's temp folder is the workspace), and
 * analytics, feedback, the update check, plugin sync (github.com/openai/plugins, chatgpt.com),
 * remote model metadata and ChatGPT apps off.
 */
function codexConfig(gatewayUrl: string, model: string): string {
  return `model = ${JSON.stringify(model)}
model_provider = "cogpt"
approval_policy = "never"
sandbox_mode = "danger-full-access"
check_for_update_on_startup = false

[analytics]
enabled = false

[feedback]
enabled = false

[features]
plugins = false
remote_plugin = false
remote_models = false
apps = false

[model_providers.cogpt]
name = "CoGPT"
base_url = ${JSON.stringify(`${gatewayUrl}/v1`)}
env_key = "COGPT_API_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
`;
}

function runAgent(
  command: string,
  args: readonly string[],
  cwd: string,
  home: string,
  env: Record<string, string>,
): Promise<AgentRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (exitCode) => {
      clearTimeout(timer);
      const out = Buffer.concat(stdout).toString("utf8");
      resolvePromise({
        exitCode,
        stdout: out,
        stderr: Buffer.concat(stderr).toString("utf8"),
        events: parseJsonLines(out),
        home,
      });
    });
  });
}

function parseJsonLines(text: string): Record<string, unknown>[] {
  return text.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}
