import { z } from "zod";
import type { Config } from "../../config/config.js";
import type { ModelCatalog } from "../../copilot/models.js";
import {
  GatewayError,
  InvalidRequestError,
  PermissionError,
  AuthenticationError,
} from "../../errors.js";
import { MANAGED_KEY_PREFIX } from "../../keys/managed-key.js";
import type { Accounting } from "../../ledger/create-accounting.js";
import type { Metrics } from "../../metrics/create-metrics.js";
import type { UiJoinEnabled, UiJoinPoll, UiSessionInfo } from "../../protocols/ui-api.js";
import type { Exchange } from "../exchange.js";
import { readJsonBody } from "../read-json-body.js";
import { createJoinFlow, type JoinFlow } from "./join-flow.js";
import { renderKeySnippets } from "./key-snippets.js";
import { serveUiFile } from "./serve-ui-files.js";
import {
  checkChange,
  checkUiReach,
  clearedSessionCookie,
  identifyCaller,
  isSecure,
  sessionCookie,
  UI_SECURITY_HEADERS,
  type UiCaller,
} from "./ui-access.js";
import { createUiApi, type UiApi } from "./ui-api.js";
import type { UiGitHub } from "./ui-github.js";
import { createUiSessions, secretsEqual, type UiSession, type UiSessions } from "./ui-sessions.js";

export interface UiOptions {
  readonly config: Config;
  readonly accounting: Accounting;
  readonly models: ModelCatalog;
  readonly metrics?: Metrics | undefined;
  /** GitHub for the accounts' plans and the join flow; absent: neither. */
  readonly github?: UiGitHub | undefined;
  readonly serverGithubToken?: string | undefined;
  /** The GitHub token of a saved login (managed keys that spend one). */
  readonly savedAccount?: ((name: string) => string | undefined) | undefined;
  /** Saves a joining friend's token as a named login; absent: no joining. */
  readonly saveAccount?: ((name: string, githubToken: string) => void) | undefined;
  /** The built page (dist/ui). */
  readonly directory: string;
  readonly version: string;
  readonly now: () => number;
  readonly cacheKind: () => string;
  readonly cacheError?: (() => string | undefined) | undefined;
  readonly storageDriver: () => string;
  readonly sessions?: UiSessions;
}

/** The dashboard: its page and its JSON API, all under /ui. */
export interface Ui {
  handles(path: string): boolean;
  handle(exchange: Exchange): Promise<void>;
  /** A one-time sign-in token for `/ui/login?token=` (printed by `cogpt serve`). */
  issueSignInToken(): string;
}

type Access = "anyone" | "signed_in" | "admin";

interface UiRoute {
  readonly access: Access;
  readonly handle: (exchange: Exchange, caller: UiCaller | undefined) => Promise<void> | void;
}

const BODY_LIMIT = 64 * 1024;
const JSON_TYPE = "application/json; charset=utf-8";

