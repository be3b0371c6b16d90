import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createProgram, errorMessageOf, exitCodeOf } from "../../src/cli/create-program.js";
import { runKeysCreate, runKeysList, runKeysRevoke, runKeysUpdate } from "../../src/cli/keys.js";
import { saveAccount } from "../../src/github/saved-token.js";
import { createSqliteKeyStore } from "../../src/keys/sqlite-key-store.js";
import { openDatabase } from "../../src/store/database.js";
import { captureEnvironment, type CapturedEnvironment } from "./cli-capture.js";
import { MAIN, makeRunDir, runCli } from "./cli-run.js";

const T0 = Date.UTC(2026, 6, 1, 12, 0, 0);
const at = (ms: number) => ({ now: () => ms });
const SECRET = /cogpt-[A-Za-z0-9_-]{43}/;

function secretIn(text: string): string {
  const secret = SECRET.exec(text)?.[0];
  if (secret === undefined) throw new Error(`no secret in ${text}`);
  return secret;
}

/** The key as the server will find it: through the database file and the secret's hash. */
function findInDatabase(environment: CapturedEnvironment, secret: string) {
  const db = openDatabase(join(environment.cwd, "db", "cache.sqlite3"));
  try {
    return createSqliteKeyStore(db).findBySecret(secret);
  } finally {
    db.close();
  }
}

/** Fresh captured output, in the same directory and environment as `environment`. */
function again(environment: CapturedEnvironment): CapturedEnvironment {
  return { ...captureEnvironment(), cwd: environment.cwd, env: environment.env };
}

function failureOf(work: () => unknown): { exitCode: number; message: string } {
  try {
    work();
  } catch (error) {
    return { exitCode: exitCodeOf(error), message: errorMessageOf(error) };
  }
  throw new Error("expected the command to fail");
}

