import { Hono } from "hono";
import type { Config } from "../config/config.js";
import type { CopilotClient } from "../copilot/copilot-client.js";
import type { ModelCatalog } from "../copilot/models.js";
import { GatewayError } from "../errors.js";
import type { Logger } from "../logging/create-logger.js";
import type { AppEnv } from "./app-env.js";
import { createAuth } from "./middleware/auth.js";
import { createCors } from "./middleware/cors.js";
import { createRequestLog } from "./middleware/request-log.js";
import { renderOpenAIError, toGatewayError } from "./render-openai-error.js";
import { registerAnthropicRoutes } from "./routes/anthropic-routes.js";
import { registerOpenAIRoutes } from "./routes/openai-routes.js";
import { registerResponsesRoutes } from "./routes/responses-routes.js";
import { renderAnthropicError } from "../translate/anthropic/render-anthropic-error.js";

export interface AppDependencies {
  readonly config: Config;
  readonly copilot: CopilotClient;
  readonly models: ModelCatalog;
  readonly logger: Logger;
  readonly version: string;
  /** What backs the token cache now ("sqlite" or "memory"), for /healthz. */
  readonly cacheKind: () => string;
  readonly now?: () => number;
  /** The server-held GitHub token (GITHUB_TOKEN or the saved login), if any. */
  readonly serverGithubToken?: string | undefined;
}

/** The API routes, each listed with the methods it answers (for 405s). */
const API_ROUTES: Record<string, readonly string[]> = {
  "/models": ["GET"],
  "/chat/completions": ["POST"],
  "/embeddings": ["POST"],
  "/messages": ["POST"],
  "/messages/count_tokens": ["POST"],
  "/responses": ["POST"],
};

/** Routes without authentication (HEAD is answered by GET handlers). */
const PUBLIC_ROUTES = [
  { path: "/", methods: ["GET"] },
  { path: "/healthz", methods: ["GET"] },
] as const;

/** Builds the whole HTTP application from explicit parts, so tests can pass fakes. */
export function createApp(deps: AppDependencies): Hono<AppEnv> {
  const { config, logger } = deps;
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const app = new Hono<AppEnv>();

  app.use(createRequestLog({ logger, debug: config.debug }));
  app.use(
    createCors({
      origins: config.corsOrigins,
      allowHeaders: [
        "authorization",
        "x-api-key",
        "content-type",
        "anthropic-version",
        "anthropic-beta",
      ],
      exposeHeaders: ["x-request-id", "retry-after"],
      maxAgeSeconds: 600,
    }),
  );

  app.get("/", (c) =>
    c.text(
      `CoGPT ${deps.version} is running: point your OpenAI client at this address + /v1 with your GitHub token as the API key.\n`,
    ),
  );
  app.get("/healthz", (c) =>
    c.json({
      status: "ok",
      version: deps.version,
      uptime_seconds: Math.floor((now() - startedAt) / 1000),
      cache: deps.cacheKind(),
    }),
  );

  const auth = createAuth({
    shareTokens: config.shareTokens,
    serverGithubToken: deps.serverGithubToken,
    apiKeys: config.apiKeys,
    trustedOrigins: config.corsOrigins.filter((origin) => origin !== "*"),
  });

  const routes = Object.entries(API_ROUTES).flatMap(([route, methods]) =>
    [`/v1${route}`, route].map((path) => ({ path, methods })),
  );
  for (const { path, methods } of routes) app.on([...methods], path, auth);

  const routeDeps = { config, copilot: deps.copilot, models: deps.models, logger, now };
  registerOpenAIRoutes(app, routeDeps);
  registerAnthropicRoutes(app, routeDeps);
  registerResponsesRoutes(app, routeDeps);

  // Reached only when no handler above answered: the path exists, the method does not.
  for (const { path, methods } of [...routes, ...PUBLIC_ROUTES]) {
    app.all(path, (c) => {
      c.header("allow", methods.join(", "));
      throw new GatewayError(
        405,
        "method_not_allowed",
        `Method ${c.req.method} is not allowed on ${path}; use ${methods.join(" or ")}`,
        { code: "method_not_allowed" },
      );
    });
  }

  app.notFound((c) => {
    const error = new GatewayError(
      404,
      "not_found",
      `Unknown route: ${c.req.method} ${c.req.path}`,
      {
        code: "unknown_route",
      },
    );
    return c.json(renderError(c.req.path, error), 404);
  });

  app.onError((thrown, c) => {
    const error = clientIsGone(c.req.raw, thrown)
      ? new GatewayError(499, "invalid_request", CLIENT_GONE_MESSAGE, { code: "client_closed" })
      : toGatewayError(thrown, c.get("requestId"));
    if (error.kind === "internal") {
      logger.error({ reqId: c.get("requestId"), err: serializeError(thrown) }, "internal error");
    }
    if (error.retryAfter !== undefined) c.header("retry-after", error.retryAfter);
    c.get("log").note = error.message;
    return c.json(renderError(c.req.path, error), error.status as 400);
  });

  return app;
}

/** Each route answers errors in its own dialect: Anthropic's shape on the Messages routes. */
function renderError(path: string, error: GatewayError): object {
  return isAnthropicPath(path) ? renderAnthropicError(error) : renderOpenAIError(error);
}

function isAnthropicPath(path: string): boolean {
  return path === "/messages" || path.startsWith("/messages/") || path.startsWith("/v1/messages");
}

const CLIENT_GONE_MESSAGE =
  "The client's connection ended before the answer (closed, malformed, or cut off after CLIENT_TIMEOUT)";

/**
 * A client that hangs up, or that Node cuts off (request timeout, malformed chunk), while its body
 * is being read or Copilot is being asked makes the pending read or call fail: that is the client's
 * doing, logged as nginx's 499, never as an internal error. Nobody is left to receive the answer.
 */
function clientIsGone(request: Request, thrown: unknown): boolean {
  return !(thrown instanceof GatewayError) && request.signal.aborted;
}

function serializeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error)
    return { type: error.name, message: error.message, stack: error.stack };
  return { value: String(error) };
}
