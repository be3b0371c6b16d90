import type { CopilotUser } from "../../github/copilot-user.js";
import { GatewayError, InvalidRequestError, PermissionError } from "../../errors.js";
import { configuredKeyNames } from "../../keys/configured-key-names.js";
import { formatCredits, parseCredits } from "../../keys/credit-amount.js";
import { newKeyOf, type KeyChanges, type ManagedKey } from "../../keys/managed-key.js";
import { KeyStoreError } from "../../keys/sqlite-key-store.js";
import type { LedgerEntry } from "../../ledger/ledger-entry.js";
import { readModelPrices } from "../../ledger/token-prices.js";
import type {
  UiAccount,
  UiCreatedKey,
  UiHealth,
  UiKey,
  UiKeyChanged,
  UiKeyList,
  UiModelList,
  UiOverview,
  UiRequestList,
  UiSpend,
  UiSpendGrouping,
} from "../../protocols/ui-api.js";
import type { Exchange } from "../exchange.js";
import { fingerprintOf } from "../middleware/auth.js";
import type { UiOptions } from "./create-ui.js";
import { renderKeySnippets } from "./key-snippets.js";
import type { UiCaller } from "./ui-access.js";
import {
  buildSpend,
  lastDays,
  renderSpendCsv,
  toKeySpend,
  toUiConfiguredKey,
  toUiManagedKey,
  toUiModel,
  toUiRequest,
} from "./ui-views.js";

