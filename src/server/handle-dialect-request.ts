import type { IncomingHttpHeaders } from "node:http";
import type { ThinkingSignatureStore } from "../cache/thinking-signature-store.js";
import type { Config } from "../config/config.js";
import type { CopilotClient, CopilotResponse } from "../copilot/copilot-client.js";
import { limitRefusalFor } from "../copilot/limit-refusals.js";
import {
  createStreamUsageReader,
  readAnswerUsage,
  type StreamUsageReader,
} from "../dialects/read-stream-usage.js";
import { UpstreamError } from "../errors.js";
import type { KeyLimiter } from "../keys/key-limits.js";
import type { ManagedKey } from "../keys/managed-key.js";
import { costOfAnswer } from "../ledger/cost-of-answer.js";
import type { Accounting } from "../ledger/create-accounting.js";
import { UpstreamAnswer } from "../translate/parse-upstream-json.js";
import { formatCredits } from "../keys/credit-amount.js";
import type { Metrics } from "../metrics/create-metrics.js";
import type { RecordRequest } from "./record-request.js";
import type { ModelCatalog } from "../copilot/models.js";
import { resolveModel } from "../copilot/resolve-model.js";
import type {
  AnswerUsage,
  ConversionContext,
  Dialect,
  RequestTraits,
  UpstreamRequest,
} from "../dialects/dialect.js";
import type { CopilotModel, UpstreamEndpoint } from "../protocols/copilot.js";
import type { Logger } from "../logging/create-logger.js";
import { bindThinkingSignatures } from "./bind-thinking-signatures.js";
import { chooseUpstream } from "./choose-upstream.js";
import { createEventStream, type StreamOutcome } from "./event-stream.js";
import type { Exchange, RequestLogFields } from "./exchange.js";
import type { Handler } from "./router.js";
import { readJsonBody } from "./read-json-body.js";
import { recordUpstreamAnswerIds } from "./record-upstream-request-ids.js";
import { expectEventStream, readUpstreamText } from "./read-upstream-answer.js";
import { streamBody } from "./stream-body.js";

export interface DialectHandlerDependencies {
  readonly config: Config;
  readonly copilot: CopilotClient;
  readonly models: ModelCatalog;
  readonly logger: Logger;
  readonly now: () => number;
  /** Which model made which thinking signature: one store per app. */
  readonly thinkingSignatures: ThinkingSignatureStore;
  /** The ledger, prices and each account's Copilot limits. */
  readonly accounting: Accounting;
  /** Managed keys' limits (the model check; the rest is done at admission). */
  readonly keyLimiter: KeyLimiter;
  /** Log line, ledger entry and metrics of a finished request. */
  readonly recordRequest: RecordRequest;
  readonly metrics?: Metrics | undefined;
}

const JSON_TYPE = "application/json; charset=utf-8";

/**
 * The one path of every conversation request, whatever API the client speaks: read and check
 * the body through the dialect's schema, resolve the model, choose Copilot's endpoint from the
 * routing table, convert the request there, call Copilot (retries and token refresh inside),
 * then either convert the whole answer back or run the stream pipeline (upstream bytes → SSE
 * parser → the dialect's translator → SSE formatter → socket).
 */
