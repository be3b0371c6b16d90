import { randomBytes as cryptoRandomBytes } from "node:crypto";
import { GatewayError, LimitError, PermissionError } from "../../errors.js";
import { DeviceFlowError } from "../../github/device-flow.js";
import { isValidName } from "../../keys/key-name.js";
import type { KeyStore, ManagedKey } from "../../keys/managed-key.js";
import { KeyStoreError } from "../../keys/sqlite-key-store.js";
import type { UiJoinStart } from "../../protocols/ui-api.js";
import { secretsEqual } from "./ui-sessions.js";
import type { UiGitHub } from "./ui-github.js";

export type JoinPoll =
  | { readonly status: "pending" }
  | { readonly status: "done"; readonly key: ManagedKey; readonly secret: string }
  | { readonly status: "expired" | "denied"; readonly message: string };

/**
 * Bring your own seat: a friend who knows INVITE_CODE signs in to GitHub with the device flow,
 * and gets a managed key that spends their own account (saved as the login `join-<login>`).
 */
export interface JoinFlow {
  /** Checks the code (constant time, ATTEMPTS_PER_MINUTE per address) and asks GitHub for a code. */
  start(code: string, address: string): Promise<UiJoinStart>;
  /** Polls GitHub at most once per interval; a poll sooner answers pending without asking. */
  poll(joinId: string): Promise<JoinPoll>;
}

export interface JoinFlowOptions {
  readonly inviteCode: string;
  readonly github: UiGitHub;
  readonly keys: KeyStore;
  /** Saves the friend's GitHub token as the named login the server's managed keys spend. */
  readonly saveAccount: (name: string, githubToken: string) => void;
  readonly now: () => number;
  readonly randomBytes?: (size: number) => Buffer;
  readonly attemptsPerMinute?: number;
}

interface Join {
  readonly deviceCode: string;
  readonly expiresAt: number;
  intervalSeconds: number;
  nextPollAt: number;
  polling: boolean;
  /** Set once the flow has ended: the answer every later poll gets. */
  outcome: JoinPoll | undefined;
}

const ATTEMPTS_PER_MINUTE = 10;
const MINUTE_MS = 60_000;
/** Joins under way at once; beyond it the oldest is dropped (its friend starts again). */
const MAX_JOINS = 100;
const MAX_ADDRESSES = 10_000;

export function createJoinFlow(options: JoinFlowOptions): JoinFlow {
  const { now, github } = options;
  const random = options.randomBytes ?? cryptoRandomBytes;
  const limit = options.attemptsPerMinute ?? ATTEMPTS_PER_MINUTE;
  const joins = new Map<string, Join>();
  const attempts = new Map<string, number[]>();

  function admit(address: string): void {
    const at = now();
    const recent = (attempts.get(address) ?? []).filter((time) => time > at - MINUTE_MS);
    if (recent.length >= limit) {
      const retryAfter = Math.max(1, Math.ceil(((recent[0] ?? at) + MINUTE_MS - at) / 1000));
      throw new LimitError(
        "rate_limit",
        `Too many join attempts from this address: at most ${limit} a minute; try again in ${retryAfter} s`,
        { code: "join_rate_limited", retryAfter: String(retryAfter) },
      );
    }
    recent.push(at);
    if (attempts.size >= MAX_ADDRESSES && !attempts.has(address)) attempts.clear();
    attempts.set(address, recent);
  }

  function prune(): void {
    const at = now();
    for (const [id, join] of joins) if (join.expiresAt <= at) joins.delete(id);
    while (joins.size >= MAX_JOINS) {
      const oldest = joins.keys().next().value;
      if (oldest === undefined) break;
      joins.delete(oldest);
    }
  }

  async function finish(githubToken: string): Promise<JoinPoll> {
    try {
      await github.checkCopilot(githubToken);
    } catch (error) {
      return {
        status: "denied",
        message:
          "This GitHub account cannot use Copilot" +
          (error instanceof GatewayError ? `: ${error.message}` : "") +
          ". Joining needs an account with its own Copilot seat.",
      };
    }
    const login = await github.login(githubToken).catch(() => undefined);
    if (login === undefined || !isValidName(login) || login.length > 59) {
      return {
        status: "denied",
        message: "GitHub did not say which account signed in; try again.",
      };
    }
    options.saveAccount(`join-${login}`, githubToken);
    for (let suffix = 1; ; suffix++) {
      const name = suffix === 1 ? login : `${login}-${suffix}`;
      try {
        const { key, secret } = options.keys.create({ name, account: `join-${login}` });
        return { status: "done", key, secret };
      } catch (error) {
        if (!(error instanceof KeyStoreError && error.code === "duplicate") || suffix > 99)
          throw error;
      }
    }
  }

  return {
    async start(code, address) {
      admit(address);
      if (!secretsEqual(code, options.inviteCode)) {
        throw new PermissionError("That invite code is not right", { code: "invalid_invite" });
      }
      prune();
      const issued = await github.requestDeviceCode().catch((error: unknown) => {
        throw toUpstreamError(error);
      });
      const joinId = random(32).toString("base64url");
      const at = now();
      const expiresAt = at + issued.expiresInSeconds * 1000;
      joins.set(joinId, {
        deviceCode: issued.deviceCode,
        expiresAt,
        intervalSeconds: issued.intervalSeconds,
        nextPollAt: at + issued.intervalSeconds * 1000,
        polling: false,
        outcome: undefined,
      });
      return {
        joinId,
        userCode: issued.userCode,
        verificationUri: issued.verificationUri,
        expiresAt: new Date(expiresAt).toISOString(),
        interval: issued.intervalSeconds,
      };
    },
    async poll(joinId) {
      const join = joins.get(joinId);
      if (join === undefined) {
        return { status: "expired", message: "This sign-in is over or unknown; start again." };
      }
      if (join.outcome !== undefined) return join.outcome;
      const at = now();
      if (at >= join.expiresAt) {
        joins.delete(joinId);
        return {
          status: "expired",
          message: "The code expired before it was entered; start again.",
        };
      }
      if (join.polling || at < join.nextPollAt) return { status: "pending" };
      join.polling = true;
      try {
        const poll = await github.pollDeviceCode(join.deviceCode, join.intervalSeconds);
        join.nextPollAt = now() + join.intervalSeconds * 1000;
        if (poll.kind === "pending") return { status: "pending" };
        if (poll.kind === "slow_down") {
          join.intervalSeconds = poll.intervalSeconds;
          join.nextPollAt = now() + poll.intervalSeconds * 1000;
          return { status: "pending" };
        }
        const outcome = await finish(poll.token);
        // A key's secret is given once: a later poll of a finished join finds it unknown.
        if (outcome.status === "done") joins.delete(joinId);
        else join.outcome = outcome;
        return outcome;
      } catch (error) {
        if (error instanceof DeviceFlowError && error.reason === "network") {
          return { status: "pending" };
        }
        if (error instanceof DeviceFlowError) {
          joins.delete(joinId);
          return {
            status: error.reason === "expired_token" ? "expired" : "denied",
            message: error.message,
          };
        }
        throw error;
      } finally {
        join.polling = false;
      }
    },
  };
}

function toUpstreamError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new GatewayError(502, "upstream", `GitHub's sign-in could not start: ${message}`, {
    code: "device_flow_failed",
  });
}