/** The data behind the dashboard's API routes (docs/ui-api.md); access is checked by the caller. */
export interface UiApi {
  overview(caller: UiCaller): Promise<UiOverview>;
  spend(caller: UiCaller, query: URLSearchParams): UiSpend;
  spendCsv(caller: UiCaller, query: URLSearchParams): { csv: string; by: UiSpendGrouping };
  requests(caller: UiCaller, query: URLSearchParams): UiRequestList;
  streamRequests(exchange: Exchange, caller: UiCaller): Promise<void>;
  listKeys(caller: UiCaller): UiKeyList;
  describeKey(key: ManagedKey): UiKey;
  createKey(body: Readonly<Record<string, unknown>>, baseUrl: string): UiCreatedKey;
  updateKey(body: Readonly<Record<string, unknown>>): UiKeyChanged;
  revokeKey(name: string): UiKeyChanged;
  models(caller: UiCaller, requestId: string): Promise<UiModelList>;
  health(): UiHealth;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** copilot_internal/user is asked at most this often per account while the overview is open. */
const USER_TTL_MS = 60_000;
/** How long a new entry may wait to be sent with others on the live stream. */
const STREAM_BATCH_MS = 200;
const HEARTBEAT_MS = 15_000;
/** A live-table reader this far behind is cut off rather than buffered without bound. */
const MAX_STREAM_BACKLOG_BYTES = 1024 * 1024;
const MAX_REQUESTS = 1000;
/** Rows searched when the requests table is filtered. */
const FILTER_WINDOW = 10_000;

export function createUiApi(options: UiOptions): UiApi {
  const { accounting, config, now } = options;
  const { ledger, keys } = accounting;
  const startedAt = now();
  const users = new Map<string, { at: number; user: Promise<CopilotUser | undefined> }>();

  /** The GitHub token a managed key (or the server-held account) spends. */
  function tokenOfAccount(account: string | undefined): string | undefined {
    return account === undefined ? options.serverGithubToken : options.savedAccount?.(account);
  }

  function friendKey(caller: UiCaller): ManagedKey | undefined {
    return caller.role === "friend" && caller.keyName !== null
      ? keys.findByName(caller.keyName)
      : undefined;
  }

  function copilotUser(githubToken: string): Promise<CopilotUser | undefined> {
    const cached = users.get(githubToken);
    if (cached !== undefined && now() - cached.at < USER_TTL_MS) return cached.user;
    const user =
      options.github === undefined
        ? Promise.resolve(undefined)
        : options.github.copilotUser(githubToken).catch(() => undefined);
    users.set(githubToken, { at: now(), user });
    return user;
  }

  function keySpend(name: string) {
    const at = now();
    return toKeySpend(ledger.spent(name, "day", at), ledger.spent(name, "month", at));
  }

  function describeKey(key: ManagedKey): UiKey {
    return toUiManagedKey(key, keySpend(key.name), now());
  }

  /** The key a friend may read; another key's name is refused rather than silently replaced. */
  function scopeKey(caller: UiCaller, asked: string | null): string | undefined {
    if (caller.role === "admin") return asked === null || asked === "" ? undefined : asked;
    if (asked !== null && asked !== "" && asked !== caller.keyName) {
      throw new PermissionError("A friend's session reads only its own key's usage", {
        code: "other_key",
      });
    }
    return caller.keyName ?? undefined;
  }

  function readSpendQuery(query: URLSearchParams): { days: string[]; by: UiSpendGrouping } {
    const by = query.get("by") ?? "key";
    if (by !== "key" && by !== "model") {
      throw new InvalidRequestError('by must be "key" or "model"', {
        code: "invalid_query",
        param: "by",
      });
    }
    const count = readInteger(query, "days", 30, 1, 366);
    return { days: lastDays(now(), count), by };
  }

  function readSpendRows(caller: UiCaller, query: URLSearchParams) {
    const { days, by } = readSpendQuery(query);
    const keyName = scopeKey(caller, query.get("key"));
    return { days, by, rows: ledger.daily(days[0] ?? "", by, keyName) };
  }

  return {
    async overview(caller) {
      const at = now();
      const own = friendKey(caller);
      const accounts = new Map<string, string | undefined>();
      if (caller.role === "admin") {
        if (options.serverGithubToken !== undefined) {
          accounts.set(fingerprintOf(options.serverGithubToken), options.serverGithubToken);
        }
        for (const key of keys.list()) {
          const token =
            key.account === undefined || key.revokedAt !== undefined
              ? undefined
              : tokenOfAccount(key.account);
          if (token !== undefined) accounts.set(fingerprintOf(token), token);
        }
        for (const state of accounting.accounts.all()) {
          if (!accounts.has(state.account)) accounts.set(state.account, undefined);
        }
      } else if (own !== undefined) {
        const token = tokenOfAccount(own.account);
        if (token !== undefined) accounts.set(fingerprintOf(token), token);
      }
      const described = await Promise.all(
        [...accounts].map(async ([account, token]) => {
          const user = token === undefined ? undefined : await copilotUser(token);
          return describeAccount(account, user, accounting.accounts.get(account), at);
        }),
      );
      const { byKey } = ledger.totals(at - DAY_MS, at + 1);
      const rows =
        caller.role === "admin" ? byKey : byKey.filter((row) => row.name === caller.keyName);
      const requests = rows.reduce((sum, row) => sum + row.requests, 0);
      const errors = rows.reduce((sum, row) => sum + row.errors, 0);
      const nanoCredits = rows.reduce((sum, row) => sum + row.nanoCredits, 0);
      return {
        version: options.version,
        uptimeSeconds: Math.floor((at - startedAt) / 1000),
        accounts: described,
        last24h: {
          requests,
          errors,
          errorRate: requests === 0 ? 0 : Math.round((errors / requests) * 10_000) / 10_000,
          credits: formatCredits(nanoCredits),
          nanoCredits,
        },
        streamsOpen: options.metrics?.counts().streamsOpen ?? 0,
      };
    },
    spend(caller, query) {
      const { days, by, rows } = readSpendRows(caller, query);
      return buildSpend(by, days, rows);
    },
    spendCsv(caller, query) {
      const { by, rows } = readSpendRows(caller, query);
      return { csv: renderSpendCsv(rows), by };
    },
    requests(caller, query) {
      const limit = readInteger(query, "limit", 100, 1, MAX_REQUESTS);
      const filter = readRequestFilter(query, scopeKey(caller, query.get("key")));
      if (filter === undefined) return { requests: ledger.recent(limit).map(toUiRequest) };
      return {
        requests: ledger.recent(FILTER_WINDOW).filter(filter).slice(0, limit).map(toUiRequest),
      };
    },
    streamRequests(exchange, caller) {
      const keyName = caller.role === "friend" ? caller.keyName : null;
      const outgoing = exchange.outgoing;
      exchange.start(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      });
      outgoing.write(": live requests\n\n");
      return new Promise<void>((resolve) => {
        // Entries are sent in batches, at most every STREAM_BATCH_MS: under load that is one
        // write for many requests rather than one each, which an open page would otherwise cost.
        let pending: LedgerEntry[] = [];
        let timer: NodeJS.Timeout | undefined;
        const send = () => {
          timer = undefined;
          const batch = pending;
          pending = [];
          if (outgoing.writableLength > MAX_STREAM_BACKLOG_BYTES) {
            outgoing.destroy();
            return;
          }
          let text = "";
          for (const entry of batch) {
            text += `event: request\ndata: ${JSON.stringify(toUiRequest(entry))}\n\n`;
          }
          outgoing.write(text);
        };
        const unsubscribe = ledger.subscribe((entry) => {
          if (keyName !== null && entry.keyName !== keyName) return;
          pending.push(entry);
          timer ??= setTimeout(send, STREAM_BATCH_MS);
        });
        const heartbeat = setInterval(() => outgoing.write(": heartbeat\n\n"), HEARTBEAT_MS);
        heartbeat.unref();
        outgoing.once("close", () => {
          clearInterval(heartbeat);
          clearTimeout(timer);
          unsubscribe();
          resolve();
        });
      });
    },
    listKeys(caller) {
      if (caller.role === "friend") {
        const own = friendKey(caller);
        return { keys: own === undefined ? [] : [describeKey(own)] };
      }
      return {
        keys: [
          ...keys.list().map(describeKey),
          ...configuredKeyNames(config).map((key) => toUiConfiguredKey(key, keySpend(key.name))),
        ],
      };
    },
    describeKey,
    createKey(body, baseUrl) {
      const name = body["name"];
      if (typeof name !== "string") {
        throw new InvalidRequestError("name: a key needs a name", {
          code: "invalid_request_body",
          param: "name",
        });
      }
      const changes = readKeyInput(body, options.savedAccount);
      const created = withKeyErrors(() => keys.create(newKeyOf(name, changes)));
      return {
        key: describeKey(created.key),
        secret: created.secret,
        snippets: renderKeySnippets(baseUrl, created.secret),
      };
    },
    updateKey(body) {
      const name = body["name"];
      if (typeof name !== "string") {
        throw new InvalidRequestError("name: which key to change", {
          code: "invalid_request_body",
          param: "name",
        });
      }
      const changes = readKeyInput(body, options.savedAccount);
      return { key: describeKey(withKeyErrors(() => keys.update(name, changes))) };
    },
    revokeKey(name) {
      return { key: describeKey(withKeyErrors(() => keys.revoke(name))) };
    },
    async models(caller, requestId) {
      const own = friendKey(caller);
      const token =
        caller.role === "admin" ? options.serverGithubToken : tokenOfAccount(own?.account);
      if (token === undefined) {
        throw new GatewayError(
          409,
          "invalid_request",
          "The gateway holds no GitHub account (GITHUB_TOKEN or cogpt login --save), so it has no model catalog of its own",
          { code: "no_server_account" },
        );
      }
      const catalog = await options.models.getModels(token, requestId);
      return {
        models: catalog.map((model) =>
          toUiModel(model, accounting.prices.learnedPrices(model.id), readModelPrices(model)),
        ),
      };
    },
    health() {
      const counts = options.metrics?.counts();
      return {
        version: options.version,
        node: process.version,
        uptimeSeconds: Math.floor((now() - startedAt) / 1000),
        cache: options.cacheKind(),
        cacheError: options.cacheError?.() ?? null,
        storageDriver: options.storageDriver(),
        tokenExchanges: counts?.tokenExchanges ?? { ok: 0, failed: 0 },
        upstreamErrors: counts?.upstreamErrors ?? [],
        streamsOpen: counts?.streamsOpen ?? 0,
        identity: {
          editorVersion: config.editorVersion,
          editorPluginVersion: config.editorPluginVersion,
          githubApiVersion: config.githubApiVersion,
          userAgent: config.userAgent,
          integrationId: config.copilotIntegrationId,
        },
      };
    },
  };
}

