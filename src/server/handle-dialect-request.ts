import type { IncomingHttpHeaders } from "node:http";
import type { ThinkingSignatureStore } from "../cache/thinking-signature-store.js";
import type { Config } from "../config/config.js";
import type { CopilotClient } from "../copilot/copilot-client.js";
import type { ModelCatalog } from "../copilot/models.js";
import { resolveModel } from "../copilot/resolve-model.js";
import type {
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
import { writeRequestLog } from "./middleware/request-log.js";
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
  const { config, copilot, logger } = deps;
  return async (exchange: Exchange) => {
    const { value: request, raw } = await readJsonBody(
      exchange,
      dialect.requestSchema,
      config.bodyLimit,
    );
    if (answerFirst !== undefined && (await answerFirst(exchange, request))) return;
    const call = await prepareDialectCall(dialect, deps, {
      request,
      raw,
      githubToken: exchange.githubToken,
      requestId: exchange.requestId,
      header: (name) => exchange.header(name),
      log: exchange.log,
    });
    const { traits, endpoint, outgoing, context } = call;

    const upstream = await copilot.call({
      githubToken: exchange.githubToken,
      method: "POST",
      path: endpoint,
      body: outgoing.body,
      initiator: traits.initiator,
      vision: traits.vision,
      requestId: exchange.requestId,
      signal: exchange.signal,
      protocolHeaders: outgoing.headers,
    });
    copyQuotaHeaders(exchange, upstream.headers);
    const what = ANSWER_NAMES[endpoint];
    if (!traits.stream) {
      const answer = await readUpstreamText(upstream, what);
      exchange.send(200, dialect.fromUpstream(endpoint, answer, request, context), JSON_TYPE);
      return;
    }
    await expectEventStream(upstream, what);
    const translator = dialect.createStreamTranslator(endpoint, request, context);
    streamBody(
      exchange,
      createEventStream(upstream, translator, logWhenStreamEnds(exchange, logger, config.debug)),
    );
  };
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
  const model = resolveModel(traits.model, available, config.modelMap, "chat");
  log.modelUsed = model.id;
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
  return { request, traits, model, endpoint, context, outgoing };
}

/** How Copilot's answer on each endpoint is named in messages. */
export const ANSWER_NAMES = {
  "/chat/completions": "chat completion",
  "/responses": "Responses answer",
  "/v1/messages": "Messages answer",
} as const;

/**
 * A streamed answer is logged when the stream ends (with why, if it ended early), not when the
 * handler returns.
 */
export function logWhenStreamEnds(
  exchange: Exchange,
  logger: Logger,
  debug: boolean,
): (outcome: StreamOutcome) => void {
  exchange.log.deferred = true;
  return (outcome) => {
    if (!outcome.complete && outcome.reason !== undefined) exchange.log.note = outcome.reason;
    writeRequestLog(logger, exchange, 200, debug);
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
