/** A streamed answer whose client has stopped taking what it is sent. */
export interface HeldStream {
  /** Bytes written for the client that it has not taken yet (set before `hold`). */
  held: number;
  /** Ends the answer now: the dialect's error event, best effort, and the connection closed. */
  cut(): void;
}

/** What the gateway holds for slow readers, all streams together. */
export interface StreamBuffers {
  /** `stream` waits for its client with `stream.held` bytes unsent; may cut it or others. */
  hold(stream: HeldStream): void;
  /** Its client took what was waiting, or the stream ended; nothing if it was cut. */
  release(stream: HeldStream): void;
  /** Bytes held now. */
  total(): number;
}

/**
 * Bounds the bytes held for clients that read slower than Copilot writes. Each stream already
 * stops reading Copilot while its client lags (backpressure), so one stream holds little; a
 * thousand of them hold a lot. Past `limitBytes` in all, the streams holding the most are cut
 * until the rest fit: the slowest readers pay, not the gateway or the other clients.
 * Only streams waiting for their client are counted, and only when they start or stop waiting;
 * finding whom to cut scans them, and happens only past the limit.
 */
export function createStreamBuffers(options: { readonly limitBytes: number }): StreamBuffers {
  const { limitBytes } = options;
  const waiting = new Set<HeldStream>();
  let total = 0;

  return {
    hold(stream) {
      waiting.add(stream);
      total += stream.held;
      while (total > limitBytes) {
        let slowest: HeldStream | undefined;
        for (const candidate of waiting) {
          if (slowest === undefined || candidate.held > slowest.held) slowest = candidate;
        }
        if (slowest === undefined) break;
        waiting.delete(slowest);
        total -= slowest.held;
        slowest.cut();
      }
    },
    release(stream) {
      if (waiting.delete(stream)) total -= stream.held;
    },
    total() {
      return total;
    },
  };
}
