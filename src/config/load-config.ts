import type { AccountType, Config, LogLevel } from "./config.js";
import { ConfigError } from "./config-error.js";
import { OPTIONS, listEnvNames } from "./options.js";
import type { OptionDescriptor } from "./options.js";
import {
  parseBoolean,
  parseChoice,
  parseCorsOrigins,
  parseDate,
  parseDuration,
  parseHeaderValue,
  parseHttpUrl,
  parseInteger,
  parseApiKeys,
  parseInviteCode,
  parseKey,
  parseList,
  parseNonEmpty,
  parsePort,
  parseProxyUrl,
  parseSize,
  parseVersion,
} from "./parse-option-values.js";
import { parseModelMap, parseShareTokens } from "./parse-pairs.js";

export { ConfigError } from "./config-error.js";

export interface ConfigSources {
  /** Command-line values keyed by env name (`{ PORT: "9000" }`); see `mapFlagValues`. */
  readonly flags?: Readonly<Record<string, string | boolean | undefined>>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The parsed `.env` file; see `readDotenv`. */
  readonly dotenv?: Readonly<Record<string, string>>;
}

export interface LoadedConfig {
  readonly config: Config;
  /** Problems that did not stop loading (an ignored share-token entry), for the start-up log. */
  readonly warnings: string[];
}

const LOG_LEVELS: readonly LogLevel[] = [
  "trace",
  "debug",
  "info",
  "warn",
  "error",
  "fatal",
  "silent",
];
const ACCOUNT_TYPES: readonly AccountType[] = ["individual", "business", "enterprise"];

/**
 * Proxy variables follow the curl convention where an empty value means "not set" (so an empty
 * HTTPS_PROXY falls through to HTTP_PROXY). For every other option an empty value is a value:
 * `SHARE_TOKEN=` means no share tokens even if `.env` lists some.
 */
const EMPTY_MEANS_UNSET = new Set(["PROXY", "NO_PROXY"]);

const DESCRIPTORS = new Map(OPTIONS.map((descriptor) => [descriptor.env, descriptor]));

/**
 * Builds the frozen Config from flags > environment > `.env` > defaults. Within one source the
 * proxy variables are tried in order (ALL_PROXY > HTTPS_PROXY > HTTP_PROXY, upper before lower
 * case); a proxy given in the environment beats one in `.env` whatever their names.
 */