export function createDialectHandler<Request>(
  dialect: Dialect<Request>,
  deps: DialectHandlerDependencies,
  answerFirst?: RequestAnsweredFirst<Request>,
): Handler {
  const { config, copilot } = deps;
  return async (exchange: Exchange) => {
    const { value: request, raw } = await readJsonBody(
      exchange,
      dialect.requestSchema,
      config.bodyLimit,
    );
    if (answerFirst !== undefined && (await answerFirst(exchange, request))) return;
    const input: DialectCallInput<Request> = {
      request,
      raw,
      githubToken: exchange.githubToken,
      requestId: exchange.requestId,
      header: (name) => exchange.header(name),
      log: exchange.log,
      key: exchange.key,
      account: exchange.log.account ?? exchange.credential ?? "",
    };
    let call = await prepareDialectCall(dialect, deps, input);
    const send = (prepared: DialectCall<Request>) =>
      copilot.call({
        githubToken: exchange.githubToken,
        method: "POST",
        path: prepared.endpoint,
        body: prepared.outgoing.body,
        initiator: prepared.traits.initiator,
        vision: prepared.traits.vision,
        requestId: exchange.requestId,
        signal: exchange.signal,
        protocolHeaders: prepared.outgoing.headers,
      });
    let upstream: CopilotResponse;
    try {
      upstream = await send(call);
    } catch (error) {
      // A used-up allowance: served by the fallback model if one is set, else the 429 stands.
      if (!noteLimitRefusal(deps, input.account, error) || call.fallbackFrom !== undefined) {
        throw error;
      }
      const fallback = await prepareDialectCall(dialect, deps, { ...input, useFallback: true });
      if (fallback.fallbackFrom === undefined) throw error;
      call = fallback;
      upstream = await send(call);
    }
    const { traits, endpoint, context } = call;
    if (call.fallbackFrom !== undefined) exchange.setHeader(FALLBACK_HEADER, call.model.id);
    deps.accounting.accounts.observe(
      input.account,
      upstream.headers,
      call.fallbackFrom === undefined,
    );
    copyQuotaHeaders(exchange, upstream.headers);
    const what = ANSWER_NAMES[endpoint];
    if (!traits.stream) {
      const answer = new UpstreamAnswer(await readUpstreamText(upstream, what));
      const cost = costOfAnswer(
        readAnswerUsage(endpoint, answer),
        call.model,
        traits.initiator,
        deps.accounting.prices,
      );
      exchange.log.cost = cost;
      if (cost.creditsSource === "copilot" || cost.creditsSource === "estimate") {
        exchange.setHeader("x-cogpt-credits", formatCredits(cost.nanoCredits));
        exchange.setHeader("x-cogpt-credits-source", cost.creditsSource);
      }
      exchange.send(200, dialect.fromUpstream(endpoint, answer, request, context), JSON_TYPE);
      return;
    }
    await expectEventStream(upstream, what);
    exchange.log.firstByteMs = performance.now() - exchange.startedAt;
    const translator = dialect.createStreamTranslator(endpoint, request, context);
    const usage = createStreamUsageReader(endpoint);
    deps.metrics?.streamOpened();
    const readOnMs = config.abortedStreamWaitMs;
    const letGo = readOnMs > 0 ? exchange.letUpstreamOutliveClient() : undefined;
    const accountIt = accountWhenStreamEnds(exchange, deps, call, usage);
    streamBody(
      exchange,
      createEventStream(
        upstream,
        translator,
        (outcome) => {
          accountIt(outcome);
          letGo?.();
        },
        usage,
        readOnMs,
      ),
    );
  };
}

/** Names the model that served instead of the one asked for (FALLBACK_MODEL, a key's own). */
export const FALLBACK_HEADER = "x-cogpt-fallback-model";

/**
 * Copilot refused for a used-up allowance: the account is marked so until the window's reset
 * (later requests go straight to a fallback model, if one is set). True for such a refusal.
 */
function noteLimitRefusal(
  deps: DialectHandlerDependencies,
  account: string,
  error: unknown,
): boolean {
  if (!(error instanceof UpstreamError)) return false;
  const refusal = limitRefusalFor(error.code);
  if (refusal?.exhaustsAccount !== true || error.code === undefined) return false;
  const seconds = Number(error.retryAfter);
  deps.accounting.accounts.markExhausted(
    account,
    error.code,
    deps.now() + (Number.isFinite(seconds) ? seconds * 1000 : 0),
  );
  return true;
}

/**
 * A route's own answer to some of its requests, tried once the body is parsed (Anthropic's
 * web_search server tool, which the gateway runs itself); false: the generic path serves it.
 */
export type RequestAnsweredFirst<Request> = (
  exchange: Exchange,
  request: Request,
) => Promise<boolean>;

/** One parsed request, ready to send: whichever transport carries it to Copilot and back. */
export interface DialectCall<Request> {
  readonly request: Request;
  readonly traits: RequestTraits;
  readonly model: CopilotModel;
  readonly endpoint: UpstreamEndpoint;
  readonly context: ConversionContext;
  readonly outgoing: UpstreamRequest;
  /** The model asked for, when the fallback model serves instead. */
  readonly fallbackFrom?: string | undefined;
}

export interface DialectCallInput<Request> {
  readonly request: Request;
  /** The client's body as received. */
  readonly raw: string;
  readonly githubToken: string;
  readonly requestId: string;
  readonly header: (name: string) => string | undefined;
  /** The request's log fields: model asked and used, stream, initiator. */
  readonly log: RequestLogFields;
  /** The managed key the request came with, whose allowed models apply. */
  readonly key: ManagedKey | undefined;
  /** Fingerprint of the account spent (its Copilot limits). */
  readonly account: string;
  /** Serve with the fallback model (Copilot just refused the account for a used-up allowance). */
  readonly useFallback?: boolean;
}

/**
 * What every transport (HTTP, WebSocket) does between a parsed request and the call: the
 * dialect's checks and traits, model resolution, the routing table, the conversion for the
 * chosen endpoint (with what could not be carried over logged).
 */
