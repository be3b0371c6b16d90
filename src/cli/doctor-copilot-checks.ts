import { randomUUID } from "node:crypto";
import type { Config } from "../config/config.js";
import type { CopilotModel } from "../protocols/copilot.js";
import type { TokenLease } from "../copilot/token-source.js";
import {
  AuthenticationError,
  GatewayError,
  PermissionError,
  UpstreamConnectionError,
  UpstreamTimeoutError,
} from "../errors.js";
import { fetchCopilotUser } from "../github/copilot-user.js";
import { CLIENT_IDENTITY_SETTINGS } from "../copilot/copilot-errors.js";
import type { CopilotStack } from "../copilot/create-copilot-stack.js";
import type { FoundGithubToken } from "./cli-context.js";
import { describePlan } from "./describe-plan.js";
import { check, type CheckResult } from "./doctor-checks.js";
import { COPILOT_SETTINGS_URL } from "./format-models.js";

const VERSION_FIX = `update ${CLIENT_IDENTITY_SETTINGS} to the values of a current VS Code and Copilot Chat`;
const SIGN_IN_FIX = "sign in again with `cogpt login --save`, or set GITHUB_TOKEN to a ghu_ token";

export interface CopilotCheckInput {
  readonly config: Config;
  readonly stack: CopilotStack;
  readonly found: FoundGithubToken | undefined;
  /** Send a real (one-line, free-model) chat request. */
  readonly live: boolean;
  readonly report: (result: CheckResult) => void;
}

/** token → seat → Copilot API → models → header versions; each needs the one before. */
export async function runCopilotChecks(input: CopilotCheckInput): Promise<void> {
  const { config, found, report } = input;
  const skipRest = (reason: string, from: number) => {
    const names = ["token", "Copilot seat", "Copilot API", "models", "header versions"];
    for (const name of names.slice(from)) report(check(name, "skip", reason));
  };
  if (found === undefined) {
    report(
      check(
        "token",
        "fail",
        "no GITHUB_TOKEN, and none saved by `cogpt login --save`",
        "run `cogpt login --save`, or set GITHUB_TOKEN",
      ),
    );
    skipRest("needs a GitHub token", 1);
    return;
  }
  let lease: TokenLease;
  try {
    lease = await input.stack.tokenSource.getToken(found.token);
  } catch (error) {
    if (error instanceof PermissionError) {
      report(check("token", "ok", `accepted by GitHub (from ${found.source})`));
      report(
        check(
          "Copilot seat",
          "fail",
          error.message,
          `get a Copilot plan at ${COPILOT_SETTINGS_URL}, or ask your organization's admin for a seat`,
        ),
      );
      skipRest("needs a Copilot seat", 2);
      return;
    }
    const rejected = error instanceof AuthenticationError;
    report(
      check(
        "token",
        "fail",
        rejected ? describe(error) : `could not be checked: ${describe(error)}`,
        rejected ? SIGN_IN_FIX : "see the GitHub check above",
      ),
    );
    skipRest("needs an accepted GitHub token", 1);
    return;
  }
  report(check("token", "ok", `accepted by GitHub (from ${found.source})`));
  const user = await fetchCopilotUser(input.stack.github, found.token).catch(() => undefined);
  const plan = describePlan(user?.plan, lease.copilot.sku) ?? "unknown";
  const login = user?.login === undefined ? "" : `${user.login}: `;
  report(check("Copilot seat", "ok", `${login}plan ${plan}`));

  const base = describeBase(config, lease);
  let models: readonly CopilotModel[];
  try {
    models = await input.stack.models.getModels(found.token, randomUUID());
  } catch (error) {
    if (error instanceof UpstreamConnectionError || error instanceof UpstreamTimeoutError) {
      report(
        check(
          "Copilot API",
          "fail",
          `cannot reach ${base.url ?? base.source}: ${describe(error)}`,
          "check the network, PROXY / NO_PROXY, and COPILOT_API_URL if set",
        ),
      );
      skipRest("needs the Copilot API", 3);
      return;
    }
    report(base.result);
    const tooOld = error instanceof GatewayError && error.status === 466;
    report(check("models", "fail", describe(error), tooOld ? VERSION_FIX : undefined));
    report(
      tooOld
        ? check(
            "header versions",
            "fail",
            `Copilot answered 466 (version no longer supported) to ${input.stack.headers.identity}`,
            VERSION_FIX,
          )
        : check("header versions", "skip", "needs the model list"),
    );
    return;
  }
  report(base.result);
  report(describeModels(models));
  report(input.live ? await tryChat(input, found.token, models) : notLive());
}

