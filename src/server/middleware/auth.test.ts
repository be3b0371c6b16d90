import { describe, expect, it } from "vitest";
import type { GatewayError } from "../../errors.js";
import type { KeyStore, ManagedKey } from "../../keys/managed-key.js";
import { createAuth, fingerprintOf, isLoopback, isLoopbackHost, readCredential } from "./auth.js";

describe("readCredential", () => {
  const cases: [string | undefined, string | undefined, string | undefined][] = [
    ["Bearer ghu_abc", undefined, "ghu_abc"],
    ["bearer   ghu_abc  ", undefined, "ghu_abc"],
    ["token ghu_abc", undefined, "ghu_abc"],
    [undefined, "share-xyz", "share-xyz"],
    [undefined, "  share-xyz ", "share-xyz"],
    ["Bearer ghu_a", "share-b", "ghu_a"],
    ["Basic dXNlcjpwYXNz", "share-b", "share-b"],
    ["Bearer", undefined, undefined],
    [undefined, "", undefined],
    [undefined, undefined, undefined],
  ];
  it.each(cases)("authorization %s, x-api-key %s → %s", (authorization, apiKey, expected) => {
    expect(readCredential(authorization, apiKey)).toBe(expected);
  });
});

describe("fingerprintOf", () => {
  it("keeps the kind and 8 hex of a salted hash, never the key", () => {
    const ghu = fingerprintOf("ghu_0123456789abcdef");
    expect(ghu).toMatch(/^ghu:[0-9a-f]{8}$/);
    expect(fingerprintOf("share-secret")).toMatch(/^share:[0-9a-f]{8}$/);
    expect(fingerprintOf("sk-whatever")).toMatch(/^key:[0-9a-f]{8}$/);
    expect(fingerprintOf("ghu_0123456789abcdef")).toBe(ghu);
    expect(fingerprintOf("ghu_0123456789abcdeg")).not.toBe(ghu);
  });
});