export async function prepareDialectCall<Request>(
  dialect: Dialect<Request>,
  deps: DialectHandlerDependencies,
  input: DialectCallInput<Request>,
): Promise<DialectCall<Request>> {
  const { config, models, logger } = deps;
  const { request, log } = input;
  dialect.checkRequest(request);
  const traits = dialect.traits(request);
  log.model = traits.model;
  log.stream = traits.stream;
  log.initiator = traits.initiator;

  const available = await models.getModels(input.githubToken, input.requestId);
  const asked = resolveModel(traits.model, available, config.modelMap, "chat");
  if (input.key !== undefined)
    deps.keyLimiter.checkModel(input.key, traits.model ?? asked.id, asked.id);
  // While the account's allowance is used up, the fallback model serves, announced (header, log).
  const fallbackName = input.key?.fallbackModel ?? config.fallbackModel;
  const fallback =
    fallbackName !== undefined &&
    (input.useFallback === true || deps.accounting.accounts.exhaustion(input.account) !== undefined)
      ? resolveModel(fallbackName, available, config.modelMap, "chat")
      : undefined;
  const model = fallback !== undefined && fallback.id !== asked.id ? fallback : asked;
  const fallbackFrom = model === asked ? undefined : asked.id;
  log.modelUsed = model.id;
  if (fallbackFrom !== undefined) log.fallbackFrom = fallbackFrom;
  const endpoint = chooseUpstream(dialect.name, model);
  const context: ConversionContext = {
    model,
    created: Math.floor(deps.now() / 1000),
    header: input.header,
    signatures: bindThinkingSignatures(deps.thinkingSignatures, input.githubToken),
  };
  const outgoing = dialect.toUpstream(endpoint, request, input.raw, context);
  for (const warning of outgoing.warnings) {
    logger.warn(
      { reqId: input.requestId, model: model.id },
      `not carried to ${model.id}: ${warning}`,
    );
  }
  for (const note of outgoing.notes ?? []) {
    logger.debug({ reqId: input.requestId, model: model.id }, `changed for Copilot: ${note}`);
  }
  return { request, traits, model, endpoint, context, outgoing, fallbackFrom };
}

/** How Copilot's answer on each endpoint is named in messages. */
export const ANSWER_NAMES = {
  "/chat/completions": "chat completion",
  "/responses": "Responses answer",
  "/v1/messages": "Messages answer",
} as const;

/**
 * A streamed answer is logged and accounted when the stream ends (with why, if it ended early),
 * not when the handler returns. A stream cut short before Copilot's final usage is accounted
 * with what was seen of it, priced as an estimate.
 */
function accountWhenStreamEnds<Request>(
  exchange: Exchange,
  deps: DialectHandlerDependencies,
  call: DialectCall<Request>,
  usage: StreamUsageReader,
): (outcome: StreamOutcome) => void {
  exchange.log.deferred = true;
  return (outcome) => {
    deps.metrics?.streamClosed();
    if (!outcome.complete && outcome.reason !== undefined) exchange.log.note = outcome.reason;
    exchange.log.complete = outcome.complete;
    exchange.log.cost = costOfAnswer(
      usage.usage() ?? estimateCutUsage(usage, call.outgoing.body),
      call.model,
      call.traits.initiator,
      deps.accounting.prices,
    );
    deps.recordRequest(exchange, 200);
  };
}

/**
 * The usage of a stream that ended before its final usage event: the input Copilot announced
 * (Messages), else about one token per four characters of the request sent; the output, one
 * token per event that went by.
 */
export function estimateCutUsage(usage: StreamUsageReader, sent: string | Buffer): AnswerUsage {
  const partial = usage.partialUsage();
  return {
    inputTokens: partial.inputTokens ?? Math.ceil(sent.length / 4),
    outputTokens: partial.outputTokens,
    cacheReadTokens: partial.cacheReadTokens ?? 0,
    cacheWriteTokens: partial.cacheWriteTokens ?? 0,
    reasoningTokens: 0,
    copilotUsage: undefined,
  };
}

/**
 * What of Copilot's answer headers travels back to the client: the premium-request state, for
 * honest accounting, and the support ids (see recordUpstreamAnswerIds).
 */
export function copyQuotaHeaders(exchange: Exchange, headers: IncomingHttpHeaders): void {
  recordUpstreamAnswerIds(exchange, headers);
  for (const name in headers) {
    if (name.startsWith("x-quota-snapshot-")) {
      const value = headers[name];
      if (typeof value === "string") exchange.setHeader(name, value);
    }
  }
}
