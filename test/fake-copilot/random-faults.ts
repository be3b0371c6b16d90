import { randomInt } from "node:crypto";
import type {
  FakeFault,
  RandomFaultKind,
  RandomFaultOptions,
  RecordedRequest,
} from "./fake-copilot-types.js";
import { parseJsonBody } from "./fake-response.js";

/** Only the model calls get random faults: the token exchange and /models stay reliable. */
const FAULTED_PATHS: ReadonlySet<string> = new Set(["/chat/completions", "/embeddings"]);
const MAX_DROP_AFTER_EVENTS = 8;

/** The error message a client sees for each status fault, so a soak run can recognise them. */
export const RANDOM_FAULT_MESSAGES = {
  "500": "fake: injected HTTP 500",
  "502": "fake: injected HTTP 502",
  "503": "fake: injected HTTP 503",
  "429": "fake: injected rate limit",
} as const;

/** Seconds, as the 429 fault's retry-after header says. */
export const RANDOM_FAULT_RETRY_AFTER = "1";

/**
 * Decides per request whether it gets a fault and which one, from its own seeded PRNG so a
 * sequence of draws can be repeated. Returns a FakeFault the fake applies like a queued one.
 */
export function createRandomFaults(
  options: RandomFaultOptions,
): (request: RecordedRequest) => FakeFault | undefined {
  const { rate, kinds } = options;
  if (!(rate >= 0 && rate <= 1)) throw new Error(`randomFaults.rate must be 0 to 1, not ${rate}`);
  if (kinds.length === 0) throw new Error("randomFaults.kinds must name at least one kind");
  const random = createRandom(options.seed ?? randomInt(2 ** 32));

  return (request) => {
    if (request.method !== "POST" || !FAULTED_PATHS.has(request.path)) return undefined;
    if (random() >= rate) return undefined;
    const streamed = request.path === "/chat/completions" && isStreamRequest(request.body);
    const candidates = kinds.filter((kind) => kind !== "drop" || streamed);
    const kind = candidates[Math.floor(random() * candidates.length)];
    if (kind === undefined) return undefined;
    options.onFault?.({ kind, path: request.path, requestId: request.headers["x-request-id"] });
    return toFakeFault(kind, request.path, random);
  };
}

function toFakeFault(kind: RandomFaultKind, path: string, random: () => number): FakeFault {
  switch (kind) {
    case "500":
    case "502":
    case "503":
      // Copilot's 5xx bodies are plain text.
      return { path, status: Number(kind), body: `${RANDOM_FAULT_MESSAGES[kind]}\n` };
    case "429":
      return {
        path,
        status: 429,
        body: JSON.stringify({
          error: { message: RANDOM_FAULT_MESSAGES["429"], code: "rate_limited" },
        }),
        headers: { "retry-after": RANDOM_FAULT_RETRY_AFTER },
      };
    case "reset":
      return { path, reset: true };
    case "drop":
      return { path, dropAfterChunks: 1 + Math.floor(random() * MAX_DROP_AFTER_EVENTS) };
    default: {
      const unhandled: never = kind;
      throw new Error(`unknown random fault kind ${String(unhandled)}`);
    }
  }
}

function isStreamRequest(body: string): boolean {
  const parsed = parseJsonBody(body);
  return parsed.ok && parsed.value["stream"] === true;
}

/** mulberry32: tiny, fast, and good enough to spread faults; not for anything secret. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), state | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
