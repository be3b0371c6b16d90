import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isIPv4, isIPv6 } from "node:net";
import { AuthenticationError, PermissionError } from "../../errors.js";
import { configuredKeyNames } from "../../keys/configured-key-names.js";
import { MANAGED_KEY_PREFIX, type KeyStore, type ManagedKey } from "../../keys/managed-key.js";

export interface AuthOptions {
  /** share token → GitHub token. */
  readonly shareTokens: ReadonlyMap<string, string>;
  /** The server-held GitHub token (GITHUB_TOKEN or `cogpt login --save`), if any. */
  readonly serverGithubToken?: string | undefined;
  /** Keys that unlock the server-held account (API_KEYS). */
  readonly apiKeys?: readonly string[];
  /** Browser origins explicitly allowed to use the server-held account without a key. */
  readonly trustedOrigins?: readonly string[];
  /** The owner's managed keys (`cogpt keys`), looked up at every request: a revocation holds at once. */
  readonly keys?: KeyStore | undefined;
  /** The GitHub token of a saved login (`cogpt login --save --name …`), for keys that spend it. */
  readonly savedAccount?: ((name: string) => string | undefined) | undefined;
  /** Epoch ms, for expiry. */
  readonly now?: () => number;
}

/** What authentication reads of a request. */
export interface CredentialRequest {
  readonly authorization: string | undefined;
  readonly apiKey: string | undefined;
  readonly origin: string | undefined;
  readonly remoteAddress: string | undefined;
  /** The `Host` header: a page reaching the loopback through DNS rebinding names its own host. */
  readonly host: string | undefined;
  /** The `Sec-Fetch-Site` header, which browsers send and pages cannot forge. */
  readonly fetchSite: string | undefined;
}

export interface Credential {
  /** The GitHub token to call Copilot with. */
  readonly githubToken: string;
  /** Short, non-reversible fingerprint of the credential, for logs. */
  readonly fingerprint: string;
  /**
   * Whether the gateway itself vouches for the credential (one of its keys, a share token, its
   * own account); false for a client's GitHub token, which only GitHub can judge.
   */
  readonly vouched: boolean;
  /**
   * What the ledger calls the credential: the managed key's name, `API_KEYS#n`, `SHARE_TOKEN#n`,
   * `github:<fingerprint>` for a client's own token, `local` for the keyless loopback.
   */
  readonly keyName: string;
  /** The managed key, whose limits apply. */
  readonly key?: ManagedKey | undefined;
  /** Fingerprint of the GitHub account spent (its token's), for the ledger and Copilot's limits. */
  readonly account: string;
}

const SHARE_PREFIX = "share-";
/** Tokens GitHub issues (app, OAuth, classic and fine-grained PATs), and legacy 40-hex ones. */
const GITHUB_TOKEN_SHAPE = /^(?:gh[uopsr]_|github_pat_)[A-Za-z0-9_]+$|^[0-9a-f]{40}$/;

/**
 * Finds the client's credential (`Authorization: Bearer …` or `x-api-key`) and turns it into the
 * GitHub token to use:
 * - one of API_KEYS → the server-held account;
 * - a share token → the GitHub token it stands for;
 * - a GitHub token → itself (CoGPT's bring-your-own model);
 * - nothing (or a placeholder key) → the server-held account, but only for a loopback client
 *   whose request carries no browser `Origin` (or a trusted one), is addressed to a loopback
 *   `Host` (not a rebound DNS name), is not marked `Sec-Fetch-Site: cross-site`/`same-site`
 *   (unless from a trusted origin), and only when no API_KEYS are set: a web page open in the
 *   user's browser must never get to use the account.
 * Keys are compared by their SHA-256, in constant time, so timing says nothing about a guess.
 */
