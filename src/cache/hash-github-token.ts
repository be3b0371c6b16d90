import { createHash } from "node:crypto";

// The prefix keeps cache keys from being a bare hash of the token, which could be looked up
// against hashes of leaked tokens, and lets a future format change use a new key space.
const DOMAIN_PREFIX = "cogpt:copilot-token:v1:";

/** The token cache key for a GitHub token: never the token itself. */
export function hashGitHubToken(token: string): string {
  return createHash("sha256").update(DOMAIN_PREFIX).update(token).digest("hex");
}
