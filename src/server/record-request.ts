import type { Ledger } from "../ledger/sqlite-ledger.js";
import type { LedgerEntry } from "../ledger/ledger-entry.js";
import type { Logger } from "../logging/create-logger.js";
import type { Metrics } from "../metrics/create-metrics.js";
import { writeRequestLog, type LoggedRequest } from "./middleware/request-log.js";

/** What is done once a request's answer is over: its log line, its ledger entry, its metrics. */
export type RecordRequest = (request: LoggedRequest, status: number) => void;

export interface RecordRequestOptions {
  readonly logger: Logger;
  readonly debug: boolean;
  readonly ledger: Ledger;
  readonly metrics?: Metrics | undefined;
  /** Epoch ms. */
  readonly now: () => number;
}

/**
 * The one place a finished request is accounted: every conversation request (its dialect set
 * along the way) becomes one ledger entry, whether it succeeded, failed or was cut short, and
 * the managed key's turn ends with what it cost.
 */
export function createRequestRecorder(options: RecordRequestOptions): RecordRequest {
  const { ledger, metrics, now } = options;
  return (request, status) => {
    writeRequestLog(options.logger, request, status, options.debug);
    const fields = request.log;
    if (fields.dialect === undefined) {
      fields.endKeyTurn?.(0);
      return;
    }
    const cost = fields.cost;
    const latencyMs = performance.now() - request.startedAt;
    const entry: LedgerEntry = {
      time: Math.round(now() - latencyMs),
      requestId: request.requestId,
      keyName: fields.keyName ?? "unknown",
      account: fields.account ?? "unknown",
      dialect: fields.dialect,
      endpoint: fields.endpoint,
      modelAsked: fields.model,
      modelUsed: fields.modelUsed,
      initiator: fields.initiator,
      status,
      latencyMs,
      firstByteMs: fields.firstByteMs,
      stream: fields.stream === true,
      complete: fields.complete ?? status < 400,
      inputTokens: cost?.tokens.input ?? 0,
      cacheReadTokens: cost?.tokens.cache_read ?? 0,
      cacheWriteTokens: cost?.tokens.cache_write ?? 0,
      outputTokens: cost?.tokens.output ?? 0,
      reasoningTokens: cost?.reasoningTokens ?? 0,
      nanoCredits: cost?.nanoCredits ?? 0,
      creditsSource: cost?.creditsSource ?? "none",
      premiumRequests: cost === undefined ? 0 : cost.premiumRequests,
      fallbackFrom: fields.fallbackFrom,
      supportId: fields.upstreamRequestId,
      errorCode: fields.errorCode,
    };
    ledger.record(entry);
    metrics?.recordRequest(entry, request.path);
    fields.endKeyTurn?.(entry.nanoCredits);
  };
}
