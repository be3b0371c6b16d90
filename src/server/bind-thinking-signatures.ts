import { createHash } from "node:crypto";
import type { ThinkingSignatureStore } from "../cache/thinking-signature-store.js";
import type { ThinkingSignatures } from "../dialects/dialect.js";

// Domain prefixes keep the stored hashes apart from any other hash of the same strings.
const SIGNATURE_PREFIX = "cogpt:thinking-signature:v1:";
const ACCOUNT_PREFIX = "cogpt:signature-account:v1:";

/**
 * The signature store as one request's adapter sees it: bound to the request's account (a
 * signature is Copilot's for one model of one account), with signatures and tokens hashed.
 */
export function bindThinkingSignatures(
  store: ThinkingSignatureStore,
  githubToken: string,
): ThinkingSignatures {
  // Hashed on first use: most requests carry no thinking block and get no signature back.
  let account: string | undefined;
  const accountKey = () => (account ??= hash(ACCOUNT_PREFIX, githubToken).slice(0, 16));
  return {
    isForeign(signature, modelId) {
      const origin = store.get(hash(SIGNATURE_PREFIX, signature));
      return origin !== undefined && (origin.model !== modelId || origin.account !== accountKey());
    },
    record(signature, modelId) {
      store.set(hash(SIGNATURE_PREFIX, signature), { model: modelId, account: accountKey() });
    },
  };
}

function hash(prefix: string, value: string): string {
  return createHash("sha256").update(prefix).update(value).digest("hex");
}
