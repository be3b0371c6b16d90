import { randomUUID } from "node:crypto";
import { createMemoryTokenCache } from "../cache/memory-token-cache.js";
import type { Config } from "../config/config.js";
import { createCopilotClient, type CopilotClient } from "../copilot/copilot-client.js";
import { createSessionIds } from "../copilot/copilot-headers.js";
import { parseModelList, type CopilotModel } from "../copilot/models.js";
import { createTokenSource, type TokenSource } from "../copilot/token-source.js";
import { GatewayError } from "../errors.js";
import { exchangeCopilotToken } from "../github/github-api.js";
import { retry } from "../http/retry.js";
import type { Upstream } from "./cli-context.js";

/** The gateway's own Copilot client, for one command run (tokens kept in memory only). */
export interface CliCopilot {
  readonly tokenSource: TokenSource;
  readonly client: CopilotClient;
}

export function createCliCopilot(config: Config, upstream: Upstream): CliCopilot {
  const retryPolicy = { retries: config.retries, budgetMs: config.retryBudgetMs };
  const tokenSource = createTokenSource({
    cache: createMemoryTokenCache(),
    exchange: (githubToken) =>
      retry(
        retryPolicy,
        (error) => error instanceof GatewayError && error.retryable,
        () => exchangeCopilotToken(upstream.github, githubToken),
      ),
  });
  const client = createCopilotClient({
    tokenSource,
    retryPolicy,
    rateLimitWaitMs: 0,
    headers: upstream.headers,
    dispatcherFor: (url) => upstream.http.dispatcherFor(url),
    copilotApiUrl: config.copilotApiUrl,
    accountType: config.accountType,
    sessionIdFor: createSessionIds(),
  });
  return { tokenSource, client };
}

/** The account's models, as Copilot's `GET /models` lists them (duplicates dropped). */
export async function listCopilotModels(
  copilot: CliCopilot,
  githubToken: string,
): Promise<CopilotModel[]> {
  const response = await copilot.client.call({
    githubToken,
    method: "GET",
    path: "/models",
    initiator: "user",
    vision: false,
    requestId: randomUUID(),
  });
  return parseModelList(await response.body.json());
}
