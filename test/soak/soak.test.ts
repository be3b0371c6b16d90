import { fileURLToPath } from "node:url";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { classifyFailure, type ClassifyContext } from "../../bench/soak-classify.js";
import { parseSoakArguments, type SoakOptions } from "../../bench/soak-options.js";
import { buildSoakReport, judgeSoak } from "../../bench/soak-report.js";
import { runSoak, type SoakResult } from "../../bench/soak-run.js";
import { createSoakStats } from "../../bench/soak-stats.js";
import { WrongAnswerError } from "../../bench/soak-traffic.js";
import type { RandomFaultKind } from "../fake-copilot/fake-copilot.js";

const GATEWAY_ENTRY = fileURLToPath(new URL("../../dist/src/main.js", import.meta.url));

function context(faults: RandomFaultKind[], timedOut = false): ClassifyContext {
  return { faultsOf: (id) => (id === "req-1" ? faults : []), retries: 2, timedOut };
}

function httpError(status: number, error: object, headers: Record<string, string> = {}) {
  return OpenAI.APIError.generate(
    status,
    { error },
    undefined,
    new Headers({ "x-request-id": "req-1", ...headers }),
  );
}

/** What the SDK throws for an SSE error event inside a 200 stream. */
function streamError(code: string) {
  const error = { message: "The upstream stream broke off", type: "upstream_error", code };
  return new OpenAI.APIError(undefined, error, undefined, new Headers({ "x-request-id": "req-1" }));
}

const causeOf = (error: unknown, ctx: ClassifyContext) => {
  const { cause, reason } = classifyFailure(error, ctx);
  return `${cause}: ${reason}`;
};

describe("classifyFailure", () => {
  it("counts a passed-on 429, a reported drop and exhausted retries as upstream faults", () => {
    const rateLimit = { message: "fake: injected rate limit", type: "rate_limit_error" };
    expect(causeOf(httpError(429, rateLimit, { "retry-after": "1" }), context(["429"]))).toBe(
      "upstream-fault: 429 passed on",
    );
    expect(causeOf(streamError("stream_interrupted"), context(["drop"]))).toBe(
      "upstream-fault: stream drop reported as an error event",
    );
    const busy = { message: "fake: injected HTTP 503", type: "upstream_error" };
    expect(causeOf(httpError(503, busy), context(["500", "reset", "503"]))).toBe(
      "upstream-fault: 503 after the retries",
    );
    const reset = { message: "Cannot reach Copilot", type: "api_connection_error" };
    expect(causeOf(httpError(502, reset), context(["reset", "reset", "reset"]))).toBe(
      "upstream-fault: reset after the retries",
    );
  });

  it("blames the gateway for whatever the injected faults do not explain", () => {
    const busy = { message: "fake: injected HTTP 503", type: "upstream_error" };
    const rateLimit = { message: "fake: injected rate limit", type: "rate_limit_error" };
    const internal = { message: "Internal error", type: "server_error", code: "internal_error" };
    expect([
      causeOf(httpError(503, busy), context(["503"])),
      causeOf(httpError(503, busy), context([])),
      causeOf(httpError(429, rateLimit), context(["429"])),
      causeOf(httpError(500, internal), context([])),
      causeOf(streamError("stream_interrupted"), context([])),
      causeOf(new WrongAnswerError("content: expected 1, got 2"), context([])),
      causeOf(new OpenAI.APIConnectionError({ message: "Connection error." }), context([])),
      causeOf(new OpenAI.APIUserAbortError(), context([], true)),
    ]).toEqual([
      "gateway: gave up before the retries were used",
      "gateway: unexpected HTTP 503",
      "gateway: 429 without its retry-after",
      "gateway: internal error",
      "gateway: stream error event without a dropped stream",
      "gateway: wrong answer",
      "gateway: connection error",
      "gateway: no complete answer before the deadline",
    ]);
  });
});