export function createUi(options: UiOptions): Ui {
  const { config, accounting, now } = options;
  const sessions = options.sessions ?? createUiSessions({ now });
  const api: UiApi = createUiApi(options);
  const join: JoinFlow | undefined =
    config.inviteCode !== undefined &&
    options.github !== undefined &&
    options.saveAccount !== undefined
      ? createJoinFlow({
          inviteCode: config.inviteCode,
          github: options.github,
          keys: accounting.keys,
          saveAccount: options.saveAccount,
          now,
        })
      : undefined;

  function startSession(exchange: Exchange, session: UiSession): void {
    exchange.setHeader("set-cookie", sessionCookie(session, now(), isSecure(exchange)));
  }

  const describeSession = (session: UiSession): UiSessionInfo => ({
    role: session.role,
    keyName: session.keyName,
    csrfToken: session.csrfToken,
    expiresAt: new Date(session.expiresAt).toISOString(),
  });

  const routes = new Map<string, UiRoute>([
    [
      "GET /ui/api/session",
      {
        access: "signed_in",
        handle: (exchange, caller) => {
          if (caller?.session === undefined) {
            // ADMIN_KEY as a bearer: no session, no CSRF token needed.
            sendJson(exchange, {
              role: "admin",
              keyName: null,
              csrfToken: null,
              expiresAt: null,
            } satisfies UiSessionInfo);
            return;
          }
          sendJson(exchange, describeSession(caller.session));
        },
      },
    ],
    [
      "POST /ui/api/session",
      {
        access: "anyone",
        handle: async (exchange) => {
          const body = await readBody(exchange, sessionInputSchema);
          const session = signIn(body);
          startSession(exchange, session);
          sendJson(exchange, describeSession(session));
        },
      },
    ],
    [
      "DELETE /ui/api/session",
      {
        access: "signed_in",
        handle: (exchange, caller) => {
          if (caller?.session !== undefined) sessions.delete(caller.session.id);
          exchange.setHeader("set-cookie", clearedSessionCookie(isSecure(exchange)));
          exchange.send(204, null);
        },
      },
    ],
    [
      "GET /ui/api/overview",
      { access: "signed_in", handle: async (e, c) => sendJson(e, await api.overview(c!)) },
    ],
    [
      "GET /ui/api/spend",
      { access: "signed_in", handle: (e, c) => sendJson(e, api.spend(c!, query(e))) },
    ],
    [
      "GET /ui/api/spend.csv",
      {
        access: "signed_in",
        handle: (exchange, caller) => {
          const { csv, by } = api.spendCsv(caller!, query(exchange));
          exchange.setHeader(
            "content-disposition",
            `attachment; filename="cogpt-spend-by-${by}.csv"`,
          );
          exchange.setHeader("cache-control", "no-store");
          exchange.send(200, csv, "text/csv; charset=utf-8");
        },
      },
    ],
    [
      "GET /ui/api/requests",
      { access: "signed_in", handle: (e, c) => sendJson(e, api.requests(c!, query(e))) },
    ],
    [
      "GET /ui/api/requests/stream",
      { access: "signed_in", handle: (e, c) => api.streamRequests(e, c!) },
    ],
    ["GET /ui/api/keys", { access: "signed_in", handle: (e, c) => sendJson(e, api.listKeys(c!)) }],
    [
      "POST /ui/api/keys",
      {
        access: "admin",
        handle: async (exchange) =>
          sendJson(
            exchange,
            api.createKey(
              await readBody(exchange, z.record(z.string(), z.unknown())),
              baseUrlOf(exchange),
            ),
          ),
      },
    ],
    [
      "POST /ui/api/keys/update",
      {
        access: "admin",
        handle: async (exchange) =>
          sendJson(
            exchange,
            api.updateKey(await readBody(exchange, z.record(z.string(), z.unknown()))),
          ),
      },
    ],
    [
      "POST /ui/api/keys/revoke",
      {
        access: "admin",
        handle: async (exchange) => {
          const { name } = await readBody(exchange, z.object({ name: z.string() }));
          const answer = api.revokeKey(name);
          sessions.deleteForKey(name);
          sendJson(exchange, answer);
        },
      },
    ],
    [
      "GET /ui/api/models",
      {
        access: "signed_in",
        handle: async (e, c) => sendJson(e, await api.models(c!, e.requestId)),
      },
    ],
    ["GET /ui/api/health", { access: "admin", handle: (e) => sendJson(e, api.health()) }],
    [
      "GET /ui/api/join",
      {
        access: "anyone",
        handle: (e) => sendJson(e, { enabled: join !== undefined } satisfies UiJoinEnabled),
      },
    ],
    [
      "POST /ui/api/join/start",
      {
        access: "anyone",
        handle: async (exchange) => {
          const flow = requireJoin(join);
          const { code } = await readBody(exchange, z.object({ code: z.string() }));
          sendJson(
            exchange,
            await flow.start(code, exchange.incoming.socket.remoteAddress ?? "unknown"),
          );
        },
      },
    ],
    [
      "POST /ui/api/join/poll",
      {
        access: "anyone",
        handle: async (exchange) => {
          const flow = requireJoin(join);
          const { joinId } = await readBody(exchange, z.object({ joinId: z.string() }));
          const outcome = await flow.poll(joinId);
          if (outcome.status !== "done") {
            sendJson(exchange, outcome satisfies UiJoinPoll);
            return;
          }
          startSession(exchange, sessions.create("friend", outcome.key.name));
          // The friend gets the same ready-made setup as a key the owner makes.
          sendJson(exchange, {
            status: "done",
            key: api.describeKey(outcome.key),
            secret: outcome.secret,
            snippets: renderKeySnippets(baseUrlOf(exchange), outcome.secret),
          } satisfies UiJoinPoll);
        },
      },
    ],
  ]);

  function signIn(body: z.infer<typeof sessionInputSchema>): UiSession {
    if (body.adminKey !== undefined) {
      if (config.adminKey !== undefined && secretsEqual(body.adminKey, config.adminKey)) {
        return sessions.create("admin", null);
      }
      throw new AuthenticationError(
        config.adminKey === undefined
          ? "ADMIN_KEY is not set on this gateway: sign in with the link `cogpt serve` printed"
          : "That is not the gateway's ADMIN_KEY",
        { code: "invalid_api_key" },
      );
    }
    const secret = body.key ?? "";
    const key = secret.startsWith(MANAGED_KEY_PREFIX)
      ? accounting.keys.findBySecret(secret)
      : undefined;
    if (
      key === undefined ||
      key.revokedAt !== undefined ||
      (key.expiresAt !== undefined && key.expiresAt <= now())
    ) {
      throw new AuthenticationError("That is not a live key of this gateway", {
        code: "invalid_api_key",
      });
    }
    return sessions.create("friend", key.name);
  }

  async function handleLogin(exchange: Exchange): Promise<void> {
    const token = new URL(exchange.incoming.url ?? "/", "http://gateway").searchParams.get("token");
    exchange.setHeader("cache-control", "no-store");
    if (token === null || !sessions.redeemSignInToken(token)) {
      exchange.send(
        401,
        "<!doctype html><meta charset=utf-8><title>Sign-in link not valid</title>" +
          "<h1>This sign-in link is not valid</h1><p>A link works once, for 10 minutes. " +
          "Restart <code>cogpt serve</code> for a new one, or set ADMIN_KEY and sign in with it.</p>\n",
        "text/html; charset=utf-8",
      );
      return;
    }
    startSession(exchange, sessions.create("admin", null));
    exchange.setHeader("location", "/ui/");
    exchange.send(303, null);
  }

  return {
    handles: (path) => path === "/ui" || path.startsWith("/ui/"),
    issueSignInToken: () => sessions.issueSignInToken(),
    async handle(exchange) {
      Object.assign(exchange.headers, UI_SECURITY_HEADERS);
      checkUiReach(exchange, config.adminKey);
      const path = exchange.path;
      if (path === "/ui/login" && exchange.method === "GET") {
        await handleLogin(exchange);
        return;
      }
      if (path === "/ui/api" || path.startsWith("/ui/api/")) {
        exchange.setHeader("cache-control", "no-store");
        const route = routes.get(`${exchange.method === "HEAD" ? "GET" : exchange.method} ${path}`);
        if (route === undefined) {
          const allowed = [...routes.keys()].filter((key) => key.endsWith(` ${path}`));
          if (allowed.length > 0) {
            exchange.setHeader("allow", allowed.map((key) => key.split(" ")[0]).join(", "));
            throw new GatewayError(
              405,
              "method_not_allowed",
              `Method ${exchange.method} is not allowed on ${path}`,
              {
                code: "method_not_allowed",
              },
            );
          }
          throw new GatewayError(404, "not_found", `Unknown route: ${exchange.method} ${path}`, {
            code: "unknown_route",
          });
        }
        const caller = identifyCaller(exchange, {
          adminKey: config.adminKey,
          sessions,
          keys: accounting.keys,
          now: now(),
        });
        checkChange(exchange, caller);
        if (route.access !== "anyone" && caller === undefined) {
          throw new AuthenticationError("Not signed in to the dashboard", {
            code: "not_signed_in",
          });
        }
        if (route.access === "admin" && caller?.role !== "admin") {
          throw new PermissionError("Only the gateway's owner may do this", { code: "admin_only" });
        }
        await route.handle(exchange, caller);
        return;
      }
      if (exchange.method !== "GET" && exchange.method !== "HEAD") {
        exchange.setHeader("allow", "GET, HEAD");
        throw new GatewayError(
          405,
          "method_not_allowed",
          `Method ${exchange.method} is not allowed on ${path}`,
          {
            code: "method_not_allowed",
          },
        );
      }
      await serveUiFile(exchange, options.directory, path.slice("/ui".length));
    },
  };
}

