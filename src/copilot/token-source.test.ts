import { describe, expect, it } from "vitest";
import { createMemoryTokenCache } from "../cache/memory-token-cache.js";
import { hashGitHubToken } from "../cache/hash-github-token.js";
import type { CopilotTokenGrant } from "../github/github-api.js";
import { UpstreamConnectionError, AuthenticationError } from "../errors.js";
import { createTokenSource } from "./token-source.js";

function grant(n: number, expiresAt: number): CopilotTokenGrant {
  return {
    token: `copilot-${n}`,
    expiresAt,
    refreshIn: 1500,
    apiUrl: "https://api.example",
    sku: "x",
  };
}

describe("createTokenSource", () => {
  it("exchanges once, then reuses the token until refresh_in", async () => {
    let time = 1_000_000_000;
    let n = 0;
    const cache = createMemoryTokenCache();
    const source = createTokenSource({
      cache,
      now: () => time * 1000,
      exchange: async () => grant(++n, time + 1800),
    });
    expect((await source.getToken("ghu_a")).copilot.token).toBe("copilot-1");
    time += 1499;
    expect((await source.getToken("ghu_a")).copilot.token).toBe("copilot-1");
    time += 1;
    expect((await source.getToken("ghu_a")).copilot.token).toBe("copilot-2");
    expect(source.exchangeCount).toBe(2);
    expect(cache.get(hashGitHubToken("ghu_a"))?.token).toBe("copilot-2");
  });

  it("refreshes at the expiry margin when refresh_in is longer", async () => {
    let time = 1_000;
    let n = 0;
    const source = createTokenSource({
      cache: createMemoryTokenCache(),
      now: () => time * 1000,
      exchange: async () => ({ ...grant(++n, time + 3600), refreshIn: 10_000 }),
    });
    await source.getToken("ghu_a");
    time += 3299;
    expect((await source.getToken("ghu_a")).copilot.token).toBe("copilot-1");
    time += 1;
    expect((await source.getToken("ghu_a")).copilot.token).toBe("copilot-2");
  });

  it("keeps the margin in proportion for short-lived tokens", async () => {
    let time = 1_000;
    let n = 0;
    const source = createTokenSource({
      cache: createMemoryTokenCache(),
      now: () => time * 1000,
      exchange: async () => ({ ...grant(++n, time + 8), refreshIn: 100 }),
    });
    await source.getToken("ghu_a");
    time += 5;
    expect((await source.getToken("ghu_a")).copilot.token).toBe("copilot-1");
    time += 1;
    expect((await source.getToken("ghu_a")).copilot.token).toBe("copilot-2");
  });

  it("shares one exchange among concurrent requests", async () => {
    let n = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const source = createTokenSource({
      cache: createMemoryTokenCache(),
      exchange: async () => {
        n++;
        await gate;
        return grant(n, Math.floor(Date.now() / 1000) + 1800);
      },
    });
    const pending = Array.from({ length: 50 }, () => source.getToken("ghu_a"));
    release();
    const tokens = await Promise.all(pending);
    expect(new Set(tokens.map((lease) => lease.copilot.token))).toEqual(new Set(["copilot-1"]));
    expect(n).toBe(1);
  });

  it("uses a token cached by an earlier process", async () => {
    const cache = createMemoryTokenCache();
    const now = Math.floor(Date.now() / 1000);
    cache.set(hashGitHubToken("ghu_a"), {
      token: "from-cache",
      expiresAt: now + 1700,
      refreshIn: 1500,
      obtainedAt: now - 100,
      apiUrl: undefined,
      sku: undefined,
    });
    const source = createTokenSource({
      cache,
      exchange: async () => {
        throw new Error("must not exchange");
      },
    });
    expect((await source.getToken("ghu_a")).copilot.token).toBe("from-cache");
  });

  it("replaces a rejected token once, whoever reports it", async () => {
    let n = 0;
    const source = createTokenSource({
      cache: createMemoryTokenCache(),
      exchange: async () => grant(++n, Math.floor(Date.now() / 1000) + 1800),
    });
    await source.getToken("ghu_a");
    const [a, b] = await Promise.all([
      source.getToken("ghu_a", "copilot-1"),
      source.getToken("ghu_a", "copilot-1"),
    ]);
    expect([a.copilot.token, b.copilot.token, n]).toEqual(["copilot-2", "copilot-2", 2]);
    // A late report about the old token does not throw away the new one.
    expect((await source.getToken("ghu_a", "copilot-1")).copilot.token).toBe("copilot-2");
    expect(n).toBe(2);
  });

  it("tells onExchange once per exchange with GitHub, not per cache hit or shared wait", async () => {
    let time = 1_000_000;
    let failing = false;
    const events: unknown[] = [];
    const source = createTokenSource({
      cache: createMemoryTokenCache(),
      now: () => time * 1000,
      exchange: async () => {
        if (failing) throw new UpstreamConnectionError("GitHub unreachable");
        return grant(1, time + 1800);
      },
      onExchange: (event) => events.push(event),
    });
    const accountKey = hashGitHubToken("ghu_a");
    await Promise.all([source.getToken("ghu_a"), source.getToken("ghu_a")]);
    await source.getToken("ghu_a");
    expect(events).toEqual([{ outcome: "ok", accountKey, sku: "x", expiresAt: 1_001_800 }]);
    // Due for refresh, GitHub down: the old token keeps serving, the exchange still failed.
    time += 1500;
    failing = true;
    expect((await source.getToken("ghu_a")).copilot.token).toBe("copilot-1");
    await expect(source.getToken("ghu_b")).rejects.toThrow("GitHub unreachable");
    expect(events.slice(1)).toEqual([
      { outcome: "failed", accountKey },
      { outcome: "failed", accountKey: hashGitHubToken("ghu_b") },
    ]);
  });

  it("does not cache a failed exchange", async () => {
    let fail = true;
    const source = createTokenSource({
      cache: createMemoryTokenCache(),
      exchange: async () => {
        if (fail) throw new AuthenticationError("bad");
        return grant(1, Math.floor(Date.now() / 1000) + 1800);
      },
    });
    await expect(source.getToken("ghu_a")).rejects.toThrow("bad");
    fail = false;
    expect((await source.getToken("ghu_a")).copilot.token).toBe("copilot-1");
  });

  it("keeps serving an unexpired token while GitHub is unreachable", async () => {
    let time = 1_000_000;
    let down = false;
    const source = createTokenSource({
      cache: createMemoryTokenCache(),
      now: () => time * 1000,
      exchange: async () => {
        if (down) throw new UpstreamConnectionError("GitHub is down");
        return grant(1, time + 1800);
      },
    });
    await source.getToken("ghu_a");
    down = true;
    time += 1600;
    expect((await source.getToken("ghu_a")).copilot.token).toBe("copilot-1");
    expect(source.exchangeCount).toBe(2);
    // Requests right after a failed refresh don't each wait for GitHub again.
    time += 14;
    expect((await source.getToken("ghu_a")).copilot.token).toBe("copilot-1");
    expect(source.exchangeCount).toBe(2);
    time += 1;
    expect((await source.getToken("ghu_a")).copilot.token).toBe("copilot-1");
    expect(source.exchangeCount).toBe(3);
    time += 200;
    await expect(source.getToken("ghu_a")).rejects.toThrow("GitHub is down");
  });
});
