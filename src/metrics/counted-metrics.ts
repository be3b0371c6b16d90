import { Counter, type Registry } from "prom-client";

/*
 * Counters counted in plain numbers on the request path and handed to prom-client only when
 * `/metrics` is scraped. prom-client hashes the label object on every `inc`: about 0.3 µs each,
 * up to seven of them per request. Here a series is created once, under an id joined from its
 * label values; the caller keeps it, and counting is adding to a number.
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
