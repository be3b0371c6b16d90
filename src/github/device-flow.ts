import type { Dispatcher } from "undici";
import { request } from "undici";
import { describeNetworkError } from "../http/network-errors.js";
import { sleepFor } from "../http/retry.js";
import {
  cancelledError,
  DeviceFlowError,
  expiredError,
  failureOf,
  parseBody,
  parseDeviceCode,
  parsePollAnswer,
  type DeviceCodeAnswer,
} from "./device-flow-answers.js";

export { DeviceFlowError, type DeviceFlowFailure } from "./device-flow-answers.js";

/** The Copilot editor plugin's OAuth app: its tokens (`ghu_…`) can be exchanged for Copilot tokens. */
export const COPILOT_CLIENT_ID = "Iv1.b507a08c87ecfe98";
const DEVICE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
// RFC 8628 §3.5: a slow_down adds 5 seconds to the interval.
const SLOW_DOWN_STEP_SECONDS = 5;
const DEFAULT_NETWORK_RETRIES = 3;

/** What the person must do: open `verificationUri` and type `userCode`. */
export interface DeviceCode {
  readonly userCode: string;
  readonly verificationUri: string;
  readonly expiresInSeconds: number;
  readonly intervalSeconds: number;
}

export interface DeviceFlowRetry {
  /** 1 for the first retry. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Short and secret-free: `ECONNREFUSED`, `GitHub answered HTTP 503`. */
  readonly problem: string;
}

export interface DeviceFlowOptions {
  /** GitHub web base URL (GITHUB_URL). */
  readonly githubUrl: string;
  readonly dispatcher: Dispatcher;
  /** Sent with every request; GitHub's API wants a User-Agent. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly clientId?: string;
  readonly scope?: string;
  /** Consecutive failed requests (network errors, 5xx) tolerated before giving up. */
  readonly networkRetries?: number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
  /** Aborting it stops the flow with reason `cancelled`. */
  readonly signal?: AbortSignal;
  readonly onCode?: (code: DeviceCode) => void;
  /** About once a second while waiting, with the whole seconds left before the code expires. */
  readonly onTick?: (secondsLeft: number) => void;
  readonly onRetry?: (retry: DeviceFlowRetry) => void;
  /** GitHub asked us to poll less often; `intervalSeconds` is the new interval. */
  readonly onSlowDown?: (intervalSeconds: number) => void;
}

/**
 * GitHub's OAuth device flow (RFC 8628; docs/upstream-protocol.md, Device flow): asks for a code,
 * tells the caller, then polls until the person approves, declines, or the code expires. Returns
 * the `ghu_…` token.
 * Never throws anything but a DeviceFlowError.
 */
export async function runDeviceFlow(options: DeviceFlowOptions): Promise<string> {
  const sleep = options.sleep ?? sleepFor;
  const now = options.now ?? Date.now;
  const clientId = options.clientId ?? COPILOT_CLIENT_ID;
  const maxAttempts = options.networkRetries ?? DEFAULT_NETWORK_RETRIES;
  const post = createPoster(options);

  // `failures` counts consecutive failed requests; any answer from GitHub resets it.
  let failures = 0;
  const countFailure = (problem: string, cause: unknown): void => {
    failures += 1;
    if (failures > maxAttempts) {
      throw new DeviceFlowError("network", `Cannot reach GitHub: ${problem}`, { cause });
    }
    options.onRetry?.({ attempt: failures, maxAttempts, problem });
  };

  let issued: DeviceCodeAnswer | undefined;
  while (issued === undefined) {
    const answer = await post("/login/device/code", {
      client_id: clientId,
      scope: options.scope ?? "read:user",
    });
    if (!answer.ok) {
      countFailure(answer.problem, answer.cause);
      await pause(sleep, 1000 * 2 ** (failures - 1), options.signal);
      continue;
    }
    failures = 0;
    issued = parseDeviceCode(answer.body);
  }

  const code: DeviceCode = {
    userCode: issued.user_code,
    verificationUri: issued.verification_uri,
    expiresInSeconds: issued.expires_in,
    intervalSeconds: issued.interval ?? SLOW_DOWN_STEP_SECONDS,
  };
  options.onCode?.(code);
  const deadline = now() + code.expiresInSeconds * 1000;
  let intervalMs = code.intervalSeconds * 1000;

  for (;;) {
    await waitUntil(now() + intervalMs, deadline, { sleep, now, options });
    if (now() >= deadline) throw expiredError();
    const answer = await post("/login/oauth/access_token", {
      client_id: clientId,
      device_code: issued.device_code,
      grant_type: DEVICE_GRANT_TYPE,
    });
    if (!answer.ok) {
      // The poll interval (5 s or more at GitHub) is pause enough before the next attempt.
      countFailure(answer.problem, answer.cause);
      continue;
    }
    failures = 0;
    const poll = parsePollAnswer(answer.body);
    if (poll.access_token !== undefined) return poll.access_token;
    if (poll.error === "authorization_pending") continue;
    if (poll.error !== "slow_down") throw failureOf(poll);
    intervalMs = (poll.interval ?? intervalMs / 1000 + SLOW_DOWN_STEP_SECONDS) * 1000;
    options.onSlowDown?.(intervalMs / 1000);
  }
}

