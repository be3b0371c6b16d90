import type { CachedCopilotToken, TokenCache } from "../cache/token-cache.js";
import { hashGitHubToken } from "../cache/hash-github-token.js";
import type { CopilotTokenGrant } from "../github/github-api.js";
import { GatewayError } from "../errors.js";

export interface TokenSourceOptions {
  readonly cache: TokenCache;
  readonly exchange: (githubToken: string) => Promise<CopilotTokenGrant>;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
  /** Refresh this many seconds before `expires_at` at the latest. */
  readonly expiryMarginSeconds?: number;
  /**
   * Told once about every exchange with GitHub (not about cache hits, nor about the requests
   * that shared it), for the log and the metrics; never given the token itself.
   */
  readonly onExchange?: (event: TokenExchangeEvent) => void;
}

export type TokenExchangeOutcome = "ok" | "failed";

export type TokenExchangeEvent =
  | {
      readonly outcome: "ok";
      readonly accountKey: string;
      readonly sku: string | undefined;
      readonly expiresAt: number;
    }
  /** GitHub refused or could not be reached (after the caller's retries). */
  | { readonly outcome: "failed"; readonly accountKey: string };

export interface TokenLease {
  readonly copilot: CachedCopilotToken;
  /** Hash of the GitHub token: the key for per-account state (cache rows, models, machine id). */
  readonly accountKey: string;
}

export interface TokenSource {
  /**
   * A valid Copilot token for this GitHub token. With `rejected`, the caller says Copilot refused
   * that token (401): it is replaced unless another request already replaced it.
   */
  getToken(githubToken: string, rejected?: string): Promise<TokenLease>;
  /** How many exchanges this process started (for tests, health and the soak report). */
  readonly exchangeCount: number;
}

interface Account {
  readonly key: string;
  current: CachedCopilotToken | undefined;
  pending: Promise<CachedCopilotToken> | undefined;
  /** After a failed refresh that kept the old token, no new attempt before this (unix s). */
  holdUntil: number;
}

/** How long a still-valid token keeps serving, untried, after GitHub failed to refresh it. */
const REFRESH_HOLD_SECONDS = 15;

/**
 * Copilot tokens per GitHub token: memory first, then the persistent cache, then ONE exchange
 * however many requests are waiting (single flight). A failed exchange is never cached; while
 * GitHub is failing, a token that has not expired yet keeps serving.
 */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const now = options.now ?? Date.now;
  const margin = options.expiryMarginSeconds ?? 300;
  // Keyed by the raw GitHub token only in memory, so the hot path does not hash on every request.
  const accounts = new Map<string, Account>();
  let exchangeCount = 0;

  function isFresh(token: CachedCopilotToken, nowSeconds: number): boolean {
    // Short-lived tokens (the free tier's last 5 minutes) get a margin in proportion.
    const lifetime = token.expiresAt - token.obtainedAt;
    const safety = Math.min(margin, Math.floor(lifetime / 4));
    const refreshAt = Math.min(token.obtainedAt + token.refreshIn, token.expiresAt - safety);
    return nowSeconds < refreshAt;
  }

  function accountFor(githubToken: string): Account {
    let account = accounts.get(githubToken);
    if (account === undefined) {
      const key = hashGitHubToken(githubToken);
      account = { key, current: options.cache.get(key), pending: undefined, holdUntil: 0 };
      accounts.set(githubToken, account);
    }
    return account;
  }

  function refresh(githubToken: string, account: Account): Promise<CachedCopilotToken> {
    if (account.pending !== undefined) return account.pending;
    const previous = account.current;
    exchangeCount++;
    // GitHub answered: whatever fails after this (the cache) is not a failed exchange.
    let granted = false;
    const pending = options
      .exchange(githubToken)
      .then((grant) => {
        granted = true;
        const token: CachedCopilotToken = {
          token: grant.token,
          expiresAt: grant.expiresAt,
          refreshIn: grant.refreshIn,
          obtainedAt: Math.floor(now() / 1000),
          apiUrl: grant.apiUrl,
          sku: grant.sku,
        };
        account.current = token;
        options.cache.set(account.key, token);
        options.onExchange?.({
          outcome: "ok",
          accountKey: account.key,
          sku: token.sku,
          expiresAt: token.expiresAt,
        });
        return token;
      })
      .catch((error: unknown) => {
        if (!granted) options.onExchange?.({ outcome: "failed", accountKey: account.key });
        // GitHub is down but the old token still works: keep serving with it.
        const nowSeconds = Math.floor(now() / 1000);
        const stillValid = previous !== undefined && previous.expiresAt - 30 > nowSeconds;
        if (stillValid && isTransient(error)) {
          // Don't make every request wait for a failing GitHub: try again a little later.
          account.holdUntil = nowSeconds + REFRESH_HOLD_SECONDS;
          return previous;
        }
        throw error;
      })
      .finally(() => {
        account.pending = undefined;
      });
    account.pending = pending;
    return pending;
  }

  return {
    async getToken(githubToken, rejected) {
      const account = accountFor(githubToken);
      const current = account.current;
      if (current !== undefined) {
        if (rejected !== undefined && current.token === rejected) {
          account.current = undefined;
          options.cache.delete(account.key);
        } else {
          const nowSeconds = Math.floor(now() / 1000);
          const held = nowSeconds < account.holdUntil && current.expiresAt - 30 > nowSeconds;
          if (held || isFresh(current, nowSeconds)) {
            return { copilot: current, accountKey: account.key };
          }
        }
      }
      const token = await refresh(githubToken, account);
      return { copilot: token, accountKey: account.key };
    },
    get exchangeCount() {
      return exchangeCount;
    },
  };
}

function isTransient(error: unknown): boolean {
  if (!(error instanceof GatewayError)) return true;
  return error.status >= 500 || error.status === 429;
}
