import { createHash, randomBytes as cryptoRandomBytes, timingSafeEqual } from "node:crypto";
import type { UiRole } from "../../protocols/ui-api.js";

export interface UiSession {
  /** The cookie's value: 32 random bytes, base64url. */
  readonly id: string;
  readonly role: UiRole;
  /** The managed key a friend signed in with; null for the owner. */
  readonly keyName: string | null;
  /** Sent back in `x-cogpt-csrf` with every change. */
  readonly csrfToken: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

/**
 * The dashboard's sessions and one-time sign-in links, in memory: a restart signs everyone out,
 * which is what a gateway that prints a new link at each start wants anyway.
 */
export interface UiSessions {
  create(role: UiRole, keyName: string | null): UiSession;
  /** The live session of that cookie value, if any. */
  get(id: string): UiSession | undefined;
  delete(id: string): void;
  /** Ends every session of a friend's key (revoked). */
  deleteForKey(keyName: string): void;
  /** A new one-time sign-in token, valid SIGN_IN_TOKEN_MS. */
  issueSignInToken(): string;
  /** true once per issued token, within its validity. */
  redeemSignInToken(token: string): boolean;
}

export const SESSION_MS = 12 * 60 * 60 * 1000;
export const SIGN_IN_TOKEN_MS = 10 * 60 * 1000;
/** More live sessions than a small shared server ever has; the oldest go first beyond it. */
const MAX_SESSIONS = 10_000;

export interface UiSessionsOptions {
  readonly now: () => number;
  readonly randomBytes?: (size: number) => Buffer;
}

export function createUiSessions(options: UiSessionsOptions): UiSessions {
  const { now } = options;
  const random = options.randomBytes ?? cryptoRandomBytes;
  // By the SHA-256 of the cookie value, so a look-up's timing says nothing of a stored id.
  const sessions = new Map<string, UiSession>();
  const signInTokens = new Map<string, number>();

  function prune(): void {
    const at = now();
    for (const [digest, session] of sessions) {
      if (session.expiresAt <= at) sessions.delete(digest);
    }
    for (const [digest, until] of signInTokens) {
      if (until <= at) signInTokens.delete(digest);
    }
    while (sessions.size >= MAX_SESSIONS) {
      const oldest = sessions.keys().next().value;
      if (oldest === undefined) break;
      sessions.delete(oldest);
    }
  }

  return {
    create(role, keyName) {
      prune();
      const session: UiSession = {
        id: random(32).toString("base64url"),
        role,
        keyName,
        csrfToken: random(32).toString("base64url"),
        expiresAt: now() + SESSION_MS,
      };
      sessions.set(digestOf(session.id), session);
      return session;
    },
    get(id) {
      const digest = digestOf(id);
      const session = sessions.get(digest);
      if (session === undefined) return undefined;
      if (session.expiresAt <= now()) {
        sessions.delete(digest);
        return undefined;
      }
      return session;
    },
    delete(id) {
      sessions.delete(digestOf(id));
    },
    deleteForKey(keyName) {
      for (const [digest, session] of sessions) {
        if (session.role === "friend" && session.keyName === keyName) sessions.delete(digest);
      }
    },
    issueSignInToken() {
      prune();
      const token = random(32).toString("base64url");
      signInTokens.set(digestOf(token), now() + SIGN_IN_TOKEN_MS);
      return token;
    },
    redeemSignInToken(token) {
      const digest = digestOf(token);
      const until = signInTokens.get(digest);
      signInTokens.delete(digest);
      return until !== undefined && until > now();
    },
  };
}

function digestOf(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

/** Constant-time comparison of two secrets of any length (their SHA-256 digests are compared). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