export function loadConfig(sources: ConfigSources): LoadedConfig {
  const warnings: string[] = [];
  const read = (env: string): string | boolean => readRawValue(getDescriptor(env), sources);
  const text = (env: string): string => requireText(env, read(env));
  const optionalText = (env: string): string | undefined => {
    const value = text(env).trim();
    return value === "" ? undefined : value;
  };

  const copilotApiUrl = optionalText("COPILOT_API_URL");
  const proxy = optionalText("PROXY");
  const editorPluginVersion = parseVersion("EDITOR_PLUGIN_VERSION", text("EDITOR_PLUGIN_VERSION"));
  const config: Config = {
    host: parseNonEmpty("HOST", text("HOST")),
    port: parsePort("PORT", text("PORT")),
    cache: parseBoolean("CACHE", read("CACHE")),
    cachePath: parseNonEmpty("CACHE_PATH", text("CACHE_PATH")),
    debug: parseBoolean("DEBUG", read("DEBUG")),
    logLevel: parseChoice("LOG_LEVEL", text("LOG_LEVEL"), LOG_LEVELS),
    logFile: text("LOG_FILE").trim(),
    shareTokens: parseShareTokens(text("SHARE_TOKEN"), warnings),
    githubToken: optionalText("GITHUB_TOKEN"),
    apiKeys: Object.freeze(parseApiKeys("API_KEYS", text("API_KEYS"))),
    proxy: proxy === undefined ? undefined : parseProxyUrl("PROXY", proxy),
    noProxy: Object.freeze(parseList(text("NO_PROXY"))),
    githubUrl: parseHttpUrl("GITHUB_URL", text("GITHUB_URL")),
    githubApiUrl: parseHttpUrl("GITHUB_API_URL", text("GITHUB_API_URL")),
    copilotApiUrl:
      copilotApiUrl === undefined ? undefined : parseHttpUrl("COPILOT_API_URL", copilotApiUrl),
    accountType: parseChoice("ACCOUNT_TYPE", text("ACCOUNT_TYPE"), ACCOUNT_TYPES),
    editorVersion: parseVersion("EDITOR_VERSION", text("EDITOR_VERSION")),
    editorPluginVersion,
    githubApiVersion: parseDate("GITHUB_API_VERSION", text("GITHUB_API_VERSION")),
    modelMap: parseModelMap(text("MODEL_MAP")),
    bodyLimit: parseSize("BODY_LIMIT", text("BODY_LIMIT")),
    connectTimeoutMs: parseDuration("CONNECT_TIMEOUT", text("CONNECT_TIMEOUT"), {
      allowZero: false,
    }),
    headersTimeoutMs: parseDuration("HEADERS_TIMEOUT", text("HEADERS_TIMEOUT"), {
      allowZero: false,
    }),
    idleTimeoutMs: parseDuration("IDLE_TIMEOUT", text("IDLE_TIMEOUT"), { allowZero: false }),
    clientTimeoutMs: parseDuration("CLIENT_TIMEOUT", text("CLIENT_TIMEOUT"), { allowZero: false }),
    retries: parseInteger("RETRIES", text("RETRIES"), 0, 10),
    retryBudgetMs: parseDuration("RETRY_BUDGET", text("RETRY_BUDGET"), { allowZero: true }),
    rateLimitWaitMs: parseDuration("RATE_LIMIT_WAIT", text("RATE_LIMIT_WAIT"), { allowZero: true }),
    corsOrigins: Object.freeze(parseCorsOrigins("CORS_ORIGINS", text("CORS_ORIGINS"))),
    // 0 is allowed: fetch the model list on every request.
    modelsTtlMs: parseDuration("MODELS_TTL", text("MODELS_TTL"), { allowZero: true }),
    maxLargeBodies: parseInteger("MAX_LARGE_BODIES", text("MAX_LARGE_BODIES"), 1, 1000),
    maxConnections:
      text("MAX_CONNECTIONS").trim().toLowerCase() === "auto"
        ? undefined
        : parseInteger("MAX_CONNECTIONS", text("MAX_CONNECTIONS"), 16, 1_000_000),
    keepAliveTimeoutMs: parseDuration("KEEP_ALIVE_TIMEOUT", text("KEEP_ALIVE_TIMEOUT"), {
      allowZero: false,
    }),
    upstreamConcurrency: parseInteger(
      "UPSTREAM_CONCURRENCY",
      text("UPSTREAM_CONCURRENCY"),
      1,
      1_000_000,
    ),
    credentialConcurrency: parseInteger(
      "CREDENTIAL_CONCURRENCY",
      text("CREDENTIAL_CONCURRENCY"),
      1,
      1_000_000,
    ),
    queueTimeoutMs: parseDuration("QUEUE_TIMEOUT", text("QUEUE_TIMEOUT"), { allowZero: true }),
    streamBufferLimit: parseSize("STREAM_BUFFER_LIMIT", text("STREAM_BUFFER_LIMIT")),
    webSearchModel: optionalText("WEB_SEARCH_MODEL"),
    userAgent: parseHeaderValue(
      "USER_AGENT",
      optionalText("USER_AGENT") ?? `GitHubCopilotChat/${editorPluginVersion}`,
    ),
    copilotIntegrationId: parseHeaderValue(
      "COPILOT_INTEGRATION_ID",
      text("COPILOT_INTEGRATION_ID"),
    ),
    adminKey: parseKey("ADMIN_KEY", text("ADMIN_KEY")),
    ledgerRetentionDays: parseInteger("LEDGER_RETENTION", text("LEDGER_RETENTION"), 1, 36_500),
    fallbackModel: optionalText("FALLBACK_MODEL"),
    abortedStreamWaitMs: parseDuration("ABORTED_STREAM_WAIT", text("ABORTED_STREAM_WAIT"), {
      allowZero: true,
    }),
    inviteCode: parseInviteCode("INVITE_CODE", text("INVITE_CODE")),
  };
  return { config: Object.freeze(config), warnings };
}

function getDescriptor(env: string): OptionDescriptor {
  const descriptor = DESCRIPTORS.get(env);
  if (descriptor === undefined) throw new Error(`no option named ${env} in OPTIONS`);
  return descriptor;
}

function readRawValue(descriptor: OptionDescriptor, sources: ConfigSources): string | boolean {
  const isSet = (value: string | boolean | undefined): value is string | boolean =>
    value !== undefined &&
    !(EMPTY_MEANS_UNSET.has(descriptor.env) && typeof value === "string" && value.trim() === "");
  const flag = sources.flags?.[descriptor.env];
  if (isSet(flag)) return flag;
  for (const variables of [sources.env, sources.dotenv]) {
    for (const name of listEnvNames(descriptor)) {
      const value = variables?.[name];
      if (isSet(value)) return value;
    }
  }
  return descriptor.defaultValue;
}

/** A bare `--port` (no value) reaches here as `true`; only boolean options accept that. */
function requireText(env: string, value: string | boolean): string {
  if (typeof value === "boolean") throw new ConfigError(env, "needs a value");
  return value;
}
