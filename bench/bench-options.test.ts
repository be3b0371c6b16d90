import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  parseBenchArguments,
  parseDurationMs,
  planBench,
  planComparison,
} from "./bench-options.js";
import { mean, median, percentile } from "./bench-stats.js";

describe("parseBenchArguments", () => {
  it("defaults to 5 s per side and the table", () => {
    expect(parseBenchArguments([])).toEqual({
      durationMs: 5_000,
      json: false,
      hop: "gateway",
      watchRequests: false,
      gatewayEntry: undefined,
      compareEntry: undefined,
      help: false,
    });
  });

  it("reads --duration and --json", () => {
    expect(parseBenchArguments(["--duration", "1.5m", "--json"])).toEqual({
      durationMs: 90_000,
      json: true,
      hop: "gateway",
      watchRequests: false,
      gatewayEntry: undefined,
      compareEntry: undefined,
      help: false,
    });
  });

  it("reads --watch-requests", () => {
    expect(parseBenchArguments(["--watch-requests"]).watchRequests).toBe(true);
  });

  it("reads --gateway as an absolute path, and refuses it with another hop", () => {
    expect(parseBenchArguments(["--gateway", "/opt/old/dist/src/main.js"]).gatewayEntry).toBe(
      "/opt/old/dist/src/main.js",
    );
    expect(parseBenchArguments(["--gateway", "old/dist/src/main.js"]).gatewayEntry).toBe(
      resolve("old/dist/src/main.js"),
    );
    expect(() => parseBenchArguments(["--gateway", "x.js", "--hop", "tcp-pipe"])).toThrow(
      "--gateway replaces the gateway: it cannot go with --hop tcp-pipe",
    );
  });

  it("reads --compare as an absolute path, with --watch-requests and --duration", () => {
    expect(
      parseBenchArguments([
        "--compare",
        "old/dist/src/main.js",
        "--watch-requests",
        "--duration",
        "10s",
        "--json",
      ]),
    ).toEqual({
      durationMs: 10_000,
      json: true,
      hop: "gateway",
      watchRequests: true,
      gatewayEntry: undefined,
      compareEntry: resolve("old/dist/src/main.js"),
      help: false,
    });
  });

  it("refuses --compare with another hop; --gateway names A", () => {
    expect(() => parseBenchArguments(["--compare", "x.js", "--hop", "bare-relay"])).toThrow(
      "--compare compares two gateways: it cannot go with --hop bare-relay",
    );
    const both = parseBenchArguments(["--compare", "/b/main.js", "--gateway", "/a/main.js"]);
    expect([both.gatewayEntry, both.compareEntry]).toEqual(["/a/main.js", "/b/main.js"]);
    expect(() => parseBenchArguments(["--compare"])).toThrow(
      "Option '--compare <value>' argument missing",
    );
  });

  it("reads --hop, and refuses a hop it does not know", () => {
    expect(parseBenchArguments(["--hop", "bare-relay"]).hop).toBe("bare-relay");
    expect(() => parseBenchArguments(["--hop", "nginx"])).toThrow(
      "--hop: gateway, bare-relay or tcp-pipe, got nginx",
    );
  });

  it("refuses durations that are too short or not durations", () => {
    expect(() => parseBenchArguments(["--duration", "100ms"])).toThrow(
      "--duration: at least 500ms, got 100ms",
    );
    expect(() => parseDurationMs("5 seconds")).toThrow("--duration: not a duration: 5 seconds");
  });

  it("reads a bare number as seconds", () => {
    expect([parseDurationMs("2"), parseDurationMs("750ms"), parseDurationMs("3s")]).toEqual([
      2_000, 750, 3_000,
    ]);
  });
});

describe("planBench", () => {
  it("splits the duration into 5 rounds and scales the chunk-timing streams", () => {
    expect(planBench(5_000)).toEqual({
      rounds: 5,
      roundMs: 1_000,
      warmupMs: 1_000,
      timingStreams: 10,
    });
    expect(planBench(1_000)).toEqual({ rounds: 5, roundMs: 200, warmupMs: 300, timingStreams: 4 });
    expect(planBench(60_000)).toEqual({
      rounds: 5,
      roundMs: 12_000,
      warmupMs: 1_000,
      timingStreams: 40,
    });
  });
});

describe("planComparison", () => {
  it("splits the duration into 5 rounds after a 3 s warm-up", () => {
    expect(planComparison(5_000)).toEqual({ rounds: 5, roundMs: 1_000, warmupMs: 3_000 });
    expect(planComparison(2_000)).toEqual({ rounds: 5, roundMs: 400, warmupMs: 3_000 });
    expect(planComparison(30_000)).toEqual({ rounds: 5, roundMs: 6_000, warmupMs: 3_000 });
  });
});

describe("median", () => {
  it("takes the middle value, or the mean of the two middle values", () => {
    expect(median([1.117, 1.098, 1.103])).toBe(1.103);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });
});

describe("percentile and mean", () => {
  it("use the nearest rank", () => {
    const samples = [5, 1, 4, 2, 3];
    expect([0, 50, 99, 100].map((p) => percentile(samples, p))).toEqual([1, 3, 5, 5]);
    expect(mean(samples)).toBe(3);
    expect(percentile([], 50)).toBeNaN();
  });
});
