import { Histogram, type Registry } from "prom-client";
import type { DialectName } from "../dialects/dialect.js";
import type { CreditsSource, LedgerEntry } from "../ledger/ledger-entry.js";
import { createLabelValueBound } from "./bound-label-values.js";
import { createCountedCounter, type CounterSeries } from "./counted-metrics.js";

/** A chat answer takes from a fraction of a second to minutes (long agent turns, reasoning). */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** The wait before a stream's first byte: what a user feels as "thinking". */
const FIRST_BYTE_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
const NANO_CREDITS_PER_CREDIT = 1e9;

type TokenType = "input" | "cache_read" | "cache_write" | "output" | "reasoning";

/**
 * The series that requests of one route, dialect, key and model count into, kept so that a
 * request finds them all at once; its status, token types and credit source pick among a few.
 */
interface RequestSeries {
  readonly route: string;
  readonly dialect: DialectName;
  readonly key: string;
  readonly model: string;
  readonly byStatus: Map<number, CounterSeries<"route" | "dialect" | "model" | "status">>;
  readonly duration: Histogram.Internal<"route" | "dialect">;
  readonly tokens: Map<TokenType, CounterSeries<"key" | "model" | "type">>;
  readonly credits: Map<CreditsSource, CounterSeries<"key" | "model" | "source">>;
}

/**
 * What every finished request counts: requests, duration, first byte, tokens and credits, on
 * `registry`. Key and model values beyond `maxLabelValues` distinct ones are `other`.
 *
 * The counters are counted in plain numbers and handed to prom-client when scraped
 * (counted-metrics.ts): with prom-client's own `inc` for each a request cost ~2.2 µs here.
 */
export function createRequestMetrics(
  registry: Registry,
  maxLabelValues: number,
): (entry: LedgerEntry, route: string) => void {
  const boundModel = createLabelValueBound(maxLabelValues);
  const boundKey = createLabelValueBound(maxLabelValues);
  const requests = createCountedCounter({
    name: "cogpt_requests_total",
    help: "Requests answered, by route, dialect, model used (else asked) and HTTP status",
    labelNames: ["route", "dialect", "model", "status"],
    registry,
  });
  // prom-client's own histograms (a series' bound child kept below): counting their buckets here
  // too would save ~0.3 µs an observation, not worth a second copy of what prom-client does.
  const duration = new Histogram({
    name: "cogpt_request_duration_seconds",
    help: "Time from a request's arrival to the end of its answer",
    labelNames: ["route", "dialect"] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const firstByte = new Histogram({
    name: "cogpt_time_to_first_byte_seconds",
    help: "Time from a stream request's arrival to the first byte of its answer",
    labelNames: ["dialect"] as const,
    buckets: FIRST_BYTE_BUCKETS,
    registers: [registry],
  });
  const tokens = createCountedCounter({
    name: "cogpt_tokens_total",
    help: "Tokens used, by key, model and type (input, cache_read, cache_write, output, reasoning)",
    labelNames: ["key", "model", "type"],
    registry,
  });
  // Nano-credits add up exactly as integers; credits added up as fractions would drift.
  const credits = createCountedCounter({
    name: "cogpt_credits_total",
    help: "AI credits spent, by key, model and source (copilot: Copilot's figure; estimate: from prices)",
    labelNames: ["key", "model", "source"],
    registry,
    unit: NANO_CREDITS_PER_CREDIT,
  });
  // Route → dialect → key → model, the values as they are: joining them into one id string,
  // then hashing it, cost more than all the counting after it.
  const seriesTree = new Map<string, Map<DialectName, Map<string, Map<string, RequestSeries>>>>();

  function seriesOf(route: string, dialect: DialectName, key: string, model: string) {
    const byModel = branch(branch(branch(seriesTree, route), dialect), key);
    let series = byModel.get(model);
    if (series === undefined) {
      series = {
        route,
        dialect,
        key,
        model,
        byStatus: new Map(),
        duration: duration.labels({ route, dialect }),
        tokens: new Map(),
        credits: new Map(),
      };
      byModel.set(model, series);
    }
    return series;
  }

  function countRequest(series: RequestSeries, status: number) {
    let counted = series.byStatus.get(status);
    if (counted === undefined) {
      const { route, dialect, model } = series;
      counted = requests.series(`${route}\0${dialect}\0${model}\0${status}`, {
        route,
        dialect,
        model,
        status: String(status),
      });
      series.byStatus.set(status, counted);
    }
    counted.value += 1;
  }

  function countTokens(series: RequestSeries, type: TokenType, count: number) {
    if (count <= 0) return;
    let counted = series.tokens.get(type);
    if (counted === undefined) {
      const { key, model } = series;
      counted = tokens.series(`${key}\0${model}\0${type}`, { key, model, type });
      series.tokens.set(type, counted);
    }
    counted.value += count;
  }

  function countCredits(series: RequestSeries, source: CreditsSource, nanoCredits: number) {
    if (nanoCredits <= 0) return;
    let counted = series.credits.get(source);
    if (counted === undefined) {
      const { key, model } = series;
      counted = credits.series(`${key}\0${model}\0${source}`, { key, model, source });
      series.credits.set(source, counted);
    }
    counted.value += nanoCredits;
  }

  return (entry, route) => {
    const model = boundModel(entry.modelUsed ?? entry.modelAsked ?? "unknown");
    const series = seriesOf(route, entry.dialect, boundKey(entry.keyName), model);
    countRequest(series, entry.status);
    series.duration.observe(entry.latencyMs / 1000);
    if (entry.stream && entry.firstByteMs !== undefined) {
      firstByte.observe({ dialect: entry.dialect }, entry.firstByteMs / 1000);
    }
    countTokens(series, "input", entry.inputTokens);
    countTokens(series, "cache_read", entry.cacheReadTokens);
    countTokens(series, "cache_write", entry.cacheWriteTokens);
    countTokens(series, "output", entry.outputTokens);
    countTokens(series, "reasoning", entry.reasoningTokens);
    countCredits(series, entry.creditsSource, entry.nanoCredits);
  };
}

/** The map under `key`, added when missing. */
function branch<K, InnerKey, Value>(
  tree: Map<K, Map<InnerKey, Value>>,
  key: K,
): Map<InnerKey, Value> {
  let inner = tree.get(key);
  if (inner === undefined) {
    inner = new Map();
    tree.set(key, inner);
  }
  return inner;
}
