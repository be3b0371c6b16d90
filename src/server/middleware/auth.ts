import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { AuthenticationError } from "../../errors.js";
import type { AppEnv } from "../app-env.js";

export interface AuthOptions {
  /** share token → GitHub token. */
  readonly shareTokens: ReadonlyMap<string, string>;
}

const SHARE_PREFIX = "share-";

/**
 * Finds the client's credential (`Authorization: Bearer …` or `x-api-key`) and turns it into the
 * GitHub token to use. Share tokens are looked up by their SHA-256, so the lookup's timing says
 * nothing about how much of a guessed token is right.
 */
export function createAuth(options: AuthOptions): MiddlewareHandler<AppEnv> {
  const shares = new Map<string, string>();
  for (const [share, githubToken] of options.shareTokens) shares.set(digest(share), githubToken);
  const fingerprints = new Map<string, string>();

  return async (c, next) => {
    const credential = readCredential(c.req.header("authorization"), c.req.header("x-api-key"));
    if (credential === undefined) {
      throw new AuthenticationError(
        "Missing API key: pass your GitHub token (ghu_…) or a share token (share-…) as the API key " +
          "(Authorization: Bearer <key>, or x-api-key: <key>)",
        { code: "missing_api_key" },
      );
    }
    let githubToken = credential;
    if (credential.startsWith(SHARE_PREFIX)) {
      const mapped = shares.get(digest(credential));
      if (mapped === undefined) {
        throw new AuthenticationError("Unknown share token", { code: "invalid_api_key" });
      }
      githubToken = mapped;
    }
    let fingerprint = fingerprints.get(credential);
    if (fingerprint === undefined) {
      fingerprint = fingerprintOf(credential);
      // Bounded: a flood of random keys must not grow memory without limit.
      if (fingerprints.size > 10_000) fingerprints.clear();
      fingerprints.set(credential, fingerprint);
    }
    c.set("githubToken", githubToken);
    c.set("credential", fingerprint);
    await next();
  };
}

export function readCredential(
  authorization: string | undefined,
  apiKey: string | undefined,
): string | undefined {
  if (authorization !== undefined) {
    const match = /^\s*(?:bearer|token)\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1] !== undefined) return match[1];
  }
  const key = apiKey?.trim();
  return key === undefined || key === "" ? undefined : key;
}

/** `share-…` or `ghu_…` kept as a prefix, then 8 hex of a hash: enough to tell keys apart in logs. */
export function fingerprintOf(credential: string): string {
  const kind = credential.startsWith(SHARE_PREFIX)
    ? "share"
    : (/^[a-z]+_/.exec(credential)?.[0].slice(0, -1) ?? "key");
  return `${kind}:${digest(`cogpt:fingerprint:${credential}`).slice(0, 8)}`;
}

function digest(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
