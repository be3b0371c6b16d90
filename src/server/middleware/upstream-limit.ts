import { OverloadedError } from "../../errors.js";
import type { Exchange } from "../exchange.js";

export interface UpstreamLimitOptions {
  /** Requests served at once, every credential together; past it a new request gets 503 at once. */
  readonly maxTotal: number;
  /** Requests one credential has served at once; past it the next ones wait in its queue. */
  readonly maxPerCredential: number;
  /** Longest wait in a credential's queue before 503. */
  readonly queueTimeoutMs: number;
  /** Seconds a refused client is told to wait (`Retry-After`). */
  readonly retryAfterSeconds: number;
  /** Runs `callback` after `ms`; returns what cancels it (tests pass a fake clock). */
  readonly schedule?: (callback: () => void, ms: number) => () => void;
}

/** Gives a slot back; calling it again does nothing. */
export type Release = () => void;

/** A request in its credential's queue. */
export interface Waiting {
  /** The slot once it is this request's turn; fails with 503 past the queue timeout. */
  readonly slot: Promise<Release>;
  /** The client went away: leave the queue (the promise fails). */
  readonly leave: () => void;
}

export interface UpstreamLimit {
  /**
   * A slot for one request of `credential`: at once (a Release), after waiting in the
   * credential's queue (Waiting), or an OverloadedError thrown at once.
   */
  acquire(credential: string): Release | Waiting;
  /** Slots taken and requests waiting, for tests and the log. */
  counts(): { readonly active: number; readonly queued: number };
}

interface Waiter {
  readonly resolve: (release: Release) => void;
  cancelTimer: () => void;
}

interface CredentialSlots {
  active: number;
  /** In arrival order (a Set keeps insertion order and deletes in O(1)). */
  readonly queue: Set<Waiter>;
}

/**
 * Bounds the requests that hold an upstream call at once, so that no client can make the others
 * wait without end: past `maxTotal` a request is refused at once with 503 and `Retry-After` (a
 * queue in front of a full gateway only turns overload into timeouts); one credential holds at
 * most `maxPerCredential` slots and its further requests queue behind its own, up to
 * `queueTimeoutMs` and at most `maxPerCredential` of them. A freed slot goes to the next request
 * of the same credential, so waiting never takes a slot from anyone else.
 * Constant work per request; a timer only for a request that waits.
 */
export function createUpstreamLimit(options: UpstreamLimitOptions): UpstreamLimit {
  const { maxTotal, maxPerCredential, queueTimeoutMs } = options;
  const retryAfter = String(options.retryAfterSeconds);
  const schedule = options.schedule ?? scheduleWithTimer;
  const credentials = new Map<string, CredentialSlots>();
  let active = 0;
  let queued = 0;

  function releaseFor(slots: CredentialSlots, credential: string): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const waiter of slots.queue) {
        slots.queue.delete(waiter);
        queued--;
        waiter.cancelTimer();
        // The slot passes to the credential's next request: the totals do not change.
        waiter.resolve(releaseFor(slots, credential));
        return;
      }
      slots.active--;
      active--;
      if (slots.active === 0) credentials.delete(credential);
    };
  }

  return {
    acquire(credential) {
      if (active >= maxTotal) {
        throw new OverloadedError(
          `The gateway is serving its limit of ${maxTotal} requests at once (UPSTREAM_CONCURRENCY); try again in ${retryAfter} s`,
          { code: "server_busy", retryAfter },
        );
      }
      let slots = credentials.get(credential);
      if (slots === undefined) {
        slots = { active: 0, queue: new Set() };
        credentials.set(credential, slots);
      }
      if (slots.active < maxPerCredential) {
        slots.active++;
        active++;
        return releaseFor(slots, credential);
      }
      if (slots.queue.size >= maxPerCredential) {
        throw new OverloadedError(
          `This credential has ${maxPerCredential} requests in progress and ${maxPerCredential} waiting (CREDENTIAL_CONCURRENCY); try again in ${retryAfter} s`,
          { code: "credential_busy", retryAfter },
        );
      }
      const queue = slots.queue;
      let resolve: (release: Release) => void = noop;
      let reject: (error: Error) => void = noop;
      const slot = new Promise<Release>((onSlot, onRefusal) => {
        resolve = onSlot;
        reject = onRefusal;
      });
      const waiter: Waiter = { resolve, cancelTimer: noop };
      const leaveWith = (error: Error) => {
        if (!queue.delete(waiter)) return;
        queued--;
        waiter.cancelTimer();
        reject(error);
      };
      waiter.cancelTimer = schedule(
        () =>
          leaveWith(
            new OverloadedError(
              `This credential's ${maxPerCredential} requests in progress (CREDENTIAL_CONCURRENCY) freed no slot within ${queueTimeoutMs} ms (QUEUE_TIMEOUT); try again in ${retryAfter} s`,
              { code: "queue_timeout", retryAfter },
            ),
          ),
        queueTimeoutMs,
      );
      queue.add(waiter);
      queued++;
      return { slot, leave: () => leaveWith(clientGoneError()) };
    },
    counts() {
      return { active, queued };
    },
  };
}

/**
 * Takes a slot for an authenticated request and holds it until its answer is over: sent in
 * full, or cut off because the client went away (a stream holds it to its last event, or, read
 * on for Copilot's cost after its client left, until it lets go of Copilot). A client
 * that leaves while waiting gives up its place in the queue.
 */
export function limitUpstream(limit: UpstreamLimit): (exchange: Exchange) => void | Promise<void> {
  return (exchange) => {
    const outgoing = exchange.outgoing;
    const acquired = limit.acquire(exchange.credential ?? "");
    if (typeof acquired === "function") {
      exchange.whenOver(acquired);
      return;
    }
    outgoing.once("close", acquired.leave);
    return acquired.slot.then((release) => {
      outgoing.off("close", acquired.leave);
      exchange.whenOver(release);
    });
  };
}

function clientGoneError(): Error {
  const error = new Error("The client closed the connection while waiting for a slot");
  error.name = "AbortError";
  return error;
}

function scheduleWithTimer(callback: () => void, ms: number): () => void {
  const timer = setTimeout(callback, ms);
  return () => clearTimeout(timer);
}

function noop(): void {}