const sessionInputSchema = z
  .object({ adminKey: z.string().optional(), key: z.string().optional() })
  .refine((body) => (body.adminKey === undefined) !== (body.key === undefined), {
    message: 'send either "adminKey" or "key"',
  });

function requireJoin(join: JoinFlow | undefined): JoinFlow {
  if (join === undefined) {
    throw new GatewayError(
      404,
      "not_found",
      "Joining is off on this gateway (INVITE_CODE is not set)",
      {
        code: "join_disabled",
      },
    );
  }
  return join;
}

async function readBody<T>(exchange: Exchange, schema: z.ZodType<T>): Promise<T> {
  const type = exchange.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new InvalidRequestError("Send the body as JSON (Content-Type: application/json)", {
      code: "unsupported_media_type",
    });
  }
  return (await readJsonBody(exchange, schema, BODY_LIMIT)).value;
}

function sendJson(exchange: Exchange, value: unknown): void {
  exchange.send(200, JSON.stringify(value), JSON_TYPE);
}

function query(exchange: Exchange): URLSearchParams {
  return new URL(exchange.incoming.url ?? "/", "http://gateway").searchParams;
}

/** The gateway's own address as the caller reached it, for the snippets of a new key. */
function baseUrlOf(exchange: Exchange): string {
  const scheme = isSecure(exchange) ? "https" : "http";
  return `${scheme}://${exchange.header("host") ?? "localhost"}`;
}
