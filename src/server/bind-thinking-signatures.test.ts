import { describe, expect, it } from "vitest";
import { createMemoryThinkingSignatureStore } from "../cache/thinking-signature-store.js";
import { bindThinkingSignatures } from "./bind-thinking-signatures.js";

describe("bindThinkingSignatures", () => {
  it("calls a signature foreign only when another model or account made it", () => {
    const store = createMemoryThinkingSignatureStore();
    const alice = bindThinkingSignatures(store, "ghu_alice");
    const bob = bindThinkingSignatures(store, "ghu_bob");
    alice.record("sig-1", "claude-sonnet-4.5");
    expect([
      alice.isForeign("sig-1", "claude-sonnet-4.5"),
      alice.isForeign("sig-1", "claude-opus-4.5"),
      bob.isForeign("sig-1", "claude-sonnet-4.5"),
      alice.isForeign("sig-never-seen", "claude-opus-4.5"),
    ]).toEqual([false, true, true, false]);
  });

  it("stores hashes, never the signature or the token", () => {
    const keys: string[] = [];
    const values: unknown[] = [];
    const store = createMemoryThinkingSignatureStore();
    const spy = {
      ...store,
      set(hash: string, origin: { model: string; account: string }) {
        keys.push(hash);
        values.push(origin);
        store.set(hash, origin);
      },
    };
    bindThinkingSignatures(spy, "ghu_alice").record("sig-1", "claude-sonnet-4.5");
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(values).toEqual([
      { model: "claude-sonnet-4.5", account: expect.stringMatching(/^[0-9a-f]{16}$/) },
    ]);
    expect(JSON.stringify([keys, values])).not.toMatch(/sig-1|ghu_alice/);
  });
});
