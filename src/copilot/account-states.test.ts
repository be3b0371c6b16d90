import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type SqlDatabase } from "../store/database.js";
import { createAccountStates, type AccountState } from "./account-states.js";

/** 2026-12-07T12:00:00Z */
const NOON = Date.UTC(2026, 11, 7, 12);

const premium = (rem: string) => ({
  "x-quota-snapshot-premium_interactions": `ent=1500&ov=0.0&ovPerm=false&rem=${rem}&rst=2027-01-01T00%3A00%3A00Z`,
});
const premiumWindow = (percentRemaining: number) => ({
  name: "premium_interactions",
  entitlement: 1500,
  overage: 0,
  overagePermitted: false,
  percentRemaining,
  resetsAt: Date.UTC(2027, 0, 1),
});
const session = {
  "x-usage-ratelimit-session": "ent=100&ov=0&ovPerm=false&rem=40&rst=2026-12-07T15:00:00Z",
};
const sessionWindow = {
  name: "session",
  entitlement: 100,
  overage: 0,
  overagePermitted: false,
  percentRemaining: 40,
  resetsAt: Date.UTC(2026, 11, 7, 15),
};

describe("createAccountStates", () => {
  const databases: SqlDatabase[] = [];
  afterEach(() => {
    for (const db of databases.splice(0)) db.close();
  });
  function database(): SqlDatabase {
    const db = openDatabase(":memory:");
    databases.push(db);
    return db;
  }
  const stored = (db: SqlDatabase) =>
    db
      .prepare<{ account: string; updated_at: number; state: string }>(
        "SELECT account, updated_at, state FROM account_state ORDER BY account",
      )
      .all()
      .map((row) => ({ ...row, state: JSON.parse(row.state) as unknown }));

  it("keeps each window as the last answer's headers said, merged over earlier ones", () => {
    let at = NOON;
    const changes: AccountState[] = [];
    const states = createAccountStates({
      db: undefined,
      now: () => at,
      onChange: (state) => changes.push(state),
    });
    states.observe("ghu:1", { ...premium("62.5"), "content-type": "text/event-stream" }, true);
    at += 1000;
    states.observe("ghu:1", session, true);
    expect(states.get("ghu:1")).toEqual({
      account: "ghu:1",
      windows: { premium_interactions: premiumWindow(62.5), session: sessionWindow },
      updatedAt: NOON + 1000,
      exhausted: undefined,
    });
    expect(changes.map((state) => Object.keys(state.windows))).toEqual([
      ["premium_interactions"],
      ["premium_interactions", "session"],
    ]);
    // Headers the same as last time, or none at all, change nothing.
    at += 1000;
    states.observe("ghu:1", session, true);
    states.observe("ghu:1", { "content-type": "application/json" }, true);
    expect(changes).toHaveLength(2);
    expect(states.get("ghu:2")).toBeUndefined();
    expect(states.all().map((state) => state.account)).toEqual(["ghu:1"]);
  });

  it("tells a refusal while it lasts, a minute when Copilot gave no reset, and clears it on an answer", () => {
    let at = NOON;
    const states = createAccountStates({ db: undefined, now: () => at });
    states.observe("ghu:1", premium("0.0"), true);
    states.markExhausted("ghu:1", "quota_exceeded", NOON + 5_000);
    expect(states.exhaustion("ghu:1")).toEqual({ code: "quota_exceeded", until: NOON + 5_000 });
    expect(states.get("ghu:1")?.windows).toEqual({ premium_interactions: premiumWindow(0) });
    at = NOON + 5_000;
    expect(states.exhaustion("ghu:1")).toBeUndefined();

    states.markExhausted("ghu:2", "session_quota_exceeded", NOON);
    expect(states.exhaustion("ghu:2")).toEqual({
      code: "session_quota_exceeded",
      until: NOON + 5_000 + 60_000,
    });
    expect(states.get("ghu:2")).toEqual({
      account: "ghu:2",
      windows: {},
      updatedAt: NOON + 5_000,
      exhausted: { code: "session_quota_exceeded", until: NOON + 65_000 },
    });
    // A fallback model's answer says nothing of the allowance: the refusal stays.
    states.observe("ghu:2", session, false);
    expect(states.get("ghu:2")).toEqual({
      account: "ghu:2",
      windows: { session: sessionWindow },
      updatedAt: NOON + 5_000,
      exhausted: { code: "session_quota_exceeded", until: NOON + 65_000 },
    });
    // An answer of the model asked for ends it, even with the same headers as last time.
    states.observe("ghu:2", session, true);
    expect(states.exhaustion("ghu:2")).toBeUndefined();
    expect(states.get("ghu:2")?.exhausted).toBeUndefined();
  });

  it("writes a state at most every ten seconds, a refusal at once, the rest on close", () => {
    const db = database();
    let at = NOON;
    const states = createAccountStates({ db, now: () => at });
    states.observe("ghu:1", premium("90"), true);
    expect(stored(db)).toEqual([
      {
        account: "ghu:1",
        updated_at: NOON,
        state: {
          account: "ghu:1",
          windows: { premium_interactions: premiumWindow(90) },
          updatedAt: NOON,
        },
      },
    ]);
    at = NOON + 9_999;
    states.observe("ghu:1", premium("80"), true);
    expect(stored(db).map((row) => row.updated_at)).toEqual([NOON]);
    at = NOON + 10_000;
    states.observe("ghu:1", premium("70"), true);
    expect(stored(db).map((row) => row.updated_at)).toEqual([NOON + 10_000]);
    at = NOON + 10_001;
    states.markExhausted("ghu:1", "quota_exceeded", NOON + 3_600_000);
    expect(stored(db).map((row) => row.state)).toEqual([
      {
        account: "ghu:1",
        windows: { premium_interactions: premiumWindow(70) },
        updatedAt: NOON + 10_001,
        exhausted: { code: "quota_exceeded", until: NOON + 3_600_000 },
      },
    ]);
    // Clearing a refusal is written at once too.
    at = NOON + 10_002;
    states.observe("ghu:1", premium("60"), true);
    expect(stored(db).map((row) => row.updated_at)).toEqual([NOON + 10_002]);
    at = NOON + 10_003;
    states.observe("ghu:1", premium("50"), true);
    states.observe("ghu:3", premium("40"), true);
    expect(stored(db).map((row) => [row.account, row.updated_at])).toEqual([
      ["ghu:1", NOON + 10_002],
      ["ghu:3", NOON + 10_003],
    ]);
    states.close();
    expect(stored(db).map((row) => [row.account, row.updated_at])).toEqual([
      ["ghu:1", NOON + 10_003],
      ["ghu:3", NOON + 10_003],
    ]);
  });

  it("reads the states written before a restart, refusals included", () => {
    const db = database();
    const before = createAccountStates({ db, now: () => NOON });
    before.observe("ghu:1", session, true);
    before.markExhausted("ghu:1", "user_weekly_rate_limited", NOON + 60_000);
    before.close();
    db.prepare("INSERT INTO account_state (account, updated_at, state) VALUES (?, ?, ?)").run(
      "ghu:broken",
      1,
      "{not json",
    );
    const after = createAccountStates({ db, now: () => NOON + 1 });
    expect(after.all()).toEqual([
      {
        account: "ghu:1",
        windows: { session: sessionWindow },
        updatedAt: NOON,
        exhausted: { code: "user_weekly_rate_limited", until: NOON + 60_000 },
      },
    ]);
    expect(after.exhaustion("ghu:1")).toEqual({
      code: "user_weekly_rate_limited",
      until: NOON + 60_000,
    });
  });
});