function describeAccount(
  account: string,
  user: CopilotUser | undefined,
  state: ReturnType<UiOptions["accounting"]["accounts"]["get"]>,
  at: number,
): UiAccount {
  const premium = user?.quotas.get("premium_interactions");
  const resetsAt =
    user?.quotaResetDate === undefined || Number.isNaN(Date.parse(user.quotaResetDate))
      ? null
      : new Date(Date.parse(user.quotaResetDate)).toISOString();
  const exhausted = state?.exhausted;
  return {
    account,
    login: user?.login ?? null,
    plan: user?.plan ?? null,
    billing:
      user?.tokenBasedBilling === undefined
        ? null
        : user.tokenBasedBilling
          ? "credits"
          : "requests",
    allowance:
      premium === undefined
        ? null
        : {
            entitlement: premium.entitlement,
            remaining: premium.remaining,
            percentRemaining: premium.percentRemaining,
            overagePermitted: premium.overagePermitted,
            resetsAt,
          },
    windows: Object.values(state?.windows ?? {})
      .filter((window) => window.name !== "premium_interactions")
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((window) => ({
        name: window.name,
        percentRemaining: window.percentRemaining,
        entitlement: window.entitlement,
        resetsAt: window.resetsAt === undefined ? null : new Date(window.resetsAt).toISOString(),
        secondsToReset:
          window.resetsAt === undefined
            ? null
            : Math.max(0, Math.round((window.resetsAt - at) / 1000)),
      })),
    exhausted:
      exhausted === undefined || exhausted.until <= at
        ? null
        : { code: exhausted.code, until: new Date(exhausted.until).toISOString() },
  };
}