export function createAuth(options: AuthOptions): (request: CredentialRequest) => Credential {
  const configured = configuredKeyNames({
    apiKeys: options.apiKeys ?? [],
    shareTokens: options.shareTokens,
  });
  const shares = new Map<string, { githubToken: string; name: string }>();
  for (const entry of configured) {
    if (entry.githubToken !== undefined) {
      shares.set(digestHex(entry.secret), { githubToken: entry.githubToken, name: entry.name });
    }
  }
  const apiKeyDigests = configured
    .filter((entry) => entry.source === "API_KEYS")
    .map((entry) => ({ digest: digest(entry.secret), name: entry.name }));
  const now = options.now ?? Date.now;
  const serverToken = options.serverGithubToken;
  const trusted = new Set(options.trustedOrigins ?? []);
  const fingerprints = new Map<string, string>();

  /** The API_KEYS entry's name, or undefined; every entry is compared, found or not. */
  function apiKeyName(credential: string): string | undefined {
    const candidate = digest(credential);
    let found: string | undefined;
    for (const key of apiKeyDigests) {
      if (timingSafeEqual(candidate, key.digest)) found ??= key.name;
    }
    return found;
  }

  function managedKeyCredential(secret: string): Credential {
    const key = options.keys?.findBySecret(secret);
    if (key === undefined) {
      throw new AuthenticationError("Unknown key: no key of this server has this secret", {
        code: "invalid_api_key",
      });
    }
    const at = now();
    if (key.revokedAt !== undefined) {
      throw new AuthenticationError(
        `The key "${key.name}" was revoked at ${new Date(key.revokedAt).toISOString()}`,
        { code: "key_revoked" },
      );
    }
    if (key.expiresAt !== undefined && key.expiresAt <= at) {
      throw new AuthenticationError(
        `The key "${key.name}" expired at ${new Date(key.expiresAt).toISOString()}`,
        { code: "key_expired" },
      );
    }
    const githubToken =
      key.account === undefined ? serverToken : options.savedAccount?.(key.account);
    if (githubToken === undefined) {
      throw new AuthenticationError(
        key.account === undefined
          ? `The key "${key.name}" spends the server-held account, but the server has none ` +
              "(set GITHUB_TOKEN or run `cogpt login --save`)"
          : `The key "${key.name}" spends the saved login "${key.account}", which this server ` +
              `no longer has (run \`cogpt login --save --name ${key.account}\`)`,
        { code: "account_missing" },
      );
    }
    return {
      githubToken,
      fingerprint: `key:${key.id}`,
      vouched: true,
      keyName: key.name,
      key,
      account: fingerprintFor(githubToken),
    };
  }

  function mayUseServerAccountWithoutKey(request: CredentialRequest): boolean {
    if (serverToken === undefined || apiKeyDigests.length > 0) return false;
    if (!isLoopback(request.remoteAddress)) return false;
    const { origin, fetchSite } = request;
    const trustedOrigin = origin !== undefined && trusted.has(origin.toLowerCase());
    switch (findBrowserSign(request, trustedOrigin)) {
      case undefined:
        return true;
      case "origin":
        throw new PermissionError(
          "Browser requests (with an Origin header) cannot use the server-held account; " +
            "pass a GitHub token or an API key, or list the origin in CORS_ORIGINS",
          { code: "origin_not_allowed" },
        );
      case "host":
        throw new PermissionError(
          "The server-held account serves only requests addressed to a loopback name (Host: " +
            "localhost, 127.0.0.1 or [::1]); another Host is what a page reaching this machine " +
            "through DNS rebinding sends. Pass a GitHub token or an API key",
          { code: "host_not_allowed" },
        );
      case "cross-site":
        throw new PermissionError(
          `A browser request from another site (Sec-Fetch-Site: ${fetchSite}) cannot use the ` +
            "server-held account; pass a GitHub token or an API key, or list the origin in CORS_ORIGINS",
          { code: "cross_site_request" },
        );
    }
  }

  return (request) => {
    const credential = readCredential(request.authorization, request.apiKey);
    let githubToken: string;
    let fingerprint: string;
    let keyName: string;
    let vouched = true;
    const apiKey =
      credential !== undefined && serverToken !== undefined ? apiKeyName(credential) : undefined;
    if (credential !== undefined && apiKey !== undefined && serverToken !== undefined) {
      githubToken = serverToken;
      fingerprint = fingerprintFor(credential);
      keyName = apiKey;
    } else if (credential?.startsWith(MANAGED_KEY_PREFIX) === true && options.keys !== undefined) {
      return managedKeyCredential(credential);
    } else if (credential?.startsWith(SHARE_PREFIX) === true) {
      const mapped = shares.get(digestHex(credential));
      if (mapped === undefined) {
        throw new AuthenticationError("Unknown share token", { code: "invalid_api_key" });
      }
      githubToken = mapped.githubToken;
      fingerprint = fingerprintFor(credential);
      keyName = mapped.name;
    } else if (credential !== undefined && GITHUB_TOKEN_SHAPE.test(credential)) {
      githubToken = credential;
      fingerprint = fingerprintFor(credential);
      keyName = `github:${fingerprint.slice(fingerprint.indexOf(":") + 1)}`;
      vouched = false;
    } else if (mayUseServerAccountWithoutKey(request)) {
      githubToken = serverToken ?? "";
      fingerprint = "server";
      keyName = "local";
    } else if (credential === undefined) {
      throw new AuthenticationError(
        "Missing API key: pass your GitHub token (ghu_…) or a share token (share-…) as the API key " +
          "(Authorization: Bearer <key>, or x-api-key: <key>)",
        { code: "missing_api_key" },
      );
    } else {
      throw new AuthenticationError(
        "Unknown API key: use a GitHub token (ghu_…), a share token (share-…), or one of the server's API_KEYS",
        { code: "invalid_api_key" },
      );
    }
    return { githubToken, fingerprint, vouched, keyName, account: fingerprintFor(githubToken) };
  };

  function fingerprintFor(credential: string): string {
    let fingerprint = fingerprints.get(credential);
    if (fingerprint === undefined) {
      fingerprint = fingerprintOf(credential);
      // Bounded: a flood of random keys must not grow memory without limit.
      if (fingerprints.size > 10_000) fingerprints.clear();
      fingerprints.set(credential, fingerprint);
    }
    return fingerprint;
  }
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
  return `${kind}:${digestHex(`cogpt:fingerprint:${credential}`).slice(0, 8)}`;
}

