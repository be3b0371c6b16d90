import type { Command } from "commander";
import { renderUnicodeCompact } from "uqr";
import { GatewayError, PermissionError } from "../errors.js";
import { fetchCopilotUser, fetchGitHubLogin } from "../github/copilot-user.js";
import { DeviceFlowError, runDeviceFlow } from "../github/device-flow.js";
import { exchangeCopilotToken, type GitHubApiOptions } from "../github/github-api.js";
import {
  saveAccount,
  savedAccountPath,
  savedAccountsDirectory,
  savedTokenPath,
  saveToken,
} from "../github/saved-token.js";
import { isValidName, NAME_RULE } from "../keys/key-name.js";
import {
  loadCommandConfig,
  openCommandStack,
  processEnvironment,
  UPSTREAM_OPTIONS,
  type CliEnvironment,
} from "./cli-context.js";
import { CliError, EXIT_CANCELLED, EXIT_FAILURE, EXIT_USAGE } from "./cli-error.js";
import { addConfigOptions } from "./config-options.js";
import { describePlan } from "./describe-plan.js";
import { createLoginDisplay } from "./login-display.js";

/** Whether the signed-in account can use Copilot, as the token exchange says. */
export type CopilotAccess =
  | { readonly ok: true; readonly sku: string | undefined; readonly plan: string | undefined }
  | {
      readonly ok: false;
      /** GitHub refused (no seat, blocked account), rather than could not be asked. */
      readonly denied: boolean;
      readonly reason: string;
      readonly code: string | undefined;
    };

/**
 * `cogpt login` (also the `cogpt-get-apptoken` bin): GitHub's device flow
 * (docs/upstream-protocol.md, Device flow).
 */
export function registerLoginCommand(program: Command): void {
  const command = program
    .command("login")
    .description("sign in to GitHub (device flow), check Copilot access, print the GitHub token")
    .option("--save", "store the token for the server (a file only you can read)")
    .option(
      "--name <name>",
      "with --save: store it as a named account, for keys made with `cogpt keys create --account <name>`",
    )
    .option("--json", "print one JSON object (the sign-in instructions go to stderr)");
  addConfigOptions(
    command,
    UPSTREAM_OPTIONS.filter((name) => name !== "GITHUB_TOKEN"),
  );
  command.action(async (values: Record<string, unknown>) => {
    // Ctrl-C stops the wait cleanly (exit 130) instead of killing the process mid-line.
    const controller = new AbortController();
    const onInterrupt = () => controller.abort();
    process.on("SIGINT", onInterrupt);
    try {
      await runLogin(values, processEnvironment(), controller.signal, () =>
        process.off("SIGINT", onInterrupt),
      );
    } finally {
      process.off("SIGINT", onInterrupt);
    }
  });
}

export async function runLogin(
  values: Readonly<Record<string, unknown>>,
  environment: CliEnvironment,
  signal: AbortSignal,
  onSignedIn: () => void = () => undefined,
): Promise<void> {
  const config = loadCommandConfig(values, environment);
  const json = values["json"] === true;
  const save = values["save"] === true;
  const account = readAccountName(values["name"], save);
  const stack = await openCommandStack(config);
  const display = createLoginDisplay({
    output: json ? environment.stderr : environment.stdout,
    errors: environment.stderr,
    renderQr: (text) => renderUnicodeCompact(text),
  });
  // The device flow is a web route, not the API: the same client headers, no credentials.
  const { authorization: _none, ...headers } = stack.headers.forGitHub("");
  try {
    let githubToken: string;
    try {
      githubToken = await runDeviceFlow({
        githubUrl: config.githubUrl,
        dispatcher: stack.http.dispatcherFor(new URL(config.githubUrl)),
        headers,
        signal,
        onCode: (code) => display.showCode(code),
        onTick: (seconds) => display.tick(seconds),
        onRetry: (retry) =>
          display.note(
            `cogpt login: no answer from GitHub (${retry.problem}); trying again (${retry.attempt} of ${retry.maxAttempts})`,
          ),
        onSlowDown: (seconds) =>
          display.note(`cogpt login: GitHub asked to be polled less often: every ${seconds} s now`),
      });
    } catch (error) {
      throw toCliError(error);
    } finally {
      display.end();
    }
    onSignedIn();
    const login = await fetchGitHubLogin(stack.github, githubToken).catch(() => undefined);
    const access = await checkCopilotAccess(stack.github, githubToken);
    report({ environment, json, githubToken, login, access, save, account });
  } finally {
    await stack.close();
  }
}

