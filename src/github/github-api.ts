import type { Dispatcher } from "undici";
import { request } from "undici";
import { z } from "zod";
import {
  AuthenticationError,
  GatewayError,
  PermissionError,
  UpstreamConnectionError,
  UpstreamError,
  UpstreamTimeoutError,
} from "../errors.js";
import { describeNetworkError, isConnectTimeout, isTimeoutError } from "../http/network-errors.js";

/** What the token exchange (docs/upstream-protocol.md, Token exchange) gives us, validated. */
export interface CopilotTokenGrant {
  readonly token: string;
  readonly expiresAt: number;
  readonly refreshIn: number;
  readonly apiUrl: string | undefined;
  readonly sku: string | undefined;
}

export interface GitHubApiOptions {
  readonly githubApiUrl: string;
  readonly dispatcherFor: (url: URL) => Dispatcher;
  readonly headersFor: (githubToken: string) => Record<string, string>;
}

const tokenGrantSchema = z.looseObject({
  token: z.string().min(1),
  expires_at: z.number(),
  refresh_in: z.number().optional(),
  sku: z.string().optional(),
  endpoints: z.looseObject({ api: z.string().optional() }).optional(),
});

const githubErrorSchema = z.looseObject({
  message: z.string().optional(),
  error_details: z
    .looseObject({ message: z.string().optional(), notification_id: z.string().optional() })
    .optional(),
});

export async function exchangeCopilotToken(
  options: GitHubApiOptions,
  githubToken: string,
): Promise<CopilotTokenGrant> {
  const url = new URL(`${options.githubApiUrl}/copilot_internal/v2/token`);
  const { status, text } = await getGitHub(options, url, githubToken);
  if (status === 200) {
    const parsed = tokenGrantSchema.safeParse(parseJson(text));
    if (!parsed.success) {
      throw new UpstreamError(502, "GitHub's Copilot token answer was not understood", {
        code: "bad_token_response",
      });
    }
    const grant = parsed.data;
    return {
      token: grant.token,
      expiresAt: grant.expires_at,
      refreshIn: grant.refresh_in ?? 1500,
      apiUrl: acceptApiUrl(grant.endpoints?.api),
      sku: grant.sku,
    };
  }
  throw mapExchangeFailure(status, text);
}

/** GET a GitHub API JSON document (e.g. `/copilot_internal/user`), as parsed JSON. */
export async function getGitHubJson(
  options: GitHubApiOptions,
  path: string,
  githubToken: string,
): Promise<unknown> {
  const { status, text } = await getGitHub(
    options,
    new URL(`${options.githubApiUrl}${path}`),
    githubToken,
  );
  if (status === 200) return parseJson(text);
  // Bad credentials and missing seats read the same everywhere; other failures name the route.
  if (status === 401 || status === 403) throw mapExchangeFailure(status, text);
  const message = githubErrorSchema.safeParse(parseJson(text)).data?.message;
  throw new UpstreamError(
    status >= 500 ? 502 : status,
    `GitHub answered HTTP ${status} for ${path}${message === undefined ? "" : `: ${message}`}`,
    {
      code: "github_request_failed",
      retryable: status >= 500,
    },
  );
}

async function getGitHub(
  options: GitHubApiOptions,
  url: URL,
  githubToken: string,
): Promise<{ status: number; text: string }> {
  try {
    const response = await request(url, {
      method: "GET",
      headers: options.headersFor(githubToken),
      dispatcher: options.dispatcherFor(url),
    });
    return { status: response.statusCode, text: await response.body.text() };
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    if (isTimeoutError(error)) {
      throw new UpstreamTimeoutError(`GitHub did not answer in time (${url.host})`, {
        cause: error,
        retryable: isConnectTimeout(error),
      });
    }
    throw new UpstreamConnectionError(
      `Cannot reach GitHub at ${url.host}: ${describeNetworkError(error)}`,
      { cause: error },
    );
  }
}

/** Turns GitHub's answer to a failed exchange into an error that tells the user what to do. */
export function mapExchangeFailure(status: number, text: string): GatewayError {
  const body = githubErrorSchema.safeParse(parseJson(text));
  const details = body.success ? body.data : {};
  if (status === 401) {
    return new AuthenticationError(
      "GitHub rejected the GitHub token (Bad credentials): it is wrong, expired or revoked. " +
        "Sign in again to get a new GitHub app token (ghu_…).",
      { code: "github_token_rejected" },
    );
  }
  if (status === 403) {
    const message =
      details.error_details?.message ??
      details.message ??
      "GitHub refused to issue a Copilot token for this account.";
    return new PermissionError(message, {
      code: details.error_details?.notification_id ?? "copilot_access_denied",
    });
  }
  if (status === 404) {
    return new AuthenticationError(
      "This GitHub token cannot be exchanged for a Copilot token (GitHub answered 404). " +
        "Use a GitHub app token (ghu_…) from the Copilot device-flow login, not a personal access or OAuth token.",
      { code: "github_token_not_exchangeable" },
    );
  }
  const message = details.message ?? `GitHub answered HTTP ${status}`;
  return new UpstreamError(
    status >= 500 ? 502 : status,
    `Copilot token exchange failed: ${message}`,
    { code: "token_exchange_failed", retryable: status >= 500 },
  );
}

/**
 * `endpoints.api` decides where the Copilot token is sent, so only a https URL is accepted
 * (or plain http to a loopback host, which never leaves the machine).
 */
export function acceptApiUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const loopback =
    url.hostname === "localhost" || url.hostname === "[::1]" || url.hostname.startsWith("127.");
  if (url.protocol === "https:" || (url.protocol === "http:" && loopback)) {
    return value.replace(/\/+$/, "");
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
