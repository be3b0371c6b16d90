import { resolve } from "node:path";
import { Option, type Command } from "commander";
import type { Config } from "../config/config.js";
import { checkCachePath } from "../config/check-cache-path.js";
import { listSavedAccounts, savedAccountsDirectory } from "../github/saved-token.js";
import { configuredKeyNames } from "../keys/configured-key-names.js";
import { newKeyOf, type KeyChanges, type KeyStore, type ManagedKey } from "../keys/managed-key.js";
import { createSqliteKeyStore, KeyStoreError } from "../keys/sqlite-key-store.js";
import { openDatabase } from "../store/database.js";
import { loadCommandConfig, processEnvironment, type CliEnvironment } from "./cli-context.js";
import { CliError, EXIT_FAILURE, EXIT_USAGE } from "./cli-error.js";
import { addConfigOptions } from "./config-options.js";
import {
  configuredKeyToJson,
  describeAccount,
  describeLimits,
  formatKeyList,
  formatKeyTime,
  managedKeyToJson,
} from "./format-keys.js";
import { readKeyFlags, type KeyFlagValues } from "./key-flags.js";

/** Where the keys are kept: the database the token cache lives in. */
const DATABASE_OPTIONS = ["CACHE", "CACHE_PATH"];

export interface KeysCommandOptions {
  /** Epoch milliseconds; tests fix it. */
  readonly now?: () => number;
}

type KeyValues = KeyFlagValues & Readonly<Record<string, unknown>>;

/** `cogpt keys create | list | update | revoke`: managed keys, kept in the gateway's database. */
export function registerKeysCommand(program: Command): void {
  const keys = program
    .command("keys")
    .description("make and manage API keys with their own account, expiry and limits");

  const create = keys
    .command("create")
    .description("make a key; its secret is printed once")
    .requiredOption("--name <name>", "the key's name (letters, digits, . _ -; up to 64)");
  addLimitOptions(create);
  create.option("--json", "print one JSON object (with the secret)");
  addConfigOptions(create, [...DATABASE_OPTIONS, "HOST", "PORT"]);
  create.action((values: KeyValues) => runKeysCreate(values, processEnvironment()));

  const list = keys
    .command("list")
    .description("list the managed keys and, read-only, the keys of API_KEYS and SHARE_TOKEN")
    .option("--json", "print one JSON array");
  addConfigOptions(list, [...DATABASE_OPTIONS, "API_KEYS", "SHARE_TOKEN"]);
  list.action((values: KeyValues) => runKeysList(values, processEnvironment()));

  const update = keys
    .command("update")
    .description("change a key's account, expiry or limits ('none' removes one)")
    .argument("<name>", "the key's name");
  addLimitOptions(update);
  update.option("--json", "print one JSON object");
  addConfigOptions(update, DATABASE_OPTIONS);
  update.action((name: string, values: KeyValues) =>
    runKeysUpdate(name, values, processEnvironment()),
  );

  const revoke = keys
    .command("revoke")
    .description("revoke a key for good (its name may then be given to a new key)")
    .argument("<name>", "the key's name")
    .option("--json", "print one JSON object");
  addConfigOptions(revoke, DATABASE_OPTIONS);
  revoke.action((name: string, values: KeyValues) =>
    runKeysRevoke(name, values, processEnvironment()),
  );
}

function addLimitOptions(command: Command): void {
  command
    .addOption(
      new Option(
        "--account <name>",
        "the saved login it spends (cogpt login --save --name <name>); default: the server-held account",
      ),
    )
    .addOption(new Option("--expires <when>", "expiry: an ISO date or time, or 30d, 12h, 90m, 2w"))
    .addOption(new Option("--credits-per-day <credits>", "AI credits per UTC day, e.g. 12.5"))
    .addOption(new Option("--credits-per-month <credits>", "AI credits per UTC month"))
    .addOption(new Option("--requests-per-minute <n>", "requests per minute"))
    .addOption(new Option("--concurrency <n>", "requests answered at the same time"))
    .addOption(
      new Option("--models <globs>", "allowed models, comma-separated, * and ? as wildcards"),
    )
    .addOption(
      new Option(
        "--fallback-model <model>",
        "model served while the account's allowance is exhausted",
      ),
    );
}

export function runKeysCreate(
  values: KeyValues,
  environment: CliEnvironment,
  options: KeysCommandOptions = {},
): void {
  const now = (options.now ?? Date.now)();
  const config = loadCommandConfig(values, environment);
  const name = String(values["name"]);
  const changes = readKeyFlags(values, now);
  checkAccount(changes.account, environment);
  const newKey = newKeyOf(name, changes);
  const { key, secret } = withKeyStore(config, environment, now, (store) => store.create(newKey));
  if (values["json"] === true) {
    writeJson(environment, { ...managedKeyToJson(key, now), secret });
    return;
  }
  const base = gatewayUrl(config);
  const lines = [
    `Created key "${key.name}" (${key.id}), spending the ${describeSpent(key)}.`,
    `Limits: ${describeLimits(key)}. ${describeExpiry(key)}`,
    "",
    `  ${secret}`,
    "",
    "Store it now: it cannot be shown again (only its hash is kept). If it is lost, revoke the",
    `key (cogpt keys revoke ${key.name}) and create another.`,
    "",
    "Clients use it as their API key:",
    `  OPENAI_API_KEY=${secret} OPENAI_BASE_URL=${base}/v1`,
    `  ANTHROPIC_API_KEY=${secret} ANTHROPIC_BASE_URL=${base}`,
    "  (Claude Code: ANTHROPIC_AUTH_TOKEN instead of ANTHROPIC_API_KEY)",
  ];
  environment.stdout.write(`${lines.join("\n")}\n`);
}

