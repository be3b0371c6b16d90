/** A Copilot token as the exchange returned it, kept until shortly before it expires. */
export interface CachedCopilotToken {
  /** The opaque Copilot token (sent as `Authorization: Bearer …`). */
  readonly token: string;
  /** Unix seconds. */
  readonly expiresAt: number;
  /** Seconds after issue at which GitHub suggests a refresh. */
  readonly refreshIn: number;
  /** Unix seconds at which this token was obtained. */
  readonly obtainedAt: number;
  /** Copilot API base URL for this seat (`endpoints.api`), already validated. */
  readonly apiUrl: string | undefined;
  /** Copilot SKU (plan) string, for logs and `usage`. */
  readonly sku: string | undefined;
}

/**
 * Where Copilot tokens are kept between requests (and, for SQLite, between restarts).
 * Keys are a hash of the GitHub token, never the token itself.
 */
export interface TokenCache {
  /** "sqlite" or "memory": what actually backs this cache (after any fallback). */
  readonly kind: "sqlite" | "memory";
  /** Why SQLite is not in use although it was asked for (CACHE=true), for /healthz and doctor. */
  readonly error?: string | undefined;
  get(key: string): CachedCopilotToken | undefined;
  set(key: string, value: CachedCopilotToken): void;
  delete(key: string): void;
  close(): void;
}