function readInteger(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = query.get(name);
  if (text === null || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidRequestError(`${name}: a whole number from ${min} to ${max}`, {
      code: "invalid_query",
      param: name,
    });
  }
  return value;
}

type EntryFilter = (entry: LedgerEntry) => boolean;

/** key (exact), model (asked or used), status (a code, or `error` / `ok`); none: undefined. */
function readRequestFilter(
  query: URLSearchParams,
  keyName: string | undefined,
): EntryFilter | undefined {
  const model = query.get("model") || undefined;
  const status = query.get("status") || undefined;
  if (status !== undefined && status !== "error" && status !== "ok" && !/^\d{3}$/.test(status)) {
    throw new InvalidRequestError('status: an HTTP status such as 429, or "error" or "ok"', {
      code: "invalid_query",
      param: "status",
    });
  }
  if (keyName === undefined && model === undefined && status === undefined) return undefined;
  return (entry) =>
    (keyName === undefined || entry.keyName === keyName) &&
    (model === undefined || entry.modelAsked === model || entry.modelUsed === model) &&
    (status === undefined ||
      (status === "error"
        ? entry.status >= 400
        : status === "ok"
          ? entry.status < 400
          : entry.status === Number(status)));
}

/** A KeyInput body as the key store's changes: credits parsed exactly, times from ISO, null clears. */
function readKeyInput(
  body: Readonly<Record<string, unknown>>,
  savedAccount: ((name: string) => string | undefined) | undefined,
): KeyChanges {
  const known = new Set([
    "name",
    "account",
    "expiresAt",
    "creditsPerDay",
    "creditsPerMonth",
    "requestsPerMinute",
    "concurrency",
    "models",
    "fallbackModel",
  ]);
  for (const field of Object.keys(body)) {
    if (!known.has(field)) throw invalidField(field, "is not a field of a key");
  }
  const changes: { -readonly [Field in keyof KeyChanges]: KeyChanges[Field] } = {};
  const account = body["account"];
  if (account !== undefined) {
    if (account !== null && typeof account !== "string")
      throw invalidField("account", "a saved login's name or null");
    if (typeof account === "string" && savedAccount?.(account) === undefined) {
      throw invalidField(
        "account",
        `no saved login named "${account}" (cogpt login --save --name ${account})`,
      );
    }
    changes.account = account;
  }
  const expiresAt = body["expiresAt"];
  if (expiresAt !== undefined) {
    if (expiresAt === null) changes.expiresAt = null;
    else if (typeof expiresAt === "string" && !Number.isNaN(Date.parse(expiresAt)))
      changes.expiresAt = Date.parse(expiresAt);
    else throw invalidField("expiresAt", "an ISO time or null");
  }
  for (const [field, target] of [
    ["creditsPerDay", "nanoCreditsPerDay"],
    ["creditsPerMonth", "nanoCreditsPerMonth"],
  ] as const) {
    const value = body[field];
    if (value === undefined) continue;
    if (value === null) {
      changes[target] = null;
      continue;
    }
    if (typeof value !== "string" && typeof value !== "number")
      throw invalidField(field, "credits as a decimal string or null");
    try {
      changes[target] = parseCredits(String(value));
    } catch (error) {
      throw invalidField(
        field,
        error instanceof Error ? error.message : "not an amount of credits",
      );
    }
  }
  for (const field of ["requestsPerMinute", "concurrency"] as const) {
    const value = body[field];
    if (value === undefined) continue;
    if (value !== null && (typeof value !== "number" || !Number.isInteger(value) || value < 1)) {
      throw invalidField(field, "a whole number of at least 1, or null");
    }
    changes[field] = value;
  }
  const models = body["models"];
  if (models !== undefined) {
    if (
      models !== null &&
      (!Array.isArray(models) || !models.every((model) => typeof model === "string"))
    ) {
      throw invalidField("models", "a list of model names or patterns, or null");
    }
    changes.models = models;
  }
  const fallbackModel = body["fallbackModel"];
  if (fallbackModel !== undefined) {
    if (fallbackModel !== null && typeof fallbackModel !== "string")
      throw invalidField("fallbackModel", "a model name or null");
    changes.fallbackModel = fallbackModel;
  }
  return changes;
}

function invalidField(field: string, rule: string): InvalidRequestError {
  return new InvalidRequestError(`${field}: ${rule}`, {
    code: "invalid_request_body",
    param: field,
  });
}

function withKeyErrors<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (!(error instanceof KeyStoreError)) throw error;
    const status = { invalid: 400, duplicate: 409, not_found: 404, revoked: 409 }[error.code];
    throw new GatewayError(
      status,
      status === 404 ? "not_found" : "invalid_request",
      error.message,
      {
        code: `key_${error.code}`,
      },
    );
  }
}
