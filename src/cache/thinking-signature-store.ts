/** Who made a thinking signature: the Copilot model, and the account it answered. */
export interface SignatureOrigin {
  readonly model: string;
  /** A short hash of the account's GitHub token, never the token. */
  readonly account: string;
}

/**
 * Which model made which thinking signature, keyed by a hash of the signature (signatures run to
 * kilobytes). Bounded: past `maxEntries` the oldest are forgotten, and a forgotten signature is
 * treated as unknown (kept in requests), the safe side.
 */
export interface ThinkingSignatureStore {
  readonly kind: "sqlite" | "memory";
  get(signatureHash: string): SignatureOrigin | undefined;
  set(signatureHash: string, origin: SignatureOrigin): void;
  close(): void;
}

/** About 100 bytes a signature: 50,000 of them are a few MB, months of an agent's turns. */
export const DEFAULT_MAX_SIGNATURES = 50_000;

/** A store for this process only: a Map, oldest first, trimmed on insert. */
export function createMemoryThinkingSignatureStore(
  maxEntries = DEFAULT_MAX_SIGNATURES,
): ThinkingSignatureStore {
  const entries = new Map<string, SignatureOrigin>();
  return {
    kind: "memory",
    get: (signatureHash) => entries.get(signatureHash),
    set(signatureHash, origin) {
      // Re-inserting moves a seen signature to the young end.
      entries.delete(signatureHash);
      entries.set(signatureHash, origin);
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
    },
    close: () => entries.clear(),
  };
}