function describeBase(
  config: Config,
  lease: TokenLease,
): { url: string | undefined; source: string; result: CheckResult } {
  const seat = lease.copilot.apiUrl;
  if (config.copilotApiUrl !== undefined) {
    const url = config.copilotApiUrl;
    const result =
      seat !== undefined && seat !== url
        ? check(
            "Copilot API",
            "warn",
            `${url} (COPILOT_API_URL), but this seat's endpoint is ${seat}`,
            "remove COPILOT_API_URL unless you need it: business and enterprise seats must use their own endpoint",
          )
        : check("Copilot API", "ok", `${url} (COPILOT_API_URL)`);
    return { url, source: "COPILOT_API_URL", result };
  }
  if (seat !== undefined) {
    return {
      url: seat,
      source: "the seat",
      result: check("Copilot API", "ok", `${seat} (the seat's endpoint)`),
    };
  }
  const source = `the default for ACCOUNT_TYPE=${config.accountType}`;
  return { url: undefined, source, result: check("Copilot API", "ok", source) };
}

function describeModels(models: readonly CopilotModel[]): CheckResult {
  const chat = models.filter((model) => (model.capabilities?.type ?? "chat") === "chat").length;
  const disabled = models.filter((model) => model.policy?.state === "disabled").length;
  if (chat === 0) {
    return check(
      "models",
      "fail",
      `${models.length} listed, none for chat`,
      `check ${COPILOT_SETTINGS_URL}`,
    );
  }
  const detail = `${models.length} listed (${chat} chat, ${disabled} disabled by policy)`;
  return disabled > 0
    ? check(
        "models",
        "ok",
        `${detail}; \`cogpt models\` shows which; enable them at ${COPILOT_SETTINGS_URL}`,
      )
    : check("models", "ok", detail);
}

function notLive(): CheckResult {
  return check(
    "header versions",
    "skip",
    "not tried: `cogpt doctor --live` sends a one-line chat request",
  );
}

/** One short chat request on a model included in the plan (no premium request is spent). */
async function tryChat(
  input: CopilotCheckInput,
  githubToken: string,
  models: readonly CopilotModel[],
): Promise<CheckResult> {
  const model = pickProbeModel(models);
  if (model === undefined) {
    return check(
      "header versions",
      "skip",
      "no free chat model to try without spending a premium request",
    );
  }
  try {
    const response = await input.stack.client.call({
      githubToken,
      method: "POST",
      path: "/chat/completions",
      body: JSON.stringify({
        model,
        messages: [{ role: "user", content: "Reply with OK." }],
        stream: false,
      }),
      initiator: "user",
      vision: false,
      requestId: randomUUID(),
    });
    await response.body.dump();
    return check("header versions", "ok", `accepted (${model} answered a chat request)`);
  } catch (error) {
    const tooOld = error instanceof GatewayError && error.status === 466;
    return check("header versions", "fail", describe(error), tooOld ? VERSION_FIX : undefined);
  }
}

/** A chat model that costs no premium request, is enabled, and serves /chat/completions. */
export function pickProbeModel(models: readonly CopilotModel[]): string | undefined {
  const usable = models.filter(
    (model) =>
      (model.capabilities?.type ?? "chat") === "chat" &&
      model.policy?.state !== "disabled" &&
      (model.billing?.is_premium === false || model.billing?.multiplier === 0) &&
      (model.supported_endpoints?.includes("/chat/completions") ?? true),
  );
  return (usable.find((model) => model.model_picker_enabled === true) ?? usable[0])?.id;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
