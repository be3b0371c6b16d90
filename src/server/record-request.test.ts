import { afterEach, describe, expect, it, vi } from "vitest";
import type { LedgerEntry } from "../ledger/ledger-entry.js";
import type { Ledger } from "../ledger/sqlite-ledger.js";
import type { Logger } from "../logging/create-logger.js";
import type { Metrics } from "../metrics/create-metrics.js";
import type { RequestLogFields } from "./exchange.js";
import type { LoggedRequest } from "./middleware/request-log.js";
import { createRequestRecorder } from "./record-request.js";

/** 2026-12-07T12:00:00Z */
const NOON = Date.UTC(2026, 11, 7, 12);

function setUp() {
  const entries: LedgerEntry[] = [];
  const lines: [string, Record<string, unknown>][] = [];
  const metered: [LedgerEntry, string][] = [];
  // The recorder only records into the ledger.
  const recording: Pick<Ledger, "record"> = { record: (entry) => entries.push(entry) };
  const ledger = recording as Ledger;
  const logger = {
    request: (level: string, record: Record<string, unknown>) => lines.push([level, record]),
  } as unknown as Logger;
  const metrics = {
    recordRequest: (entry: LedgerEntry, route: string) => metered.push([entry, route]),
  } as unknown as Metrics;
  const record = createRequestRecorder({ logger, debug: false, ledger, metrics, now: () => NOON });
  return { record, entries, lines, metered };
}

function request(log: RequestLogFields, path = "/v1/chat/completions"): LoggedRequest {
  return {
    requestId: "00000000-0000-4000-8000-000000000001",
    method: "POST",
    path,
    // performance.now() reads 2000 in these tests: the request took 1250.5 ms, so it started at
    // NOON − 1250.5, rounded to NOON − 1250.
    startedAt: 749.5,
    log,
    credential: "key:key_1",
    headers: {},
    incoming: { headers: {} },
  };
}

describe("createRequestRecorder", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("makes the ledger entry of a conversation request from its log fields", () => {
    vi.spyOn(performance, "now").mockReturnValue(2000);
    const { record, entries, lines, metered } = setUp();
    const turns: number[] = [];
    const log: RequestLogFields = {
      model: "gpt-5.3",
      modelUsed: "gpt-5.3-codex",
      stream: true,
      initiator: "agent",
      upstreamRequestId: "C0DE:1234",
      dialect: "responses",
      endpoint: "/responses",
      keyName: "alice",
      account: "ghu:1a2b3c4d",
      cost: {
        tokens: { input: 19, cache_read: 3, cache_write: 2, output: 105 },
        reasoningTokens: 44,
        nanoCredits: 150325000,
        creditsSource: "copilot",
        premiumRequests: 0.33,
      },
      firstByteMs: 95.5,
      complete: false,
      fallbackFrom: "claude-opus-4.5",
      errorCode: "stream_cut",
      endKeyTurn: (cost) => turns.push(cost),
    };
    record(request(log, "/v1/responses"), 200);
    const expected: LedgerEntry = {
      time: NOON - 1250,
      requestId: "00000000-0000-4000-8000-000000000001",
      keyName: "alice",
      account: "ghu:1a2b3c4d",
      dialect: "responses",
      endpoint: "/responses",
      modelAsked: "gpt-5.3",
      modelUsed: "gpt-5.3-codex",
      initiator: "agent",
      status: 200,
      latencyMs: 1250.5,
      firstByteMs: 95.5,
      stream: true,
      complete: false,
      inputTokens: 19,
      cacheReadTokens: 3,
      cacheWriteTokens: 2,
      outputTokens: 105,
      reasoningTokens: 44,
      nanoCredits: 150325000,
      creditsSource: "copilot",
      premiumRequests: 0.33,
      fallbackFrom: "claude-opus-4.5",
      supportId: "C0DE:1234",
      errorCode: "stream_cut",
    };
    expect(entries).toStrictEqual([expected]);
    expect(metered).toStrictEqual([[expected, "/v1/responses"]]);
    expect(turns).toEqual([150325000]);
    expect(lines.map(([level, line]) => [level, line["key"], line["credits"]])).toEqual([
      ["info", "alice", "0.150325"],
    ]);
  });

  it("records a request that failed before an answer: nothing spent, incomplete", () => {
    vi.spyOn(performance, "now").mockReturnValue(2000);
    const { record, entries } = setUp();
    const turns: number[] = [];
    record(
      request({ dialect: "chat", model: "gpt-4o", endKeyTurn: (cost) => turns.push(cost) }),
      429,
    );
    expect(entries).toStrictEqual([
      {
        time: NOON - 1250,
        requestId: "00000000-0000-4000-8000-000000000001",
        keyName: "unknown",
        account: "unknown",
        dialect: "chat",
        endpoint: undefined,
        modelAsked: "gpt-4o",
        modelUsed: undefined,
        initiator: undefined,
        status: 429,
        latencyMs: 1250.5,
        firstByteMs: undefined,
        stream: false,
        complete: false,
        inputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 0,
        reasoningTokens: 0,
        nanoCredits: 0,
        creditsSource: "none",
        premiumRequests: 0,
        fallbackFrom: undefined,
        supportId: undefined,
        errorCode: undefined,
      },
    ]);
    expect(turns).toEqual([0]);
  });

  it("counts a whole answer without a stream flag as complete", () => {
    vi.spyOn(performance, "now").mockReturnValue(2000);
    const { record, entries } = setUp();
    record(request({ dialect: "messages" }), 200);
    expect(entries.map((entry) => [entry.stream, entry.complete])).toEqual([[false, true]]);
  });

  it("writes only the log line of a request that is not a conversation, and ends its key's turn", () => {
    vi.spyOn(performance, "now").mockReturnValue(2000);
    const { record, entries, lines, metered } = setUp();
    const turns: number[] = [];
    record(request({ endKeyTurn: (cost) => turns.push(cost) }, "/v1/models"), 200);
    expect(entries).toEqual([]);
    expect(metered).toEqual([]);
    expect(turns).toEqual([0]);
    expect(lines).toHaveLength(1);
  });
});