describe("cogpt keys (in-process, a temp database at the default CACHE_PATH)", () => {
  it("create prints the secret once with the warning and client settings", () => {
    const environment = captureEnvironment();
    runKeysCreate({ name: "alice" }, environment, at(T0));
    const secret = secretIn(environment.out());
    const key = findInDatabase(environment, secret);
    expect(environment.out()).toBe(
      [
        `Created key "alice" (${key?.id}), spending the server-held account.`,
        "Limits: none. Never expires.",
        "",
        `  ${secret}`,
        "",
        "Store it now: it cannot be shown again (only its hash is kept). If it is lost, revoke the",
        "key (cogpt keys revoke alice) and create another.",
        "",
        "Clients use it as their API key:",
        `  OPENAI_API_KEY=${secret} OPENAI_BASE_URL=http://localhost:8080/v1`,
        `  ANTHROPIC_API_KEY=${secret} ANTHROPIC_BASE_URL=http://localhost:8080`,
        "  (Claude Code: ANTHROPIC_AUTH_TOKEN instead of ANTHROPIC_API_KEY)",
        "",
      ].join("\n"),
    );
    expect(environment.err()).toBe("");
    expect(key).toEqual({
      id: expect.stringMatching(/^key_[0-9a-f]{8}$/),
      name: "alice",
      account: undefined,
      createdAt: T0,
      expiresAt: undefined,
      revokedAt: undefined,
      nanoCreditsPerDay: undefined,
      nanoCreditsPerMonth: undefined,
      requestsPerMinute: undefined,
      concurrency: undefined,
      models: undefined,
      fallbackModel: undefined,
    });
  });

  it("create --json with every limit: credits exact both ways, times in ISO", () => {
    const environment = captureEnvironment();
    saveAccount(join(environment.env.COGPT_CONFIG_DIR ?? "", "accounts"), "work", "ghu_work");
    runKeysCreate(
      {
        name: "alice",
        json: true,
        account: "work",
        expires: "30d",
        creditsPerDay: "12.5",
        creditsPerMonth: "0.1",
        requestsPerMinute: "60",
        concurrency: "4",
        models: "gpt-*,claude-sonnet-*",
        fallbackModel: "gpt-4.1",
      },
      environment,
      at(T0),
    );
    const json = JSON.parse(environment.out()) as Record<string, unknown>;
    const secret = String(json["secret"]);
    expect(json).toEqual({
      name: "alice",
      id: expect.stringMatching(/^key_[0-9a-f]{8}$/),
      kind: "managed",
      read_only: false,
      status: "active",
      account: "work",
      created_at: "2026-07-01T12:00:00.000Z",
      expires_at: "2026-07-31T12:00:00.000Z",
      revoked_at: null,
      credits_per_day: 12.5,
      nano_credits_per_day: 12_500_000_000,
      credits_per_month: 0.1,
      nano_credits_per_month: 100_000_000,
      requests_per_minute: 60,
      concurrency: 4,
      models: ["gpt-*", "claude-sonnet-*"],
      fallback_model: "gpt-4.1",
      secret: expect.stringMatching(new RegExp(`^${SECRET.source}$`)),
    });
    expect(environment.out()).toMatch(/\}\n$/);
    expect(findInDatabase(environment, secret)?.nanoCreditsPerMonth).toBe(100_000_000);
  });

  it("list shows managed keys and, read-only, API_KEYS and SHARE_TOKEN by fingerprint", () => {
    const environment = captureEnvironment({
      API_KEYS: "key-one-0123456789,key-two-0123456789",
      SHARE_TOKEN: "share-abcdefghijklmnop:ghu_x",
    });
    runKeysCreate(
      { name: "alice", creditsPerDay: "12.5", requestsPerMinute: "60", expires: "2026-08-01" },
      environment,
      at(T0),
    );
    runKeysCreate({ name: "bob", models: "gpt-*" }, environment, at(T0 + 1));
    runKeysRevoke("bob", {}, environment, at(T0 + 60_000));
    const ids = ["alice", "bob"].map(
      (name) => new RegExp(`"${name}" \\((key_[0-9a-f]{8})\\)`).exec(environment.out())?.[1],
    );
    const listing = again(environment);
    runKeysList({}, listing, at(T0 + 120_000));
    expect(listing.out()).toBe(
      [
        "Name           Key              Account                       Status     Expires                       Limits",
        `alice          ${ids[0]}     server-held                   active     2026-08-01 00:00 UTC          12.5 credits/day, 60 requests/min`,
        `bob            ${ids[1]}     server-held                   revoked    revoked 2026-07-01 12:01 UTC  models gpt-*`,
        "API_KEYS#1     sha256:0b20e078  server-held                   read-only  never                         none (set in API_KEYS)",
        "API_KEYS#2     sha256:bddf9699  server-held                   read-only  never                         none (set in API_KEYS)",
        "SHARE_TOKEN#1  sha256:4aa36653  GitHub token sha256:42fcf450  read-only  never                         none (set in SHARE_TOKEN)",
        "",
      ].join("\n"),
    );
    // Never a secret, of any kind.
    expect(listing.out()).not.toMatch(/key-one|key-two|share-abc|ghu_x|cogpt-/);

    const json = again(environment);
    runKeysList({ json: true }, json, at(T0 + 120_000));
    const entries = JSON.parse(json.out()) as Record<string, unknown>[];
    expect(entries.map((entry) => [entry["name"], entry["status"], entry["kind"]])).toEqual([
      ["alice", "active", "managed"],
      ["bob", "revoked", "managed"],
      ["API_KEYS#1", "active", "API_KEYS"],
      ["API_KEYS#2", "active", "API_KEYS"],
      ["SHARE_TOKEN#1", "active", "SHARE_TOKEN"],
    ]);
    expect(entries[4]).toEqual({
      name: "SHARE_TOKEN#1",
      fingerprint: "sha256:4aa36653",
      kind: "SHARE_TOKEN",
      read_only: true,
      status: "active",
      account: "github-token:sha256:42fcf450",
    });
    expect(entries[1]?.["revoked_at"]).toBe("2026-07-01T12:01:00.000Z");
    expect(json.out()).not.toMatch(/key-one|key-two|share-abc|ghu_x|cogpt-/);
  });

  it("list says how to begin when there are no keys", () => {
    const environment = captureEnvironment();
    runKeysList({}, environment, at(T0));
    expect(environment.out()).toBe("No keys. Make one with `cogpt keys create --name <name>`.\n");
  });

  it("update changes what is given, 'none' and empty clear, the secret keeps working", () => {
    const environment = captureEnvironment();
    runKeysCreate(
      { name: "alice", creditsPerDay: "5", concurrency: "2", models: "gpt-*", expires: "1d" },
      environment,
      at(T0),
    );
    const secret = secretIn(environment.out());
    const updated = again(environment);
    const env = updated;
    runKeysUpdate(
      "alice",
      { creditsPerDay: "none", creditsPerMonth: "300", models: "", requestsPerMinute: "10" },
      env,
      at(T0 + 1_000),
    );
    expect(updated.out()).toMatch(
      /^Updated key "alice" \(key_[0-9a-f]{8}\), spending the server-held account\.\nLimits: 300 credits\/month, 10 requests\/min, 2 at once\. Expires 2026-07-02 12:00 UTC\.\n$/,
    );
    const json = again(environment);
    runKeysUpdate("alice", { json: true, expires: "none" }, json, at(T0));
    expect(JSON.parse(json.out())).toMatchObject({
      expires_at: null,
      credits_per_day: null,
      nano_credits_per_day: null,
      credits_per_month: 300,
      nano_credits_per_month: 300_000_000_000,
      models: null,
    });
    expect(findInDatabase(environment, secret)?.requestsPerMinute).toBe(10);
  });

  it("revoke marks the key, a second revoke says so, the name is free again", () => {
    const environment = captureEnvironment();
    runKeysCreate({ name: "alice" }, environment, at(T0));
    const secret = secretIn(environment.out());
    const first = again(environment);
    runKeysRevoke("alice", {}, first, at(T0 + 60_000));
    expect(first.out()).toMatch(
      /^Revoked key "alice" \(key_[0-9a-f]{8}\) on 2026-07-01 12:01 UTC: requests with it are refused\.\n$/,
    );
    const second = again(environment);
    runKeysRevoke("alice", {}, second, at(T0 + 120_000));
    expect(second.out()).toMatch(
      /^Key "alice" \(key_[0-9a-f]{8}\) was already revoked on 2026-07-01 12:01 UTC\.\n$/,
    );
    expect(findInDatabase(environment, secret)?.revokedAt).toBe(T0 + 60_000);
    runKeysCreate({ name: "alice" }, environment, at(T0 + 180_000));
    expect(
      findInDatabase(environment, secretIn(environment.out().split("Created").at(-1) ?? ""))
        ?.revokedAt,
    ).toBeUndefined();
  });

  it("refuses with plain messages and the right exit codes", () => {
    const environment = captureEnvironment();
    runKeysCreate({ name: "alice" }, environment, at(T0));
    const run = (work: (env: CapturedEnvironment) => void) =>
      failureOf(() => work(again(environment)));
    expect(run((env) => runKeysCreate({ name: "alice" }, env, at(T0)))).toEqual({
      exitCode: 1,
      message: 'a key named "alice" exists already: pick another name, or revoke it first',
    });
    expect(run((env) => runKeysCreate({ name: "a b" }, env, at(T0)))).toEqual({
      exitCode: 2,
      message: `key name "a b": expected 1-64 characters: letters, digits, '.', '_' or '-' (not '.' or '..')`,
    });
    expect(run((env) => runKeysCreate({ name: "bob", account: "work" }, env, at(T0)))).toEqual({
      exitCode: 2,
      message:
        '--account "work": no saved login has that name (saved: none yet); save one with `cogpt login --save --name work`',
    });
    saveAccount(join(environment.env.COGPT_CONFIG_DIR ?? "", "accounts"), "home", "ghu_h");
    expect(run((env) => runKeysUpdate("alice", { account: "work" }, env, at(T0))).message).toBe(
      '--account "work": no saved login has that name (saved: home); save one with `cogpt login --save --name work`',
    );
    expect(
      run((env) => runKeysCreate({ name: "bob", creditsPerDay: "1.5e3" }, env, at(T0))),
    ).toEqual({
      exitCode: 2,
      message: '--credits-per-day "1.5e3": expected a number of credits such as 12.5',
    });
    expect(run((env) => runKeysUpdate("alice", {}, env, at(T0)))).toEqual({
      exitCode: 2,
      message:
        "nothing to change: give one or more of --account, --expires, --credits-per-day, --credits-per-month, --requests-per-minute, --concurrency, --models, --fallback-model",
    });
    expect(run((env) => runKeysUpdate("carol", { concurrency: "1" }, env, at(T0)))).toEqual({
      exitCode: 1,
      message: 'no key named "carol"',
    });
    expect(run((env) => runKeysRevoke("carol", {}, env, at(T0)))).toEqual({
      exitCode: 1,
      message: 'no key named "carol"',
    });
  });

  it("refuses to run with CACHE=false: the keys live in the database", () => {
    const environment = captureEnvironment({ CACHE: "false" });
    expect(failureOf(() => runKeysList({}, environment, at(T0)))).toEqual({
      exitCode: 2,
      message:
        "keys are kept in the database at CACHE_PATH, and CACHE=false turns it off: unset CACHE (or set CACHE=true) to manage keys",
    });
  });
});

