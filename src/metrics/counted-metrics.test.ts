import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createCountedCounter } from "./counted-metrics.js";

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
