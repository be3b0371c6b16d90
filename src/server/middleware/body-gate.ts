import type { IncomingHttpHeaders } from "node:http";
import { OverloadedError } from "../../errors.js";

export interface BodyGateOptions {
  /** A body declared larger than this, or of unknown length (chunked), is a large body. */
  readonly largeBodyBytes: number;
  /** How many large bodies may be read and parsed at once. */
  readonly maxLargeBodies: number;
  /** How long a large body may wait for its turn before the request gets 503. */
  readonly maxWaitMs: number;
  /**
   * Establishes that a GitHub token is real: a cached Copilot token, or the one shared exchange
   * for it. Fails (401 for a token GitHub refuses) otherwise.
   */
  readonly verifyGithubToken: (githubToken: string) => Promise<void>;
  readonly setTimeout?: (callback: () => void, ms: number) => { unref?(): unknown };
  readonly clearTimeout?: (timer: unknown) => void;
}

/** What the gate reads of a request whose credential has been found. */
export interface GatedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly githubToken: string;
  /** Whether the gateway itself vouches for the credential (a key, a share token, its account). */
  readonly vouched: boolean;
}

/**
 * Lets a request's body be read: at once for a small body; for a large one only once its
 * credential is known to be real and one of the `maxLargeBodies` turns is free. Resolves with
 * the function that gives the turn back (call it when the body has been parsed).
 */
export type BodyGate = (request: GatedRequest) => Promise<() => void>;

const NOTHING_TO_RELEASE = (): void => undefined;

/**
 * Reading and parsing a body costs the gateway memory and CPU before anyone has judged the
 * credential: a GitHub token is recognised by its shape alone, so a made-up `ghu_…` could make
 * the gateway hold 30 MB bodies and parse them while GitHub has not yet said no. Large bodies
 * therefore wait for the credential to be proven (a Copilot token cached or obtained for it) and
 * for a turn; small ones, nearly all traffic, pass without either.
 */
export function createBodyGate(options: BodyGateOptions): BodyGate {
  const startTimer = options.setTimeout ?? setTimeout;
  const stopTimer = options.clearTimeout ?? ((timer) => clearTimeout(timer as NodeJS.Timeout));
  let reading = 0;
  const waiting: { grant: () => void }[] = [];

  function release(): void {
    const next = waiting.shift();
    if (next === undefined) reading--;
    else next.grant();
  }

  function turn(): Promise<() => void> {
    if (reading < options.maxLargeBodies) {
      reading++;
      return Promise.resolve(once(release));
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          stopTimer(timer);
          resolve(once(release));
        },
      };
      const timer = startTimer(() => {
        const index = waiting.indexOf(waiter);
        if (index !== -1) waiting.splice(index, 1);
        reject(busy(options));
      }, options.maxWaitMs);
      timer.unref?.();
      waiting.push(waiter);
    });
  }

  return async (request) => {
    if (!isLarge(request.headers, options.largeBodyBytes)) return NOTHING_TO_RELEASE;
    if (!request.vouched) await options.verifyGithubToken(request.githubToken);
    return turn();
  };
}

function isLarge(headers: IncomingHttpHeaders, largeBodyBytes: number): boolean {
  const declared = headers["content-length"];
  if (declared === undefined) return headers["transfer-encoding"] !== undefined;
  return Number(declared) > largeBodyBytes;
}

function once(release: () => void): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release();
  };
}

function busy(options: BodyGateOptions): OverloadedError {
  return new OverloadedError(
    `The gateway is reading ${options.maxLargeBodies} large request bodies already ` +
      `(MAX_LARGE_BODIES); try again in a moment`,
    { retryAfter: "1" },
  );
}
