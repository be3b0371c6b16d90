import type { ClassifiedFailure, FailureCause } from "./soak-classify.js";
import { REQUEST_KINDS, type RequestKind } from "./soak-traffic.js";

const MAX_EXAMPLES = 5;

export interface KindStats {
  requests: number;
  successes: number;
  upstreamFaults: number;
  gatewayFailures: number;
  /** Every request's time, ms, for the percentiles. */
  readonly latenciesMs: number[];
}

export interface SoakStats {
  readonly byKind: Readonly<Record<RequestKind, KindStats>>;
  /** "cause: reason" → count. */
  readonly failureReasons: ReadonlyMap<string, number>;
  /** Messages of `gateway` failures: the first of each reason, and the first few overall. */
  readonly gatewayExamples: readonly string[];
  recordSuccess(kind: RequestKind, ms: number): void;
  recordFailure(kind: RequestKind, ms: number, failure: ClassifiedFailure): void;
  total(field: "requests" | "successes" | "upstreamFaults" | "gatewayFailures"): number;
}

export function createSoakStats(): SoakStats {
  const byKind = Object.fromEntries(
    REQUEST_KINDS.map((kind) => [
      kind,
      { requests: 0, successes: 0, upstreamFaults: 0, gatewayFailures: 0, latenciesMs: [] },
    ]),
  ) as unknown as Record<RequestKind, KindStats>;
  const failureReasons = new Map<string, number>();
  const gatewayExamples: string[] = [];
  return {
    byKind,
    failureReasons,
    gatewayExamples,
    recordSuccess(kind, ms) {
      const stats = byKind[kind];
      stats.requests++;
      stats.successes++;
      stats.latenciesMs.push(ms);
    },
    recordFailure(kind, ms, failure) {
      const stats = byKind[kind];
      stats.requests++;
      stats.latenciesMs.push(ms);
      if (failure.cause === "gateway") stats.gatewayFailures++;
      else stats.upstreamFaults++;
      const key = reasonKey(failure.cause, failure.reason);
      const seen = failureReasons.get(key) ?? 0;
      failureReasons.set(key, seen + 1);
      if (failure.cause === "gateway" && (seen === 0 || gatewayExamples.length < MAX_EXAMPLES)) {
        gatewayExamples.push(`[${kind}] ${failure.reason}: ${failure.message}`);
      }
    },
    total(field) {
      return REQUEST_KINDS.reduce((sum, kind) => sum + byKind[kind][field], 0);
    },
  };
}

export function reasonKey(cause: FailureCause, reason: string): string {
  return `${cause}: ${reason}`;
}

/** The value below which `fraction` of the sorted values lie (nearest rank). */
export function percentile(values: readonly number[], fraction: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank];
}
