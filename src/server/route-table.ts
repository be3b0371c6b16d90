import type { DialectName } from "../dialects/dialect.js";
import { anthropicMessagesDialect } from "../dialects/anthropic-messages/anthropic-messages-dialect.js";
import { openAIChatDialect } from "../dialects/openai-chat/openai-chat-dialect.js";
import { renderOpenAIError } from "../dialects/openai-chat/render-openai-error.js";
import { openAIResponsesDialect } from "../dialects/openai-responses/openai-responses-dialect.js";
import { renderAnthropicError } from "../dialects/anthropic-messages/render-anthropic-error.js";
import { createDialectHandler, type DialectHandlerDependencies } from "./handle-dialect-request.js";
import { createWebSearchAnswerer } from "./answer-web-search.js";
import type { ErrorRenderer, Handler, Router } from "./router.js";
import { createCountTokensHandler } from "./routes/count-tokens-route.js";
import { createEmbeddingsHandler } from "./routes/embeddings-route.js";
import { createModelsHandler } from "./routes/models-route.js";

interface ApiRoute {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly handler: Handler;
  /** The error body of the API the route speaks. */
  readonly renderError: ErrorRenderer;
  readonly dialect?: DialectName;
}

/**
 * Every API route and the dialect it speaks, served with and without the `/v1` prefix. The three
 * conversation APIs share one handler, driven by their adapters: a new client API is one folder
 * under `src/dialects/` and one line here.
 */
export function registerApiRoutes(router: Router, deps: DialectHandlerDependencies): void {
  const routes: readonly ApiRoute[] = [
    {
      method: "POST",
      path: "/chat/completions",
      handler: createDialectHandler(openAIChatDialect, deps),
      renderError: openAIChatDialect.renderError,
      dialect: openAIChatDialect.name,
    },
    {
      method: "POST",
      path: "/responses",
      handler: createDialectHandler(openAIResponsesDialect, deps),
      renderError: openAIResponsesDialect.renderError,
      dialect: openAIResponsesDialect.name,
    },
    {
      method: "POST",
      path: "/messages",
      handler: createDialectHandler(anthropicMessagesDialect, deps, createWebSearchAnswerer(deps)),
      renderError: anthropicMessagesDialect.renderError,
      dialect: anthropicMessagesDialect.name,
    },
    {
      method: "POST",
      path: "/messages/count_tokens",
      handler: createCountTokensHandler(deps),
      renderError: renderAnthropicError,
    },
    {
      method: "POST",
      path: "/embeddings",
      handler: createEmbeddingsHandler(deps),
      renderError: renderOpenAIError,
    },
    {
      method: "GET",
      path: "/models",
      // Anthropic's shape and errors when the client sends anthropic-version.
      handler: createModelsHandler(deps),
      renderError: renderOpenAIError,
    },
  ];
  for (const prefix of ["/v1", ""]) {
    for (const { method, path, handler, renderError, dialect } of routes) {
      router.on(method, prefix + path, handler, { authenticated: true, renderError, dialect });
    }
  }
}