/** `--name`, checked before the sign-in starts: it needs `--save` and becomes a file name. */
function readAccountName(value: unknown, save: boolean): string | undefined {
  if (typeof value !== "string") return undefined;
  if (!save) {
    throw new CliError(
      "--name names the saved account: use it with --save (cogpt login --save --name <name>)",
      EXIT_USAGE,
    );
  }
  if (!isValidName(value)) {
    throw new CliError(`--name ${JSON.stringify(value)}: expected ${NAME_RULE}`, EXIT_USAGE);
  }
  return value;
}

/** Exchanges the token as the server will; a 403 carries GitHub's reason (no seat, blocked). */
export async function checkCopilotAccess(
  github: GitHubApiOptions,
  githubToken: string,
): Promise<CopilotAccess> {
  try {
    const grant = await exchangeCopilotToken(github, githubToken);
    const plan = await fetchCopilotUser(github, githubToken).then(
      (user) => user.plan,
      () => undefined,
    );
    return { ok: true, sku: grant.sku, plan };
  } catch (error) {
    const denied = error instanceof PermissionError;
    if (error instanceof GatewayError) {
      return { ok: false, denied, reason: error.message, code: error.code };
    }
    return { ok: false, denied, reason: String(error), code: undefined };
  }
}

function report(input: {
  environment: CliEnvironment;
  json: boolean;
  githubToken: string;
  login: string | undefined;
  access: CopilotAccess;
  save: boolean;
  /** Saved as this named account rather than as the default token. */
  account: string | undefined;
}): void {
  const { environment, githubToken, login, access, account } = input;
  let savedTo: string | undefined;
  let saveError: string | undefined;
  if (input.save) {
    const path =
      account === undefined
        ? savedTokenPath(environment.env)
        : savedAccountPath(savedAccountsDirectory(environment.env), account);
    try {
      if (account === undefined) saveToken(path, githubToken);
      else saveAccount(savedAccountsDirectory(environment.env), account, githubToken);
      savedTo = path;
    } catch (error) {
      saveError = `cannot save the token to ${path}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (input.json) {
    const copilot = access.ok
      ? { ok: true, sku: access.sku ?? null, plan: access.plan ?? null }
      : { ok: false, reason: access.reason, code: access.code ?? null };
    const result = {
      token: githubToken,
      ...(login === undefined ? {} : { login }),
      copilot,
      ...(savedTo === undefined ? {} : { saved_to: savedTo }),
      ...(savedTo === undefined || account === undefined ? {} : { account }),
    };
    environment.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    const lines = [
      login === undefined ? "Signed in." : `Signed in as ${login}.`,
      describeAccess(access),
      "",
      `Your GitHub token: ${githubToken}`,
      "",
      describeSaved(savedTo, account),
    ];
    if (saveError !== undefined) lines.pop();
    environment.stdout.write(`${lines.join("\n")}\n`);
  }
  if (saveError !== undefined) throw new CliError(saveError, EXIT_FAILURE);
}

function describeSaved(savedTo: string | undefined, account: string | undefined): string {
  if (savedTo === undefined) {
    return "Keep it secret: it gives access to your Copilot account. `cogpt login --save` stores it for the server.";
  }
  if (account === undefined) {
    return `Saved to ${savedTo} (readable only by you); \`cogpt serve\` uses it when GITHUB_TOKEN is not set.`;
  }
  return (
    `Saved as account "${account}" to ${savedTo} (readable only by you); ` +
    `keys made with \`cogpt keys create --account ${account}\` spend it.`
  );
}

function describeAccess(access: CopilotAccess): string {
  if (access.ok) {
    const plan = describePlan(access.plan, access.sku);
    return `Copilot: yes${plan === undefined ? "" : `, plan ${plan}`}.`;
  }
  return access.denied
    ? `Copilot: no. GitHub says: ${access.reason}`
    : `Copilot: could not check (${access.reason})`;
}

function toCliError(error: unknown): Error {
  if (!(error instanceof DeviceFlowError)) {
    return error instanceof Error ? error : new Error(String(error));
  }
  if (error.reason === "cancelled") return new CliError("sign-in cancelled", EXIT_CANCELLED);
  return new CliError(error.message, EXIT_FAILURE);
}
