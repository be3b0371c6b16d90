import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { TokenExchangeOutcome } from "../copilot/token-source.js";
import type { LedgerEntry } from "../ledger/ledger-entry.js";
import { createLabelValueBound } from "./bound-label-values.js";

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

/** A chat answer takes from a fraction of a second to minutes (long agent turns, reasoning). */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** The wait before a stream's first byte: what a user feels as "thinking". */
const FIRST_BYTE_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
const DEFAULT_MAX_LABEL_VALUES = 200;
const NANO_CREDITS_PER_CREDIT = 1e9;

/**
 * Builds the metrics on a registry of their own (never prom-client's global one), so two
 * gateways in one process, or two tests, never count into each other.
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const maxValues = options.maxLabelValues ?? DEFAULT_MAX_LABEL_VALUES;
  const boundModel = createLabelValueBound(maxValues);
  const boundKey = createLabelValueBound(maxValues);
  const boundAccount = createLabelValueBound(maxValues);
  const boundWindow = createLabelValueBound(maxValues);
  const boundErrorKind = createLabelValueBound(maxValues);
  const registers = [registry];

  const requests = new Counter({
    name: "cogpt_requests_total",
    help: "Requests answered, by route, dialect, model used (else asked) and HTTP status",
    labelNames: ["route", "dialect", "model", "status"] as const,
    registers,
  });
  const duration = new Histogram({
    name: "cogpt_request_duration_seconds",
    help: "Time from a request's arrival to the end of its answer",
    labelNames: ["route", "dialect"] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const firstByte = new Histogram({
    name: "cogpt_time_to_first_byte_seconds",
    help: "Time from a stream request's arrival to the first byte of its answer",
    labelNames: ["dialect"] as const,
    buckets: FIRST_BYTE_BUCKETS,
    registers,
  });
  const tokens = new Counter({
    name: "cogpt_tokens_total",
    help: "Tokens used, by key, model and type (input, cache_read, cache_write, output, reasoning)",
    labelNames: ["key", "model", "type"] as const,
    registers,
  });
  const credits = new Counter({
    name: "cogpt_credits_total",
    help: "AI credits spent, by key, model and source (copilot: Copilot's figure; estimate: from prices)",
    labelNames: ["key", "model", "source"] as const,
    registers,
  });
  const upstreamErrors = new Counter({
    name: "cogpt_upstream_errors_total",
    help: "Failed requests by error code",
    labelNames: ["kind"] as const,
    registers,
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
  const tokenExchanges = new Counter({
    name: "cogpt_token_exchanges_total",
    help: "Exchanges of a GitHub token for a Copilot token, by outcome",
    labelNames: ["outcome"] as const,
    registers,
  });
  const streamsOpen = new Gauge({
    name: "cogpt_streams_open",
    help: "Streamed answers in progress",
    registers,
  });
  // The same counts as plain numbers, so the dashboard need not parse the registry.
  const exchangeCounts = { ok: 0, failed: 0 };
  const errorCounts = new Map<string, number>();
  let openStreams = 0;
  // Both outcomes from the start, so a rate of failures is defined before the first one.
  tokenExchanges.inc({ outcome: "ok" }, 0);
  tokenExchanges.inc({ outcome: "failed" }, 0);

  return {
    recordRequest(entry, route) {
      const model = boundModel(entry.modelUsed ?? entry.modelAsked ?? "unknown");
      const key = boundKey(entry.keyName);
      const { dialect } = entry;
      requests.inc({ route, dialect, model, status: String(entry.status) });
      duration.observe({ route, dialect }, entry.latencyMs / 1000);
      if (entry.stream && entry.firstByteMs !== undefined) {
        firstByte.observe({ dialect }, entry.firstByteMs / 1000);
      }
      const counts = [
        ["input", entry.inputTokens],
        ["cache_read", entry.cacheReadTokens],
        ["cache_write", entry.cacheWriteTokens],
        ["output", entry.outputTokens],
        ["reasoning", entry.reasoningTokens],
      ] as const;
      for (const [type, count] of counts) {
        if (count > 0) tokens.inc({ key, model, type }, count);
      }
      if (entry.nanoCredits > 0) {
        credits.inc(
          { key, model, source: entry.creditsSource },
          entry.nanoCredits / NANO_CREDITS_PER_CREDIT,
        );
      }
      if (entry.errorCode !== undefined && entry.status >= 400) {
        const kind = boundErrorKind(entry.errorCode);
        upstreamErrors.inc({ kind });
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
      tokenExchanges.inc({ outcome });
      exchangeCounts[outcome] += 1;
    },
    streamOpened() {
      streamsOpen.inc();
      openStreams += 1;
    },
    streamClosed() {
      streamsOpen.dec();
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