describe("cogpt keys (the built CLI)", () => {
  it("create, list --json, update, revoke against a database file given by --cache-path", async () => {
    const { cwd, configDir } = makeRunDir();
    const env = { COGPT_CONFIG_DIR: configDir };
    const database = join(cwd, "state", "gateway.sqlite3");
    const run = (args: string[]) =>
      runCli(MAIN, ["keys", ...args, "--cache-path", database], { cwd, env });

    const created = await run(["create", "--name", "ci", "--credits-per-day", "0.1", "--json"]);
    expect([created.code, created.stderr]).toEqual([0, ""]);
    const key = JSON.parse(created.stdout) as Record<string, unknown>;
    expect([key["name"], key["credits_per_day"], key["nano_credits_per_day"]]).toEqual([
      "ci",
      0.1,
      100_000_000,
    ]);

    const updated = await run(["update", "ci", "--concurrency", "3", "--json"]);
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.stdout)).toMatchObject({
      concurrency: 3,
      nano_credits_per_day: 100_000_000,
    });

    const revoked = await run(["revoke", "ci", "--json"]);
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ name: "ci", status: "revoked" });

    const listed = await run(["list", "--json"]);
    expect(listed.code).toBe(0);
    const entries = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(entries.map((entry) => [entry["name"], entry["status"], entry["concurrency"]])).toEqual([
      ["ci", "revoked", 3],
    ]);

    const db = openDatabase(database);
    try {
      expect(createSqliteKeyStore(db).findBySecret(String(key["secret"]))?.revokedAt).toBeDefined();
    } finally {
      db.close();
    }

    const missingName = await run(["create"]);
    expect([missingName.code, missingName.stderr.split("\n")[0]]).toEqual([
      2,
      "error: required option '--name <name>' not specified",
    ]);
  });

  it("keys --help lists the four commands", async () => {
    let out = "";
    const program = await createProgram({
      writeOut: (text) => (out += text),
      writeErr: () => undefined,
    });
    await expect(program.parseAsync(["node", "cogpt", "keys", "--help"])).rejects.toMatchObject({
      exitCode: 0,
    });
    for (const command of [
      "create [options]",
      "list [options]",
      "update [options] <name>",
      "revoke [options] <name>",
    ]) {
      expect(out).toContain(`  ${command}`);
    }
  });
});
