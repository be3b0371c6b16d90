import { randomBytes } from "node:crypto";
import type { RecordedRequest } from "./fake-copilot-types.js";
import type { FakeResponse } from "./fake-response.js";
import { githubJsonResponse, parseJsonBody, textResponse } from "./fake-response.js";
import type { FakeState } from "./fake-state.js";

/** What one poll of `/login/oauth/access_token` answers, in a script. */
export type DevicePollStep =
  | "pending"
  | "slow_down"
  | "approve"
  | "deny"
  | "expire"
  | { readonly error: string; readonly error_description?: string };

/** How the fake GitHub's device flow (docs/upstream-protocol.md) behaves for one fake. */
export interface DeviceFlowScript {
  /** Answers to successive polls; the last one repeats. Default: ["pending", "approve"]. */
  readonly polls?: readonly DevicePollStep[];
  /** Seconds the code lives (default 900); later polls answer expired_token. */
  readonly expiresIn?: number;
  /** Seconds between polls (default 5). Fractions are allowed so tests run fast. */
  readonly interval?: number;
  /** The interval a slow_down answer carries (default: the current interval + 5). */
  readonly slowDownInterval?: number;
  readonly userCode?: string;
  /** What an approval gives (default: the fake's first registered GitHub token). */
  readonly token?: string;
  /** Answer slow_down, as GitHub does, to a poll sooner than the interval (default true). */
  readonly enforceInterval?: boolean;
}

// The Copilot editor plugin's OAuth app, the only client id the fake knows.
const CLIENT_ID = "Iv1.b507a08c87ecfe98";
const GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
// Slack for timers: Node may fire a timer a millisecond early, which GitHub would not notice.
const EARLY_POLL_TOLERANCE_MS = 20;

interface DeviceSession {
  readonly script: DeviceFlowScript;
  readonly expiresAtMs: number;
  intervalMs: number;
  lastPollMs: number;
  step: number;
  finished: boolean;
}

// Scripts are set per fake (by its GitHub URL) from tests; sessions live with the fake's state.
const scripts = new Map<string, DeviceFlowScript>();
const sessions = new WeakMap<FakeState, Map<string, DeviceSession>>();

/** Sets how the device flow of the fake at `githubUrl` behaves from now on. */
export function setDeviceFlowScript(githubUrl: string, script: DeviceFlowScript): void {
  scripts.set(githubUrl, script);
}

/** Back to the default script. */
export function clearDeviceFlowScript(githubUrl: string): void {
  scripts.delete(githubUrl);
}

/** The device-flow routes of the fake github.com; undefined for any other route. */
export function handleDeviceFlowRequest(
  state: FakeState,
  request: RecordedRequest,
): FakeResponse | undefined {
  const route = `${request.method} ${request.path}`;
  switch (route) {
    case "POST /login/device/code":
      return issueDeviceCode(state, request);
    case "POST /login/oauth/access_token":
      return pollAccessToken(state, request);
    case "GET /login/device":
      return textResponse(200, "Fake GitHub: enter the code your device shows.\n");
    default:
      return undefined;
  }
}

function issueDeviceCode(state: FakeState, request: RecordedRequest): FakeResponse {
  const body = readBody(request);
  if (body["client_id"] !== CLIENT_ID) {
    return oauthAnswer(request, {
      error: "incorrect_client_credentials",
      error_description: "The client_id is not valid.",
    });
  }
  const script = scripts.get(state.githubUrl) ?? {};
  const deviceCode = randomBytes(20).toString("hex");
  const expiresIn = script.expiresIn ?? 900;
  const interval = script.interval ?? 5;
  const now = state.now();
  sessionsOf(state).set(deviceCode, {
    script,
    expiresAtMs: now + expiresIn * 1000,
    intervalMs: interval * 1000,
    // The first poll may come one interval after the code was issued.
    lastPollMs: now,
    step: 0,
    finished: false,
  });
  return oauthAnswer(request, {
    device_code: deviceCode,
    user_code: script.userCode ?? "WDJB-MJHT",
    verification_uri: `${state.githubUrl}/login/device`,
    expires_in: expiresIn,
    interval,
  });
}

function pollAccessToken(state: FakeState, request: RecordedRequest): FakeResponse {
  const body = readBody(request);
  if (body["client_id"] !== CLIENT_ID) {
    return oauthAnswer(request, { error: "incorrect_client_credentials" });
  }
  if (body["grant_type"] !== GRANT_TYPE) {
    return oauthAnswer(request, { error: "unsupported_grant_type" });
  }
  const session = sessionsOf(state).get(
    typeof body["device_code"] === "string" ? body["device_code"] : "",
  );
  if (session === undefined || session.finished) {
    return oauthAnswer(request, { error: "incorrect_device_code" });
  }
  const now = state.now();
  if (now >= session.expiresAtMs) return oauthAnswer(request, { error: "expired_token" });
  const early = now - session.lastPollMs < session.intervalMs - EARLY_POLL_TOLERANCE_MS;
  session.lastPollMs = now;
  if (early && session.script.enforceInterval !== false) return slowDown(request, session);

  const steps = session.script.polls ?? ["pending", "approve"];
  const step = steps[Math.min(session.step, steps.length - 1)] ?? "approve";
  session.step += 1;
  if (typeof step === "object") return oauthAnswer(request, { ...step });
  switch (step) {
    case "pending":
      return oauthAnswer(request, { error: "authorization_pending" });
    case "slow_down":
      return slowDown(request, session);
    case "deny":
      session.finished = true;
      return oauthAnswer(request, { error: "access_denied" });
    case "expire":
      session.finished = true;
      return oauthAnswer(request, { error: "expired_token" });
    case "approve":
      session.finished = true;
      return oauthAnswer(request, {
        access_token: session.script.token ?? firstToken(state),
        token_type: "bearer",
        scope: "",
      });
    default: {
      const unhandled: never = step;
      throw new Error(`unknown poll step ${String(unhandled)}`);
    }
  }
}

function slowDown(request: RecordedRequest, session: DeviceSession): FakeResponse {
  const interval = session.script.slowDownInterval ?? session.intervalMs / 1000 + 5;
  session.intervalMs = interval * 1000;
  return oauthAnswer(request, {
    error: "slow_down",
    error_description: "Too many requests have been made in the same timeframe.",
    interval,
  });
}

function sessionsOf(state: FakeState): Map<string, DeviceSession> {
  let map = sessions.get(state);
  if (map === undefined) {
    map = new Map();
    sessions.set(state, map);
  }
  return map;
}

function firstToken(state: FakeState): string {
  const [token] = state.accounts.keys();
  if (token === undefined) throw new Error("fake GitHub: no account to sign in");
  return token;
}

/** GitHub reads JSON or form bodies. */
function readBody(request: RecordedRequest): Record<string, unknown> {
  const json = parseJsonBody(request.body);
  if (json.ok) return json.value;
  return Object.fromEntries(new URLSearchParams(request.body));
}

/** GitHub answers HTTP 200 with JSON, or form encoding without `Accept: application/json`. */
function oauthAnswer(request: RecordedRequest, value: Record<string, unknown>): FakeResponse {
  if ((request.headers["accept"] ?? "").includes("application/json")) {
    return githubJsonResponse(200, value);
  }
  const form = new URLSearchParams(
    Object.entries(value).map(([key, item]): [string, string] => [key, String(item)]),
  ).toString();
  return {
    kind: "body",
    status: 200,
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: form,
  };
}
