import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { handleDeviceFlowRequest } from "./device-flow-routes.js";
import type { RecordedRequest } from "./fake-copilot-types.js";
import type { FakeResponse } from "./fake-response.js";
import { githubJsonResponse } from "./fake-response.js";
import type { FakeState, RegisteredAccount } from "./fake-state.js";
import { issueCopilotToken, skuOf } from "./fake-state.js";
import { copilotUserQuota } from "./account-limits.js";

const DOCS_URL = "https://docs.github.com/rest";
// Token types GitHub knows but will not exchange for a Copilot token (only `ghu_` app tokens are).
const NON_EXCHANGEABLE_PREFIXES = ["gho_", "ghp_", "ghs_", "ghr_", "github_pat_"];

/**
 * The fake github.com (device flow, §1) and api.github.com: token exchange, Copilot user/quota,
 * and the user's login (§2, §3).
 */
export async function handleGithubRequest(
  state: FakeState,
  request: RecordedRequest,
): Promise<FakeResponse> {
  // The device flow is github.com's (web) side, which needs no User-Agent.
  const deviceFlow = handleDeviceFlowRequest(state, request);
  if (deviceFlow !== undefined) return deviceFlow;
  if (request.headers["user-agent"] === undefined || request.headers["user-agent"] === "") {
    return githubJsonResponse(403, {
      message:
        "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.",
    });
  }
  const route = `${request.method} ${request.path}`;
  switch (route) {
    case "GET /copilot_internal/v2/token":
      return exchangeToken(state, request);
    case "GET /copilot_internal/user":
      return withAccount(state, request, (account, githubToken) =>
        copilotUser(state, account, githubToken),
      );
    case "GET /user":
      return withAccount(state, request, (account) =>
        githubJsonResponse(200, { login: account.login, id: account.id }),
      );
    default:
      return githubJsonResponse(404, { message: "Not Found", documentation_url: DOCS_URL });
  }
}

/** GitHub accepts both `token <t>` and `Bearer <t>`. */
export function readGithubToken(authorization: string | undefined): string | undefined {
  const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match?.[1];
}

async function exchangeToken(state: FakeState, request: RecordedRequest): Promise<FakeResponse> {
  const presented = readGithubToken(request.headers["authorization"]);
  if (presented !== undefined) {
    state.exchangeCounts.set(presented, (state.exchangeCounts.get(presented) ?? 0) + 1);
  }
  if (state.tokenExchangeDelayMs > 0) await sleep(state.tokenExchangeDelayMs);
  const auth = authenticate(state, request);
  if (!auth.ok) return auth.response;
  const { githubToken, account } = auth;
  if (NON_EXCHANGEABLE_PREFIXES.some((prefix) => githubToken.startsWith(prefix))) {
    return githubJsonResponse(404, { message: "Not Found", documentation_url: DOCS_URL });
  }
  const noSeat = refuseWithoutSeat(account);
  if (noSeat !== undefined) return noSeat;
  const sku = skuOf(account.kind);
  const { token, expiresAt } = issueCopilotToken(state, githubToken, sku);
  return githubJsonResponse(200, {
    ...state.fixtures.tokenExchange,
    endpoints: endpointsOf(state),
    expires_at: expiresAt,
    individual: account.kind === "individual",
    chat_enabled: true,
    organization_list: account.kind === "individual" ? [] : ["fake-org"],
    refresh_in: Math.max(1, state.tokenTtlSeconds - 300),
    sku,
    token,
    tracking_id: randomBytes(16).toString("hex"),
  });
}

function withAccount(
  state: FakeState,
  request: RecordedRequest,
  answer: (account: RegisteredAccount, githubToken: string) => FakeResponse,
): FakeResponse {
  const auth = authenticate(state, request);
  return auth.ok ? answer(auth.account, auth.githubToken) : auth.response;
}

type Authentication =
  | { ok: true; githubToken: string; account: RegisteredAccount }
  | { ok: false; response: FakeResponse };

function authenticate(state: FakeState, request: RecordedRequest): Authentication {
  const githubToken = readGithubToken(request.headers["authorization"]);
  if (githubToken === undefined) {
    const body = { message: "Requires authentication", documentation_url: DOCS_URL };
    return { ok: false, response: githubJsonResponse(401, body) };
  }
  const account = state.accounts.get(githubToken);
  if (account === undefined) {
    const body = { message: "Bad credentials", documentation_url: DOCS_URL };
    return { ok: false, response: githubJsonResponse(401, body) };
  }
  return { ok: true, githubToken, account };
}

/**
 * GitHub's 403 bodies for no seat or a blocked account (docs/upstream-protocol.md, Token exchange).
 */
function refuseWithoutSeat(account: RegisteredAccount): FakeResponse | undefined {
  if (account.kind !== "no_seat" && account.kind !== "banned") return undefined;
  const details =
    account.kind === "no_seat"
      ? {
          url: "https://github.com/github-copilot/signup",
          message: `No access to GitHub Copilot found. You are currently logged in as ${account.login}.`,
          title: "Signup for GitHub Copilot",
          notification_id: "no_copilot_access",
        }
      : {
          url: "https://github.com/contact",
          message: `Your account has been blocked from using GitHub Copilot. You are currently logged in as ${account.login}.`,
          title: "GitHub Copilot access blocked",
          notification_id: "spammy_user",
        };
  return githubJsonResponse(403, {
    error_details: details,
    message: "Resource not accessible by integration",
  });
}

/** The recorded answer with this account's plan, endpoints and windows (account-limits.ts). */
function copilotUser(
  state: FakeState,
  account: RegisteredAccount,
  githubToken: string,
): FakeResponse {
  const noSeat = refuseWithoutSeat(account);
  if (noSeat !== undefined) return noSeat;
  return githubJsonResponse(200, {
    ...state.fixtures.copilotUser,
    login: account.login,
    access_type_sku: skuOf(account.kind),
    copilot_plan: account.kind,
    endpoints: endpointsOf(state),
    ...copilotUserQuota(state, githubToken),
  });
}

function endpointsOf(state: FakeState): Record<string, string> {
  return {
    api: state.copilotUrl,
    "origin-tracker": `${state.copilotUrl}/origin-tracker`,
    proxy: state.copilotUrl,
    telemetry: `${state.copilotUrl}/telemetry`,
  };
}
