import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import type { Config } from "../config/config.js";
import { createAccountStates, type AccountState } from "../copilot/account-states.js";
import { fetchCopilotUser, type CopilotUser } from "../github/copilot-user.js";
import { createSqliteLedger, type SpendTotals } from "../ledger/sqlite-ledger.js";
import { fingerprintOf } from "../server/middleware/auth.js";
import { openDatabase } from "../store/database.js";
import { addConfigOptions } from "./config-options.js";
import {
  findGithubToken,
  loadCommandConfig,
  openCommandStack,
  processEnvironment,
  UPSTREAM_OPTIONS,
  type CliEnvironment,
} from "./cli-context.js";
import { CliError, EXIT_USAGE } from "./cli-error.js";
import { accountWindowsToJson, formatAccountWindows } from "./format-account-windows.js";
import { formatSpend, spendToJson, type SpendPeriod } from "./format-spend.js";
import { formatUsage, usageToJson } from "./format-usage.js";
import { parseSince, startOfUtcMonth } from "./usage-period.js";

const DAY_MS = 86_400_000;

const NO_TOKEN =
  "no GitHub token: sign in with `cogpt login --save`, or pass --github-token / set GITHUB_TOKEN";

export interface UsageCommandOptions {
  /** Epoch milliseconds; tests fix it. */
  readonly now?: () => number;
}

/** What the gateway's database holds for `cogpt usage`, or why it cannot tell. */
type LedgerReading =
  | { readonly ok: true; readonly totals: SpendTotals; readonly state: AccountState | undefined }
  | { readonly ok: false; readonly reason: string };

/**
 * `cogpt usage`: the server-held account's plan, billing regime and monthly allowance (from
 * GitHub, docs/upstream-protocol.md, Copilot user and quota), its session and weekly windows as
 * the gateway last saw them, and the ledger's spend per key and per model (from the database at
 * CACHE_PATH, read without the network).
 */
export function registerUsageCommand(program: Command): void {
  const command = program
    .command("usage")
    .description(
      "show the account's plan, monthly allowance and Copilot windows, and the spend per key and model",
    )
    .option(
      "--since <when>",
      "start of the spend period: month, 24h, 7d, 30d or an ISO date (default: month, UTC)",
    )
    .option("--json", "print one JSON object");
  addConfigOptions(command, [...UPSTREAM_OPTIONS, "CACHE", "CACHE_PATH", "LEDGER_RETENTION"]);
  command.action(async (values: Record<string, unknown>) => {
    await runUsage(values, processEnvironment());
  });
}

export async function runUsage(
  values: Readonly<Record<string, unknown>>,
  environment: CliEnvironment,
  options: UsageCommandOptions = {},
): Promise<void> {
  const now = (options.now ?? Date.now)();
  const config = loadCommandConfig(values, environment);
  const since = readSince(values["since"], now);
  const period: SpendPeriod = {
    since,
    until: now,
    fromDailyTotals: since < now - config.ledgerRetentionDays * DAY_MS,
  };
  const githubToken = findGithubToken(config, environment)?.token;
  const accountId = githubToken === undefined ? undefined : fingerprintOf(githubToken);
  const ledger = readLedger(config, environment, accountId, period, now);

  let user: CopilotUser | undefined;
  let accountError: unknown;
  if (githubToken === undefined) {
    accountError = new CliError(NO_TOKEN, EXIT_USAGE);
  } else {
    const stack = await openCommandStack(config);
    try {
      user = await fetchCopilotUser(stack.github, githubToken);
    } catch (error) {
      accountError = error;
    } finally {
      await stack.close();
    }
  }
  // Without the ledger there is nothing else to show: the account's failure is the command's.
  if (user === undefined && !ledger.ok) throw accountError;

  if (values["json"] === true) {
    const json: Record<string, unknown> = {
      account: user === undefined ? null : usageToJson(user),
      ...(user === undefined ? { account_error: messageOf(accountError) } : {}),
      account_fingerprint: accountId ?? null,
      ...(ledger.ok
        ? {
            windows: accountWindowsToJson(ledger.state, now),
            ...spendToJson(ledger.totals, period),
          }
        : {
            windows: null,
            since: new Date(period.since).toISOString(),
            until: new Date(period.until).toISOString(),
            by_key: null,
            by_model: null,
            total: null,
            ledger_error: ledger.reason,
          }),
    };
    environment.stdout.write(`${JSON.stringify(json)}\n`);
    return;
  }
  const lines =
    user === undefined
      ? [`Account: ${messageOf(accountError)} (the limits and spend below are from the database)`]
      : formatUsage(user);
  lines.push("");
  if (!ledger.ok) lines.push(`Limits and spend: ${ledger.reason}.`);
  else {
    lines.push(
      ...(accountId === undefined
        ? ["Limits: unknown without the GitHub token the gateway serves with."]
        : formatAccountWindows(ledger.state, now)),
      "",
      ...formatSpend(ledger.totals, period),
    );
  }
  environment.stdout.write(`${lines.join("\n")}\n`);
}

function readSince(value: unknown, now: number): number {
  if (typeof value !== "string") return startOfUtcMonth(now);
  try {
    return parseSince(value, now);
  } catch (error) {
    throw new CliError(`--since ${JSON.stringify(value)}: ${messageOf(error)}`, EXIT_USAGE);
  }
}

/**
 * The spend and the account's windows from the database at CACHE_PATH (relative to the working
 * directory, as the server reads it). Only read: a missing file is not created, and the
 * connection refuses writes.
 */
function readLedger(
  config: Config,
  environment: CliEnvironment,
  accountId: string | undefined,
  period: SpendPeriod,
  now: number,
): LedgerReading {
  if (!config.cache) {
    return {
      ok: false,
      reason: "the gateway keeps them in its database at CACHE_PATH, and CACHE=false turns it off",
    };
  }
  const path = resolve(environment.cwd, config.cachePath);
  if (!existsSync(path)) {
    return {
      ok: false,
      reason: `no database at ${path} yet (the gateway creates it when it starts)`,
    };
  }
  let db;
  try {
    db = openDatabase(path);
    db.exec("PRAGMA query_only = ON");
  } catch (error) {
    db?.close();
    return { ok: false, reason: `cannot open the database ${path}: ${messageOf(error)}` };
  }
  try {
    const ledger = createSqliteLedger(db, {
      now: () => now,
      retentionMs: config.ledgerRetentionDays * DAY_MS,
      // Its hourly pruning of old rows is refused on this read-only connection (the gateway
      // prunes); nothing is queued here, so nothing is lost.
      warn: () => undefined,
    });
    try {
      const totals = ledger.totals(period.since, period.until);
      const state =
        accountId === undefined
          ? undefined
          : createAccountStates({ db, now: () => now }).get(accountId);
      return { ok: true, totals, state };
    } finally {
      ledger.close();
    }
  } catch (error) {
    return { ok: false, reason: `cannot read the database ${path}: ${messageOf(error)}` };
  } finally {
    db.close();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
