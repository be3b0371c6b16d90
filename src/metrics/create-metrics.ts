import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import type { TokenExchangeOutcome } from "../copilot/token-source.js";
import type { LedgerEntry } from "../ledger/ledger-entry.js";
import { createLabelValueBound } from "./bound-label-values.js";
import { createRequestMetrics } from "./request-metrics.js";

/** What `/metrics` serves: the gateway's counters, histograms and gauges on its own registry. */
export interface Metrics {
  /** One finished request (the ledger's entry) on one of the gateway's routes (`/v1/messages`). */
  recordRequest(entry: LedgerEntry, route: string): void;
  /**
   * One of Copilot's limit windows of an account (`session`, `weekly`, `premium_interactions`);
   * `account` is a fingerprint, never a token. An unknown reset time drops the reset gauge.
   */
  setAccountWindow(
    account: string,
    window: string,
    percentRemaining: number,
    secondsToReset: number | undefined,
  ): void;
  /** One exchange of a GitHub token for a Copilot token (not a cache hit). */
  countTokenExchange(outcome: TokenExchangeOutcome): void;
  streamOpened(): void;
  streamClosed(): void;
  /** The Prometheus text format and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
  /** A few of the counts as plain numbers, for the dashboard's health page. */
  counts(): MetricCounts;
}

export interface MetricCounts {
  readonly tokenExchanges: { readonly ok: number; readonly failed: number };
  /** By error code, most frequent first. */
  readonly upstreamErrors: readonly { readonly kind: string; readonly count: number }[];
  readonly streamsOpen: number;
}

export interface MetricsOptions {
  /** Node's process metrics (CPU, memory, event loop, GC) beside the gateway's; default true. */
  readonly processMetrics?: boolean;
  /** Distinct values per key, model, account and error label before new ones are `other`. */
  readonly maxLabelValues?: number;
}

const DEFAULT_MAX_LABEL_VALUES = 200;

/**
 * Builds the metrics on a registry of their own (never prom-client's global one), so two
 * gateways in one process, or two tests, never count into each other.
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const maxValues = options.maxLabelValues ?? DEFAULT_MAX_LABEL_VALUES;
  const boundAccount = createLabelValueBound(maxValues);
  const boundWindow = createLabelValueBound(maxValues);
  const boundErrorKind = createLabelValueBound(maxValues);
  const registers = [registry];
  // What every request counts is counted in plain numbers and handed to prom-client when
  // scraped (see counted-metrics.ts); so are the counts below that the dashboard reads too.
  const recordRequest = createRequestMetrics(registry, maxValues);
  const exchangeCounts = { ok: 0, failed: 0 };
  const errorCounts = new Map<string, number>();
  let openStreams = 0;

  new Counter({
    name: "cogpt_upstream_errors_total",
    help: "Failed requests by error code",
    labelNames: ["kind"] as const,
    registers,
    collect() {
      this.reset();
      for (const [kind, count] of errorCounts) this.inc({ kind }, count);
    },
  });
  const windowRemaining = new Gauge({
    name: "cogpt_account_window_remaining_percent",
    help: "What is left of a Copilot limit window of an account, in percent",
    labelNames: ["account", "window"] as const,
    registers,
  });
  const windowReset = new Gauge({
    name: "cogpt_account_window_reset_seconds",
    help: "Seconds until a Copilot limit window of an account resets",
    labelNames: ["account", "window"] as const,
    registers,
  });
  new Counter({
    name: "cogpt_token_exchanges_total",
    help: "Exchanges of a GitHub token for a Copilot token, by outcome",
    labelNames: ["outcome"] as const,
    registers,
    // Both outcomes from the start, so a rate of failures is defined before the first one.
    collect() {
      this.reset();
      this.inc({ outcome: "ok" }, exchangeCounts.ok);
      this.inc({ outcome: "failed" }, exchangeCounts.failed);
    },
  });
  new Gauge({
    name: "cogpt_streams_open",
    help: "Streamed answers in progress",
    registers,
    collect() {
      this.set(openStreams);
    },
  });

  return {
    recordRequest(entry, route) {
      recordRequest(entry, route);
      if (entry.errorCode !== undefined && entry.status >= 400) {
        const kind = boundErrorKind(entry.errorCode);
        errorCounts.set(kind, (errorCounts.get(kind) ?? 0) + 1);
      }
    },
    setAccountWindow(account, window, percentRemaining, secondsToReset) {
      const labels = { account: boundAccount(account), window: boundWindow(window) };
      windowRemaining.set(labels, percentRemaining);
      if (secondsToReset === undefined) windowReset.remove(labels);
      else windowReset.set(labels, secondsToReset);
    },
    countTokenExchange(outcome) {
      exchangeCounts[outcome] += 1;
    },
    streamOpened() {
      openStreams += 1;
    },
    streamClosed() {
      openStreams -= 1;
    },
    counts() {
      return {
        tokenExchanges: { ...exchangeCounts },
        upstreamErrors: [...errorCounts]
          .map(([kind, count]) => ({ kind, count }))
          .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind)),
        streamsOpen: openStreams,
      };
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
