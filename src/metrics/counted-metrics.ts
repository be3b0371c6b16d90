import { Counter, type Metric, type Registry } from "prom-client";

/*
 * Counters and histograms counted in plain numbers on the request path and handed to
 * prom-client only when `/metrics` is scraped. prom-client hashes the label object on every
 * `inc` and `observe` (a bound `histogram.labels(…)` child too): about 0.3 µs each, up to nine
 * of them per request. Here a series is created once, under an id joined from its label values;
 * the caller keeps it, and counting is adding to a number.
 */

type Labels<T extends string> = Readonly<Record<T, string>>;

/** One series of a counter: its labels and its total so far. */
export interface CounterSeries<T extends string> {
  readonly labels: Labels<T>;
  value: number;
}

export interface CountedCounterOptions<T extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly T[];
  readonly registry: Registry;
  /** What the counted integer is divided by when scraped (1e9: nano-credits counted, credits served). */
  readonly unit?: number;
}

export interface CountedCounter<T extends string> {
  /**
   * The series of `labels`, created on first use; `id` identifies the label values (joined with
   * `\0`). Add to its `value`.
   */
  series(id: string, labels: Labels<T>): CounterSeries<T>;
}

export function createCountedCounter<T extends string>(
  options: CountedCounterOptions<T>,
): CountedCounter<T> {
  const all = new Map<string, CounterSeries<T>>();
  const unit = options.unit ?? 1;
  new Counter({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames,
    registers: [options.registry],
    // Called by each scrape: the totals replace what the previous scrape handed over.
    collect() {
      this.reset();
      for (const { labels, value } of all.values()) this.inc(labels, value / unit);
    },
  });
  return {
    series(id, labels) {
      let series = all.get(id);
      if (series === undefined) {
        series = { labels, value: 0 };
        all.set(id, series);
      }
      return series;
    },
  };
}

/** One series of a histogram; `bucketCounts[i]` counts the values ≤ `buckets[i]` and above the one before. */
export interface HistogramSeries<T extends string> {
  readonly labels: Labels<T>;
  readonly bucketCounts: number[];
  sum: number;
  count: number;
}

export interface CountedHistogramOptions<T extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly T[];
  /** Upper bounds, ascending; `+Inf` is added. */
  readonly buckets: readonly number[];
  readonly registry: Registry;
}

export interface CountedHistogram<T extends string> {
  /** As `CountedCounter.series`. */
  series(id: string, labels: Labels<T>): HistogramSeries<T>;
  observe(series: HistogramSeries<T>, value: number): void;
}

/**
 * prom-client's Histogram has no way to be handed counted buckets, so this is a metric of its
 * own on the registry: the registry reads `get()` (the shape prom-client's Histogram gives,
 * bucket by bucket, then `_sum` and `_count`) and formats it as it formats its own histograms.
 */
export function createCountedHistogram<T extends string>(
  options: CountedHistogramOptions<T>,
): CountedHistogram<T> {
  const { name, buckets } = options;
  const all = new Map<string, HistogramSeries<T>>();
  const metric = {
    name,
    help: options.help,
    type: "histogram",
    aggregator: "sum",
    get() {
      const values = [];
      for (const { labels, bucketCounts, sum, count } of all.values()) {
        let cumulative = 0;
        for (const [index, bound] of buckets.entries()) {
          cumulative += bucketCounts[index] ?? 0;
          values.push({
            labels: { le: bound, ...labels },
            value: cumulative,
            metricName: `${name}_bucket`,
          });
        }
        values.push(
          { labels: { le: "+Inf", ...labels }, value: count, metricName: `${name}_bucket` },
          { labels, value: sum, metricName: `${name}_sum` },
          { labels, value: count, metricName: `${name}_count` },
        );
      }
      return Promise.resolve({
        name,
        help: options.help,
        type: "histogram",
        aggregator: "sum",
        values,
      });
    },
    // As a counted counter's: `registry.resetMetrics()` does not clear the counts (callers
    // hold their series), and the gateway never calls it.
    reset() {},
  };
  // prom-client's types name only its own classes as metrics; its registry needs no more than this.
  options.registry.registerMetric(metric as unknown as Metric);
  return {
    series(id, labels) {
      let series = all.get(id);
      if (series === undefined) {
        series = { labels, bucketCounts: buckets.map(() => 0), sum: 0, count: 0 };
        all.set(id, series);
      }
      return series;
    },
    observe(series, value) {
      // As prom-client: the first bucket whose bound is ≥ the value; above all of them, +Inf only.
      let index = 0;
      while (index < buckets.length && !(value <= (buckets[index] ?? Infinity))) index += 1;
      if (index < buckets.length)
        series.bucketCounts[index] = (series.bucketCounts[index] ?? 0) + 1;
      series.sum += value;
      series.count += 1;
    },
  };
}