/** A device code as issued, with the secret `deviceCode` that polls for the token. */
export interface IssuedDeviceCode extends DeviceCode {
  readonly deviceCode: string;
}

/** What one poll for the token found. */
export type DevicePoll =
  | { readonly kind: "token"; readonly token: string }
  | { readonly kind: "pending" }
  /** GitHub asked to be polled less often: every `intervalSeconds` from now on. */
  | { readonly kind: "slow_down"; readonly intervalSeconds: number };

/**
 * The device flow one step at a time, for a caller that paces the polls itself (the
 * dashboard's join page polls through the gateway): asks GitHub for a code, once.
 * Never throws anything but a DeviceFlowError.
 */
export async function requestDeviceCode(options: DeviceFlowOptions): Promise<IssuedDeviceCode> {
  const answer = await createPoster(options)("/login/device/code", {
    client_id: options.clientId ?? COPILOT_CLIENT_ID,
    scope: options.scope ?? "read:user",
  });
  if (!answer.ok) {
    throw new DeviceFlowError("network", `Cannot reach GitHub: ${answer.problem}`, {
      cause: answer.cause,
    });
  }
  const issued = parseDeviceCode(answer.body);
  return {
    deviceCode: issued.device_code,
    userCode: issued.user_code,
    verificationUri: issued.verification_uri,
    expiresInSeconds: issued.expires_in,
    intervalSeconds: issued.interval ?? SLOW_DOWN_STEP_SECONDS,
  };
}

/**
 * Polls once for the token of `deviceCode`; the caller waits `intervalSeconds` between polls.
 * Declined, expired and unknown codes throw their DeviceFlowError; so does an unreachable GitHub
 * (reason `network`: the caller may poll again later).
 */
export async function pollDeviceCode(
  options: DeviceFlowOptions,
  deviceCode: string,
  intervalSeconds: number,
): Promise<DevicePoll> {
  const answer = await createPoster(options)("/login/oauth/access_token", {
    client_id: options.clientId ?? COPILOT_CLIENT_ID,
    device_code: deviceCode,
    grant_type: DEVICE_GRANT_TYPE,
  });
  if (!answer.ok) {
    throw new DeviceFlowError("network", `Cannot reach GitHub: ${answer.problem}`, {
      cause: answer.cause,
    });
  }
  const poll = parsePollAnswer(answer.body);
  if (poll.access_token !== undefined) return { kind: "token", token: poll.access_token };
  if (poll.error === "authorization_pending") return { kind: "pending" };
  if (poll.error !== "slow_down") throw failureOf(poll);
  return {
    kind: "slow_down",
    intervalSeconds: poll.interval ?? intervalSeconds + SLOW_DOWN_STEP_SECONDS,
  };
}

type PostResult =
  { ok: true; body: Record<string, unknown> } | { ok: false; problem: string; cause: unknown };

/** POSTs JSON to GitHub; a network error or a 5xx/429 is a (retryable) failure, not a throw. */
function createPoster(options: DeviceFlowOptions) {
  return async (path: string, body: Record<string, string>): Promise<PostResult> => {
    let status: number;
    let text: string;
    try {
      const response = await request(new URL(`${options.githubUrl.replace(/\/+$/, "")}${path}`), {
        method: "POST",
        headers: {
          ...options.headers,
          accept: "application/json",
          "content-type": "application/json",
        },
        body: JSON.stringify(body),
        dispatcher: options.dispatcher,
        signal: options.signal ?? null,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      if (options.signal?.aborted === true) throw cancelledError(error);
      return { ok: false, problem: describeNetworkError(error), cause: error };
    }
    if (status >= 500 || status === 429) {
      return { ok: false, problem: `GitHub answered HTTP ${status}`, cause: undefined };
    }
    const parsed = parseBody(text);
    // GitHub answers every OAuth outcome with 200 and an `error` field; anything else is
    // not GitHub's OAuth endpoint (a GITHUB_URL pointing at the API host, a captive portal).
    if (parsed === undefined || (status !== 200 && typeof parsed["error"] !== "string")) {
      throw new DeviceFlowError(
        "unexpected_response",
        `GitHub's answer to ${path} was not understood (HTTP ${status}); check GITHUB_URL`,
      );
    }
    return { ok: true, body: parsed };
  };
}

async function pause(
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    signal?.throwIfAborted();
    await sleep(ms, signal);
    // An injected sleep may ignore the signal.
    signal?.throwIfAborted();
  } catch (error) {
    throw cancelledError(error);
  }
}

/** Sleeps until `until` (or the deadline) in steps of at most a second, ticking the countdown. */
async function waitUntil(
  until: number,
  deadline: number,
  context: {
    sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
    now: () => number;
    options: DeviceFlowOptions;
  },
): Promise<void> {
  const { sleep, now, options } = context;
  const end = Math.min(until, deadline);
  for (;;) {
    const current = now();
    if (current >= end) return;
    options.onTick?.(Math.ceil((deadline - current) / 1000));
    // Land on whole seconds of the countdown so each tick shows a new number.
    const toNextSecond = (deadline - current) % 1000 || 1000;
    await pause(sleep, Math.min(end - current, toNextSecond), options.signal);
  }
}