export function runKeysList(
  values: KeyValues,
  environment: CliEnvironment,
  options: KeysCommandOptions = {},
): void {
  const now = (options.now ?? Date.now)();
  const config = loadCommandConfig(values, environment);
  const keys = withKeyStore(config, environment, now, (store) => store.list());
  const configured = configuredKeyNames(config);
  if (values["json"] === true) {
    writeJson(environment, [
      ...keys.map((key) => managedKeyToJson(key, now)),
      ...configured.map(configuredKeyToJson),
    ]);
    return;
  }
  environment.stdout.write(`${formatKeyList(keys, configured, now).join("\n")}\n`);
}

export function runKeysUpdate(
  name: string,
  values: KeyValues,
  environment: CliEnvironment,
  options: KeysCommandOptions = {},
): void {
  const now = (options.now ?? Date.now)();
  const config = loadCommandConfig(values, environment);
  const changes: KeyChanges = readKeyFlags(values, now);
  if (Object.keys(changes).length === 0) {
    throw new CliError(
      "nothing to change: give one or more of --account, --expires, --credits-per-day, " +
        "--credits-per-month, --requests-per-minute, --concurrency, --models, --fallback-model",
      EXIT_USAGE,
    );
  }
  checkAccount(changes.account, environment);
  const key = withKeyStore(config, environment, now, (store) => store.update(name, changes));
  if (values["json"] === true) {
    writeJson(environment, managedKeyToJson(key, now));
    return;
  }
  environment.stdout.write(
    `Updated key "${key.name}" (${key.id}), spending the ${describeSpent(key)}.\n` +
      `Limits: ${describeLimits(key)}. ${describeExpiry(key)}\n`,
  );
}

export function runKeysRevoke(
  name: string,
  values: KeyValues,
  environment: CliEnvironment,
  options: KeysCommandOptions = {},
): void {
  const now = (options.now ?? Date.now)();
  const config = loadCommandConfig(values, environment);
  const { before, key } = withKeyStore(config, environment, now, (store) => ({
    before: store.findByName(name),
    key: store.revoke(name),
  }));
  if (values["json"] === true) {
    writeJson(environment, managedKeyToJson(key, now));
    return;
  }
  const when = formatKeyTime(key.revokedAt ?? now);
  environment.stdout.write(
    before?.revokedAt !== undefined
      ? `Key "${key.name}" (${key.id}) was already revoked on ${when}.\n`
      : `Revoked key "${key.name}" (${key.id}) on ${when}: requests with it are refused.\n`,
  );
}

/**
 * Opens the database at CACHE_PATH (relative to the working directory, as the server reads it),
 * runs `work` on its key store and closes it.
 */
function withKeyStore<T>(
  config: Config,
  environment: CliEnvironment,
  now: number,
  work: (store: KeyStore) => T,
): T {
  if (!config.cache) {
    throw new CliError(
      "keys are kept in the database at CACHE_PATH, and CACHE=false turns it off: " +
        "unset CACHE (or set CACHE=true) to manage keys",
      EXIT_USAGE,
    );
  }
  const path = resolve(environment.cwd, config.cachePath);
  checkCachePath(path);
  let db;
  try {
    db = openDatabase(path);
  } catch (error) {
    throw new CliError(`cannot open the database ${path}: ${messageOf(error)}`, EXIT_FAILURE);
  }
  try {
    return work(createSqliteKeyStore(db, { now: () => now }));
  } catch (error) {
    if (error instanceof KeyStoreError) {
      throw new CliError(error.message, error.code === "invalid" ? EXIT_USAGE : EXIT_FAILURE);
    }
    throw error;
  } finally {
    db.close();
  }
}

/** `--account` must name a saved login, so a key never points at an account that is not there. */
function checkAccount(account: string | null | undefined, environment: CliEnvironment): void {
  if (account === undefined || account === null) return;
  const saved = listSavedAccounts(savedAccountsDirectory(environment.env));
  if (saved.includes(account)) return;
  throw new CliError(
    `--account ${JSON.stringify(account)}: no saved login has that name ` +
      `(saved: ${saved.length === 0 ? "none yet" : saved.join(", ")}); ` +
      `save one with \`cogpt login --save --name ${account}\``,
    EXIT_USAGE,
  );
}

function describeSpent(key: ManagedKey): string {
  return key.account === undefined
    ? "server-held account"
    : `saved login "${describeAccount(key.account)}"`;
}

function describeExpiry(key: ManagedKey): string {
  return key.expiresAt === undefined
    ? "Never expires."
    : `Expires ${formatKeyTime(key.expiresAt)}.`;
}

/** The address clients reach the gateway at, as far as this machine knows. */
function gatewayUrl(config: Config): string {
  const host = ["", "0.0.0.0", "::"].includes(config.host)
    ? "localhost"
    : config.host.includes(":")
      ? `[${config.host}]`
      : config.host;
  return `http://${host}:${config.port}`;
}

function writeJson(environment: CliEnvironment, value: unknown): void {
  environment.stdout.write(`${JSON.stringify(value)}\n`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