describe("createAuth", () => {
  const shareTokens = new Map([["share-friend-0123456789", "ghu_friend"]]);
  type Authenticate = ReturnType<typeof createAuth>;
  function appWith(options: Parameters<typeof createAuth>[0]): Authenticate {
    return createAuth(options);
  }
  /** What the client would see: the account used, or the error's status and message. */
  function call(
    authenticate: Authenticate,
    remoteAddress: string,
    headers: Record<string, string> = {},
  ): unknown {
    try {
      const { githubToken, fingerprint } = authenticate({
        authorization: headers["authorization"],
        apiKey: headers["x-api-key"],
        origin: headers["origin"],
        remoteAddress,
        host: "host" in headers ? headers["host"] : "localhost:4141",
        fetchSite: headers["sec-fetch-site"],
      });
      return { token: githubToken, cred: fingerprint };
    } catch (error) {
      return { status: (error as GatewayError).status, message: (error as Error).message };
    }
  }

  it("serves bring-your-own GitHub tokens and share tokens from anywhere", () => {
    const app = appWith({ shareTokens });
    expect(call(app, "10.1.2.3", { authorization: "Bearer ghu_own" })).toMatchObject({
      token: "ghu_own",
    });
    expect(call(app, "10.1.2.3", { "x-api-key": "share-friend-0123456789" })).toMatchObject({
      token: "ghu_friend",
      cred: expect.stringMatching(/^share:[0-9a-f]{8}$/),
    });
    expect(call(app, "10.1.2.3", { authorization: "Bearer placeholder" })).toEqual({
      status: 401,
      message:
        "Unknown API key: use a GitHub token (ghu_…), a share token (share-…), or one of the server's API_KEYS",
    });
  });

  it("lets loopback clients without an Origin use the server-held account", () => {
    const app = appWith({ shareTokens, serverGithubToken: "ghu_server" });
    for (const address of ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) {
      expect(call(app, address)).toEqual({ token: "ghu_server", cred: "server" });
    }
    // Clients that insist on sending some key (Claude Code, SDKs) may send a placeholder.
    expect(call(app, "127.0.0.1", { "x-api-key": "dummy" })).toEqual({
      token: "ghu_server",
      cred: "server",
    });
  });

  it("refuses the server-held account to remote clients and to browser pages", () => {
    const app = appWith({
      shareTokens,
      serverGithubToken: "ghu_server",
      trustedOrigins: ["https://chat.example.com"],
    });
    expect(call(app, "192.168.1.20")).toMatchObject({ status: 401 });
    expect(call(app, "127.0.0.1", { origin: "https://evil.example" })).toEqual({
      status: 403,
      message:
        "Browser requests (with an Origin header) cannot use the server-held account; pass a GitHub token or an API key, or list the origin in CORS_ORIGINS",
    });
    expect(call(app, "127.0.0.1", { origin: "https://chat.example.com" })).toEqual({
      token: "ghu_server",
      cred: "server",
    });
  });

  it("refuses the server-held account to a request for another Host (DNS rebinding)", () => {
    const app = appWith({ shareTokens, serverGithubToken: "ghu_server" });
    const refused = {
      status: 403,
      message:
        "The server-held account serves only requests addressed to a loopback name (Host: localhost, 127.0.0.1 or [::1]); another Host is what a page reaching this machine through DNS rebinding sends. Pass a GitHub token or an API key",
    };
    for (const host of [
      "evil.example",
      "evil.example:4141",
      "localhost.evil.example",
      "127.0.0.1.nip.io",
      "10.0.0.1",
      "[::2]:80",
      "",
      "[::1",
    ]) {
      expect(call(app, "127.0.0.1", { host })).toEqual(refused);
    }
    // No Host at all (HTTP/1.0): nothing says the request is meant for this machine.
    expect(call(app, "127.0.0.1", { host: undefined as unknown as string })).toEqual(refused);
    // A real credential is not affected.
    expect(
      call(app, "127.0.0.1", { host: "evil.example", authorization: "Bearer ghu_own" }),
    ).toMatchObject({
      token: "ghu_own",
    });
  });

  it("refuses the server-held account to cross-site and same-site browser requests", () => {
    const app = appWith({
      shareTokens,
      serverGithubToken: "ghu_server",
      trustedOrigins: ["https://chat.example.com"],
    });
    for (const site of ["cross-site", "same-site"]) {
      expect(call(app, "127.0.0.1", { "sec-fetch-site": site })).toEqual({
        status: 403,
        message: `A browser request from another site (Sec-Fetch-Site: ${site}) cannot use the server-held account; pass a GitHub token or an API key, or list the origin in CORS_ORIGINS`,
      });
    }
    for (const site of ["same-origin", "none"]) {
      expect(call(app, "127.0.0.1", { "sec-fetch-site": site })).toEqual({
        token: "ghu_server",
        cred: "server",
      });
    }
    // A page of a trusted origin calling the gateway is cross-site by nature.
    expect(
      call(app, "127.0.0.1", {
        "sec-fetch-site": "cross-site",
        origin: "https://chat.example.com",
      }),
    ).toEqual({ token: "ghu_server", cred: "server" });
    expect(
      call(app, "127.0.0.1", { "sec-fetch-site": "cross-site", authorization: "Bearer ghu_own" }),
    ).toMatchObject({ token: "ghu_own" });
  });

  it("requires one of API_KEYS when they are set, even on loopback", () => {
    const key = "share-abcdefghijklmnopqrstuvwxyz012345";
    const app = appWith({ shareTokens, serverGithubToken: "ghu_server", apiKeys: [key] });
    expect(call(app, "127.0.0.1")).toMatchObject({ status: 401 });
    expect(call(app, "127.0.0.1", { "x-api-key": "dummy" })).toMatchObject({ status: 401 });
    expect(call(app, "203.0.113.9", { authorization: `Bearer ${key}` })).toMatchObject({
      token: "ghu_server",
    });
    expect(call(app, "203.0.113.9", { "x-api-key": "share-friend-0123456789" })).toMatchObject({
      token: "ghu_friend",
    });
  });
});

