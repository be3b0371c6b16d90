import { Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createCountedCounter, createCountedHistogram } from "./counted-metrics.js";

describe("createCountedCounter", () => {
  it("serves each series' total, in the order the series were first counted, scrape after scrape", async () => {
    const registry = new Registry();
    const counter = createCountedCounter({
      name: "test_total",
      help: "Test",
      labelNames: ["route", "status"],
      registry,
    });
    counter.series("/a\u0000200", { route: "/a", status: "200" }).value += 1;
    counter.series("/b\u0000200", { route: "/b", status: "200" }).value += 1;
    counter.series("/a\u0000400", { route: "/a", status: "400" }).value += 1;
    counter.series("/a\u0000200", { route: "/a", status: "200" }).value += 2;
    const expected = [
      "# HELP test_total Test",
      "# TYPE test_total counter",
      'test_total{route="/a",status="200"} 3',
      'test_total{route="/b",status="200"} 1',
      'test_total{route="/a",status="400"} 1',
      "",
    ].join("\n");
    expect(await registry.metrics()).toBe(expected);
    expect(await registry.metrics()).toBe(expected);
    counter.series("/b\u0000200", { route: "/b", status: "200" }).value += 4;
    expect(await registry.metrics()).toBe(expected.replace('200"} 1', '200"} 5'));
  });

  it("divides the counted integers by the unit only when scraped", async () => {
    const registry = new Registry();
    const counter = createCountedCounter({
      name: "credits_total",
      help: "Credits",
      labelNames: ["key"],
      registry,
      unit: 1e9,
    });
    const series = counter.series("alice", { key: "alice" });
    for (const nano of [1_110_000, 1_110_000, 1_110_000]) series.value += nano;
    // Added up as credits, 0.00111 three times is 0.0033300000000000005.
    expect(await registry.metrics()).toContain('credits_total{key="alice"} 0.00333\n');
  });
});

describe("createCountedHistogram", () => {
  const BUCKETS = [0.1, 1, 10];
  const VALUES = [0.05, 0.1, 0.5, 1, 10, 11, 250, 0.1];

  it("serves what prom-client's Histogram serves for the same values, scrape after scrape", async () => {
    const counted = new Registry();
    const histogram = createCountedHistogram({
      name: "test_seconds",
      help: "Test",
      labelNames: ["route", "dialect"],
      buckets: BUCKETS,
      registry: counted,
    });
    const reference = new Registry();
    const promHistogram = new Histogram({
      name: "test_seconds",
      help: "Test",
      labelNames: ["route", "dialect"],
      buckets: BUCKETS,
      registers: [reference],
    });
    for (const [index, value] of VALUES.entries()) {
      const route = index % 3 === 0 ? "/b" : "/a";
      histogram.observe(histogram.series(`${route}\u0000chat`, { route, dialect: "chat" }), value);
      promHistogram.observe({ route, dialect: "chat" }, value);
    }
    const served = await counted.metrics();
    expect(served).toBe(await reference.metrics());
    expect(await counted.metrics()).toBe(served);
    expect(served.split("\n").filter((line) => line.includes('route="/a"'))).toEqual([
      'test_seconds_bucket{le="0.1",route="/a",dialect="chat"} 2',
      'test_seconds_bucket{le="1",route="/a",dialect="chat"} 3',
      'test_seconds_bucket{le="10",route="/a",dialect="chat"} 4',
      'test_seconds_bucket{le="+Inf",route="/a",dialect="chat"} 5',
      // 0.1 + 0.5 + 10 + 11 + 0.1 added in order, as prom-client adds them.
      'test_seconds_sum{route="/a",dialect="chat"} 21.700000000000003',
      'test_seconds_count{route="/a",dialect="chat"} 5',
    ]);
  });

  it("serves nothing for a histogram not yet observed", async () => {
    const registry = new Registry();
    createCountedHistogram({
      name: "idle_seconds",
      help: "Idle",
      labelNames: ["dialect"],
      buckets: BUCKETS,
      registry,
    });
    expect(await registry.metrics()).toBe(
      "# HELP idle_seconds Idle\n# TYPE idle_seconds histogram\n",
    );
  });
});