describe("parseSoakArguments", () => {
  it("reads durations like the gateway's options and checks every number", () => {
    const options = parseSoakArguments([
      "--duration",
      "20s",
      "--concurrency",
      "8",
      "--fault-rate",
      "0.05",
      "--seed",
      "7",
      "--json",
    ]);
    expect(options !== "help" && [options.durationMs, options.warmupMs, options.seed]).toEqual([
      20_000, 5_000, 7,
    ]);
    expect(() => parseSoakArguments(["--fault-rate", "2"])).toThrow(
      '--fault-rate: "2" is not a number from 0 to 1',
    );
    expect(() => parseSoakArguments(["--concurrency", "0"])).toThrow(
      '--concurrency: "0" is not a whole number from 1 to 1000',
    );
    expect(() => parseSoakArguments(["--duration", "2s", "--warmup", "2s"])).toThrow(
      "--warmup: must be shorter than --duration",
    );
    expect(parseSoakArguments(["--help"])).toBe("help");
  });
});

describe("judgeSoak", () => {
  const options = parseSoakArguments(["--seed", "1"]) as SoakOptions;
  const result = (changes: Partial<SoakResult>): SoakResult => {
    const stats = createSoakStats();
    stats.recordSuccess("chat", 5);
    return {
      options,
      stats,
      elapsedMs: 20_000,
      tokenExchanges: 20,
      tokenRevocations: 4,
      faultsInjected: { "500": 0, "502": 0, "503": 0, "429": 0, reset: 0, drop: 0 },
      memory: {
        startMb: 80,
        endMb: 85,
        peakMb: 150,
        heapStartMb: 18,
        heapEndMb: 19,
        samplesMb: [],
      },
      gatewayDied: false,
      gatewayStop: { code: 0, signal: null, killed: false },
      gatewayLogLines: 0,
      gatewayLogTail: [],
      interrupted: false,
      ...changes,
    };
  };

  it("passes a clean run and names each problem of a bad one", () => {
    expect(buildSoakReport(result({})).ok).toBe(true);
    const failing = result({
      memory: {
        startMb: 80,
        endMb: 120,
        peakMb: 150,
        heapStartMb: 18,
        heapEndMb: 30,
        samplesMb: [],
      },
      gatewayStop: { code: null, signal: "SIGKILL", killed: true },
    });
    failing.stats.recordFailure("tools", 9, {
      cause: "gateway",
      reason: "wrong answer",
      message: "x",
    });
    expect(judgeSoak(failing)).toEqual([
      "1 failures caused by the gateway",
      "the gateway did not stop within 5 s of SIGTERM",
      "gateway RSS grew 40.0 MB (50%) after warm-up, over the limit of 30 MB or 25%",
      "gateway JS heap grew 12.0 MB after warm-up, over the limit of 8 MB",
    ]);
    expect(judgeSoak(result({ gatewayDied: true, memory: undefined }))).toEqual([
      "the gateway process exited during the run",
      "the gateway's memory could not be measured",
    ]);
  });
});

describe("runSoak", () => {
  it("runs mixed traffic with faults and expiring tokens without a failure the gateway caused", async () => {
    const options = parseSoakArguments([
      "--duration",
      "2s",
      "--warmup",
      "800ms",
      "--concurrency",
      "4",
      "--fault-rate",
      "0.3",
      // A fixed sequence of draws: the first few dozen requests meet several kinds of fault,
      // however few a loaded machine manages in 2 s.
      "--seed",
      "7",
      "--token-ttl",
      "2",
      "--revoke-every",
      "500ms",
      "--gateway-entry",
      GATEWAY_ENTRY,
    ]) as SoakOptions;
    const result = await runSoak(options, new AbortController().signal);
    const { stats } = result;
    expect(stats.gatewayExamples).toEqual([]);
    expect(stats.total("gatewayFailures")).toBe(0);
    expect(stats.total("upstreamFaults")).toBeGreaterThan(0);
    for (const kind of Object.values(stats.byKind)) expect(kind.successes).toBeGreaterThan(0);
    expect(result.tokenExchanges).toBeGreaterThanOrEqual(2);
    // Revoked every 500 ms: 4 times in the 2 s of traffic, at least 3 even when timers run late.
    expect(result.tokenRevocations).toBeGreaterThanOrEqual(3);
    // Under a loaded machine a 2 s run may miss a fault kind; at least several must have fired.
    const fired = Object.values(result.faultsInjected).filter((count) => count > 0);
    expect(fired.length).toBeGreaterThanOrEqual(3);
    expect(result.memory?.heapEndMb).toBeGreaterThan(0);
    expect([result.gatewayDied, result.gatewayStop]).toEqual([
      false,
      { code: 0, signal: null, killed: false },
    ]);
  });
});