describe("createAuth with managed keys and the ledger's key names", () => {
  /** 2026-12-07T12:00:00Z */
  const NOON = Date.UTC(2026, 11, 7, 12);
  const alice: ManagedKey = {
    id: "key_a1",
    name: "alice",
    account: undefined,
    createdAt: NOON - 1000,
    expiresAt: undefined,
    revokedAt: undefined,
    nanoCreditsPerDay: 10_000_000_000,
    nanoCreditsPerMonth: undefined,
    requestsPerMinute: undefined,
    concurrency: undefined,
    models: undefined,
    fallbackModel: undefined,
  };
  const secrets = new Map<string, ManagedKey>([
    ["cogpt-alice", alice],
    ["cogpt-work", { ...alice, id: "key_w1", name: "work", account: "work" }],
    ["cogpt-gone", { ...alice, id: "key_g1", name: "gone", account: "old-login" }],
    ["cogpt-revoked", { ...alice, id: "key_r1", name: "bob", revokedAt: NOON - 500 }],
    ["cogpt-expired", { ...alice, id: "key_e1", name: "carol", expiresAt: NOON }],
    ["cogpt-later", { ...alice, id: "key_l1", name: "dave", expiresAt: NOON + 1 }],
  ]);
  const findBySecret: Pick<KeyStore, "findBySecret"> = {
    findBySecret: (secret) => secrets.get(secret),
  };
  const keys = findBySecret as KeyStore;
  const savedAccount = (name: string) => (name === "work" ? "ghu_work" : undefined);

  function authenticate(
    options: Partial<Parameters<typeof createAuth>[0]>,
    credential: string | undefined,
    remoteAddress = "203.0.113.9",
  ): unknown {
    const auth = createAuth({
      shareTokens: new Map(),
      serverGithubToken: "ghu_server",
      keys,
      savedAccount,
      now: () => NOON,
      ...options,
    });
    try {
      return auth({
        authorization: credential === undefined ? undefined : `Bearer ${credential}`,
        apiKey: undefined,
        origin: undefined,
        remoteAddress,
        host: "localhost:4141",
        fetchSite: undefined,
      });
    } catch (error) {
      const { status, code, message } = error as GatewayError;
      return { status, code, message };
    }
  }

  it("signs a managed key in to the server-held account or its saved login", () => {
    expect(authenticate({}, "cogpt-alice")).toEqual({
      githubToken: "ghu_server",
      fingerprint: "key:key_a1",
      vouched: true,
      keyName: "alice",
      key: alice,
      account: fingerprintOf("ghu_server"),
    });
    expect(authenticate({}, "cogpt-work")).toEqual({
      githubToken: "ghu_work",
      fingerprint: "key:key_w1",
      vouched: true,
      keyName: "work",
      key: secrets.get("cogpt-work"),
      account: fingerprintOf("ghu_work"),
    });
    // Expiry is to the millisecond.
    expect(authenticate({}, "cogpt-later")).toMatchObject({ keyName: "dave" });
  });

  it("refuses an unknown, revoked or expired managed key with 401, saying why", () => {
    expect(authenticate({}, "cogpt-nobody")).toEqual({
      status: 401,
      code: "invalid_api_key",
      message: "Unknown key: no key of this server has this secret",
    });
    expect(authenticate({}, "cogpt-revoked")).toEqual({
      status: 401,
      code: "key_revoked",
      message: 'The key "bob" was revoked at 2026-12-07T11:59:59.500Z',
    });
    expect(authenticate({}, "cogpt-expired")).toEqual({
      status: 401,
      code: "key_expired",
      message: 'The key "carol" expired at 2026-12-07T12:00:00.000Z',
    });
  });

  it("refuses a managed key whose account the server no longer has", () => {
    expect(authenticate({}, "cogpt-gone")).toEqual({
      status: 401,
      code: "account_missing",
      message:
        'The key "gone" spends the saved login "old-login", which this server no longer has ' +
        "(run `cogpt login --save --name old-login`)",
    });
    expect(authenticate({ serverGithubToken: undefined }, "cogpt-alice")).toEqual({
      status: 401,
      code: "account_missing",
      message:
        'The key "alice" spends the server-held account, but the server has none ' +
        "(set GITHUB_TOKEN or run `cogpt login --save`)",
    });
  });

  it("does not look up managed keys when the server has no key store", () => {
    expect(authenticate({ keys: undefined }, "cogpt-alice")).toMatchObject({
      status: 401,
      code: "invalid_api_key",
    });
  });

  it("names every other credential as the ledger records it", () => {
    const name = (options: Partial<Parameters<typeof createAuth>[0]>, credential?: string) => {
      const result = authenticate(options, credential, "127.0.0.1") as Record<string, unknown>;
      return [result["keyName"], result["account"], result["vouched"]];
    };
    const apiKeys = ["first-api-key", "second-api-key"];
    const shareTokens = new Map([
      ["share-one-0123456789", "ghu_one"],
      ["share-two-0123456789", "ghu_two"],
    ]);
    const github = fingerprintOf("ghu_0123456789abcdef");
    expect([
      name({ apiKeys }, "second-api-key"),
      name({ apiKeys }, "first-api-key"),
      name({ shareTokens }, "share-two-0123456789"),
      name({ shareTokens, apiKeys }, "share-one-0123456789"),
      name({}, "ghu_0123456789abcdef"),
      name({}),
    ]).toEqual([
      ["API_KEYS#2", fingerprintOf("ghu_server"), true],
      ["API_KEYS#1", fingerprintOf("ghu_server"), true],
      ["SHARE_TOKEN#2", fingerprintOf("ghu_two"), true],
      ["SHARE_TOKEN#1", fingerprintOf("ghu_one"), true],
      [`github:${github.slice("ghu:".length)}`, github, false],
      ["local", fingerprintOf("ghu_server"), true],
    ]);
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["localhost", true],
    ["LOCALHOST:4141", true],
    ["127.0.0.1", true],
    ["127.1.2.3:80", true],
    ["[::1]", true],
    ["[::1]:4141", true],
    ["[::ffff:127.0.0.1]:4141", true],
    ["::1", false],
    ["127.0.0.1.nip.io", false],
    ["127.evil.example", false],
    ["evil.example", false],
    ["localhost.evil.example", false],
    ["[::2]", false],
    ["localhost:abc", false],
    ["", false],
    [undefined, false],
  ])("%s → %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe("isLoopback", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["10.0.0.1", false],
    ["::ffff:10.0.0.1", false],
    ["1270::1", false],
    [undefined, false],
  ])("%s → %s", (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });
});
