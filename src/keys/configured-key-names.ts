import { createHash } from "node:crypto";
import type { Config } from "../config/config.js";

/**
 * A key the configuration gives (API_KEYS, SHARE_TOKEN), named as the ledger and `cogpt keys
 * list` name it: read-only, but accounted like a managed key.
 */
export interface ConfiguredKey {
  /** `API_KEYS#1`, `API_KEYS#2`, … then `SHARE_TOKEN#1`, … in the order they are configured. */
  readonly name: string;
  readonly source: "API_KEYS" | "SHARE_TOKEN";
  /** What a client presents; never shown: `fingerprint` is. */
  readonly secret: string;
  /** `sha256:` and the first 8 hex digits of the secret's SHA-256: tells keys apart, reveals none. */
  readonly fingerprint: string;
  /** For a share token: the GitHub token it spends; for an API key: undefined (the server-held account). */
  readonly githubToken: string | undefined;
}

/** Every key of the configuration, named by where it is set and its position there. */
export function configuredKeyNames(
  config: Pick<Config, "apiKeys" | "shareTokens">,
): ConfiguredKey[] {
  const apiKeys = config.apiKeys.map((secret, index): ConfiguredKey => ({
    name: `API_KEYS#${index + 1}`,
    source: "API_KEYS",
    secret,
    fingerprint: fingerprintSecret(secret),
    githubToken: undefined,
  }));
  const shareTokens = [...config.shareTokens].map(
    ([secret, githubToken], index): ConfiguredKey => ({
      name: `SHARE_TOKEN#${index + 1}`,
      source: "SHARE_TOKEN",
      secret,
      fingerprint: fingerprintSecret(secret),
      githubToken,
    }),
  );
  return [...apiKeys, ...shareTokens];
}

/** A short, non-reversible tag for a secret, safe to print. */
export function fingerprintSecret(secret: string): string {
  return `sha256:${createHash("sha256").update(secret).digest("hex").slice(0, 8)}`;
}
