import type { ConfiguredKey } from "../keys/configured-key-names.js";
import { fingerprintSecret } from "../keys/configured-key-names.js";
import { formatCredits } from "../keys/credit-amount.js";
import type { ManagedKey } from "../keys/managed-key.js";
import { renderTable } from "./render-table.js";

export type KeyStatus = "active" | "expired" | "revoked";

export function keyStatus(key: ManagedKey, now: number): KeyStatus {
  if (key.revokedAt !== undefined) return "revoked";
  if (key.expiresAt !== undefined && key.expiresAt <= now) return "expired";
  return "active";
}

/** `2026-08-01 12:00 UTC`: minutes are precise enough for an expiry read by a person. */
export function formatKeyTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** The limits in one line: `12.5 credits/day, 60 requests/min, models gpt-*,o3`; `none` without. */
export function describeLimits(key: ManagedKey): string {
  const parts: string[] = [];
  if (key.nanoCreditsPerDay !== undefined) {
    parts.push(`${formatCredits(key.nanoCreditsPerDay)} credits/day`);
  }
  if (key.nanoCreditsPerMonth !== undefined) {
    parts.push(`${formatCredits(key.nanoCreditsPerMonth)} credits/month`);
  }
  if (key.requestsPerMinute !== undefined) parts.push(`${key.requestsPerMinute} requests/min`);
  if (key.concurrency !== undefined) parts.push(`${key.concurrency} at once`);
  if (key.models !== undefined) parts.push(`models ${key.models.join(",")}`);
  if (key.fallbackModel !== undefined) parts.push(`fallback ${key.fallbackModel}`);
  return parts.length === 0 ? "none" : parts.join(", ");
}

export function describeAccount(account: string | undefined): string {
  return account ?? "server-held";
}

/** The account a configured key spends: the server's, or a share token's own GitHub token. */
function describeConfiguredAccount(key: ConfiguredKey): string {
  return key.githubToken === undefined
    ? "server-held"
    : `GitHub token ${fingerprintSecret(key.githubToken)}`;
}

/** The table of `cogpt keys list`: managed keys, then the configuration's read-only ones. */
export function formatKeyList(
  keys: readonly ManagedKey[],
  configured: readonly ConfiguredKey[],
  now: number,
): string[] {
  if (keys.length === 0 && configured.length === 0) {
    return ["No keys. Make one with `cogpt keys create --name <name>`."];
  }
  const rows = keys.map((key) => [
    key.name,
    key.id,
    describeAccount(key.account),
    keyStatus(key, now),
    key.revokedAt !== undefined
      ? `revoked ${formatKeyTime(key.revokedAt)}`
      : key.expiresAt === undefined
        ? "never"
        : formatKeyTime(key.expiresAt),
    describeLimits(key),
  ]);
  const configuredRows = configured.map((key) => [
    key.name,
    key.fingerprint,
    describeConfiguredAccount(key),
    "read-only",
    "never",
    `none (set in ${key.source})`,
  ]);
  return renderTable([
    ["Name", "Key", "Account", "Status", "Expires", "Limits"],
    ...rows,
    ...configuredRows,
  ]);
}

/** Credits both ways: decimal credits for people, exact nano-credits for programs. */
function creditsJson(name: string, nano: number | undefined): Record<string, number | null> {
  return {
    [`credits_per_${name}`]: nano === undefined ? null : Number(formatCredits(nano)),
    [`nano_credits_per_${name}`]: nano ?? null,
  };
}

/** One managed key in `--json` output (never its secret). */
export function managedKeyToJson(key: ManagedKey, now: number): Record<string, unknown> {
  return {
    name: key.name,
    id: key.id,
    kind: "managed",
    read_only: false,
    status: keyStatus(key, now),
    account: key.account ?? null,
    created_at: new Date(key.createdAt).toISOString(),
    expires_at: key.expiresAt === undefined ? null : new Date(key.expiresAt).toISOString(),
    revoked_at: key.revokedAt === undefined ? null : new Date(key.revokedAt).toISOString(),
    ...creditsJson("day", key.nanoCreditsPerDay),
    ...creditsJson("month", key.nanoCreditsPerMonth),
    requests_per_minute: key.requestsPerMinute ?? null,
    concurrency: key.concurrency ?? null,
    models: key.models ?? null,
    fallback_model: key.fallbackModel ?? null,
  };
}

/** One key of the configuration in `--json` output: its name and fingerprint, never the secret. */
export function configuredKeyToJson(key: ConfiguredKey): Record<string, unknown> {
  return {
    name: key.name,
    fingerprint: key.fingerprint,
    kind: key.source,
    read_only: true,
    status: "active",
    account:
      key.githubToken === undefined ? null : `github-token:${fingerprintSecret(key.githubToken)}`,
  };
}
