import type { Config } from "./config.js";
import { OPTIONS } from "./options.js";
import { redactUrlCredentials } from "./redact-url.js";
import { defaultMaxConnections } from "./default-max-connections.js";

/** How each option's effective value is shown; secrets are masked here and nowhere else. */
const DESCRIBERS: Readonly<Record<string, (config: Config) => string>> = {
  HOST: (config) => config.host,
  PORT: (config) => String(config.port),
  CACHE: (config) => (config.cache ? "true (SQLite)" : "false (memory)"),
  CACHE_PATH: (config) => config.cachePath,
  DEBUG: (config) => String(config.debug),
  LOG_LEVEL: (config) => config.logLevel,
  LOG_FILE: (config) => (config.logFile === "" ? "(disabled)" : config.logFile),
  SHARE_TOKEN: (config) => describeShareTokens([...config.shareTokens.keys()]),
  GITHUB_TOKEN: (config) => (config.githubToken === undefined ? "(none)" : "(set, hidden)"),
  API_KEYS: (config) =>
    config.apiKeys.length === 0 ? "(none)" : `${config.apiKeys.length} key(s), hidden`,
  PROXY: (config) =>
    config.proxy === undefined ? "(none: direct)" : redactUrlCredentials(config.proxy),
  NO_PROXY: (config) => describeList(config.noProxy),
  GITHUB_URL: (config) => config.githubUrl,
  GITHUB_API_URL: (config) => config.githubApiUrl,
  COPILOT_API_URL: (config) =>
    config.copilotApiUrl ?? `(from the Copilot token, else by account type)`,
  ACCOUNT_TYPE: (config) => config.accountType,
  EDITOR_VERSION: (config) => config.editorVersion,
  EDITOR_PLUGIN_VERSION: (config) => config.editorPluginVersion,
  GITHUB_API_VERSION: (config) => config.githubApiVersion,
  MODEL_MAP: (config) => describeList([...config.modelMap].map(([from, to]) => `${from} → ${to}`)),
  BODY_LIMIT: (config) => formatSize(config.bodyLimit),
  CONNECT_TIMEOUT: (config) => formatDuration(config.connectTimeoutMs),
  HEADERS_TIMEOUT: (config) => formatDuration(config.headersTimeoutMs),
  IDLE_TIMEOUT: (config) => formatDuration(config.idleTimeoutMs),
  CLIENT_TIMEOUT: (config) => formatDuration(config.clientTimeoutMs),
  RETRIES: (config) => String(config.retries),
  RETRY_BUDGET: (config) => formatDuration(config.retryBudgetMs),
  RATE_LIMIT_WAIT: (config) =>
    config.rateLimitWaitMs === 0
      ? "0 (429s are passed on)"
      : formatDuration(config.rateLimitWaitMs),
  CORS_ORIGINS: (config) => describeList(config.corsOrigins),
  MODELS_TTL: (config) => formatDuration(config.modelsTtlMs),
  MAX_LARGE_BODIES: (config) => String(config.maxLargeBodies),
  MAX_CONNECTIONS: (config) =>
    config.maxConnections === undefined
      ? `auto (${defaultMaxConnections()})`
      : String(config.maxConnections),
  KEEP_ALIVE_TIMEOUT: (config) => formatDuration(config.keepAliveTimeoutMs),
  UPSTREAM_CONCURRENCY: (config) => String(config.upstreamConcurrency),
  CREDENTIAL_CONCURRENCY: (config) => String(config.credentialConcurrency),
  QUEUE_TIMEOUT: (config) => formatDuration(config.queueTimeoutMs),
  STREAM_BUFFER_LIMIT: (config) => formatSize(config.streamBufferLimit),
  WEB_SEARCH_MODEL: (config) =>
    config.webSearchModel ?? "(none: web_search server tool requests get a 400)",
  USER_AGENT: (config) => config.userAgent,
  COPILOT_INTEGRATION_ID: (config) => config.copilotIntegrationId,
  ADMIN_KEY: (config) =>
    config.adminKey === undefined ? "(none: /metrics for the loopback only)" : "(set, hidden)",
  LEDGER_RETENTION: (config) => `${config.ledgerRetentionDays} days`,
  ABORTED_STREAM_WAIT: (config) =>
    config.abortedStreamWaitMs === 0
      ? "0 (Copilot let go at once; cost estimated)"
      : formatDuration(config.abortedStreamWaitMs),
  FALLBACK_MODEL: (config) => config.fallbackModel ?? "(none: a used-up allowance gets a 429)",
  INVITE_CODE: (config) =>
    config.inviteCode === undefined ? "(none: /ui/join is off)" : "(set, hidden)",
};

/** One `NAME: value` line per option, in table order, for the start-up log. */
export function describeConfig(config: Config): string[] {
  return OPTIONS.map((descriptor) => {
    const describe = DESCRIBERS[descriptor.env];
    if (describe === undefined) throw new Error(`no describer for option ${descriptor.env}`);
    return `${descriptor.env}: ${describe(config)}`;
  });
}

/** `share-abcdef123` → `share-ab…`: enough to tell keys apart, never enough to use one. */
export function maskShareKey(key: string): string {
  const shownAfterPrefix = key.length >= "share-".length + 8 ? 2 : 0;
  return `${key.slice(0, "share-".length + shownAfterPrefix)}…`;
}

function describeShareTokens(keys: readonly string[]): string {
  if (keys.length === 0) return "(none)";
  const count = keys.length === 1 ? "1 share token" : `${keys.length} share tokens`;
  return `${count} (${keys.map(maskShareKey).join(", ")})`;
}

function describeList(entries: readonly string[]): string {
  return entries.length === 0 ? "(none)" : entries.join(", ");
}

/** Shown in the syntax BODY_LIMIT accepts. */
function formatSize(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)}mb`;
  if (bytes % 1024 === 0) return `${bytes / 1024}kb`;
  return `${bytes} bytes`;
}

/** Shown in the syntax the duration options accept. */
function formatDuration(milliseconds: number): string {
  if (milliseconds !== 0 && milliseconds % 60_000 === 0) return `${milliseconds / 60_000}m`;
  if (milliseconds !== 0 && milliseconds % 1000 === 0) return `${milliseconds / 1000}s`;
  return `${milliseconds}ms`;
}