/**
 * What marks a loopback request as a browser page's, which what the loopback gets without a key
 * (the server-held account, /metrics) must refuse: an `Origin` (unless trusted), a `Host` that
 * is not a loopback name (DNS rebinding), a cross-site or same-site `Sec-Fetch-Site` (unless the
 * origin is trusted). Undefined: none.
 */
export function findBrowserSign(
  request: Pick<CredentialRequest, "origin" | "host" | "fetchSite">,
  trustedOrigin: boolean,
): "origin" | "host" | "cross-site" | undefined {
  if (request.origin !== undefined && !trustedOrigin) return "origin";
  if (!isLoopbackHost(request.host)) return "host";
  const { fetchSite } = request;
  if ((fetchSite === "cross-site" || fetchSite === "same-site") && !trustedOrigin) {
    return "cross-site";
  }
  return undefined;
}

/** What authentication reads of a request, from its headers and its socket. */
export function readCredentialRequest(incoming: IncomingMessage): CredentialRequest {
  const header = (name: string): string | undefined => {
    const value = incoming.headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  };
  return {
    authorization: header("authorization"),
    apiKey: header("x-api-key"),
    origin: header("origin"),
    remoteAddress: incoming.socket.remoteAddress,
    host: header("host"),
    fetchSite: header("sec-fetch-site"),
  };
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const plain = address.startsWith("::ffff:") ? address.slice(7) : address;
  return plain === "::1" || plain.startsWith("127.");
}

/**
 * `localhost`, 127.0.0.0/8 or `[::1]` (IPv4-mapped loopback too), with or without a port: the
 * names a client on this machine uses. Anything else names some other host.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+))(?::\d{1,5})?$/.exec(host.trim());
  if (match === null) return false;
  const [, bracketed, name] = match;
  if (bracketed !== undefined) return isIPv6(bracketed) && isLoopback(bracketed.toLowerCase());
  const lower = (name ?? "").toLowerCase();
  return lower === "localhost" || (isIPv4(lower) && lower.startsWith("127."));
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

function digestHex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
