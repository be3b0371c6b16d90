import type { AbortSignalLike } from "./abort-signal-like.js";

/** How a request is retried: bounded in count and in total time, with jittered backoff. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number;
  /** No retry starts once this much time has passed since the first attempt, ms. */
  readonly budgetMs: number;
  /** First backoff, ms; doubled each retry, capped at `maxDelayMs`, then jittered. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number, signal?: AbortSignalLike) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
}

export interface RetryContext {
  readonly attempt: number;
  readonly signal?: AbortSignalLike | undefined;
}

/**
 * Runs `attempt` until it succeeds, throws an error `isRetryable` refuses, or the retries or the
 * time budget run out (the last error is thrown then).
 */
export async function retry<T>(
  policy: RetryPolicy,
  isRetryable: (error: unknown) => boolean,
  attempt: (context: RetryContext) => Promise<T>,
  signal?: AbortSignalLike,
): Promise<T> {
  const now = policy.now ?? Date.now;
  const sleep = policy.sleep ?? sleepFor;
  const random = policy.random ?? Math.random;
  const base = policy.baseDelayMs ?? 200;
  const cap = policy.maxDelayMs ?? 2_000;
  const started = now();
  for (let n = 0; ; n++) {
    try {
      return await attempt({ attempt: n, signal });
    } catch (error) {
      if (n >= policy.retries || signal?.aborted === true || !isRetryable(error)) throw error;
      // "Equal jitter": half fixed, half random, so retries spread out but never come at once.
      const ceiling = Math.min(cap, base * 2 ** n);
      const delay = ceiling / 2 + random() * (ceiling / 2);
      if (now() - started + delay > policy.budgetMs) throw error;
      await sleep(delay, signal);
    }
  }
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
export function sleepFor(ms: number, signal?: AbortSignalLike): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignalLike | undefined): Error {
  const reason = signal?.reason;
  return reason instanceof Error ? reason : new Error("aborted", { cause: reason });
}
