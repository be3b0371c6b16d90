import type { UpstreamAnswer } from "../translate/parse-upstream-json.js";
import type { z } from "zod";
import type { GatewayError } from "../errors.js";
import type { CopilotModel, Initiator, UpstreamEndpoint } from "../protocols/copilot.js";
import type { SseMessage } from "../sse/format-sse.js";
import type { SseEvent } from "../sse/parse-sse.js";

/** The APIs clients speak to CoGPT, one adapter each (src/dialects/<api>/). */
export type DialectName = "chat" | "responses" | "messages";

/** What the gateway needs to know of a request before calling Copilot. */
export interface RequestTraits {
  /** The model the client asked for; undefined lets the catalogue choose. */
  readonly model: string | undefined;
  readonly stream: boolean;
  /** Who started this turn (decides billing): the last message tells. */
  readonly initiator: Initiator;
  /** Whether the input holds an image (Copilot wants a header for it). */
  readonly vision: boolean;
}

/** Everything an adapter may look at while it converts one request and its answer. */
export interface ConversionContext {
  /** The Copilot model the request was resolved to. */
  readonly model: CopilotModel;
  /** Unix seconds, for answers that must carry a `created` time. */
  readonly created: number;
  /** A request header of the client's (e.g. `anthropic-beta`), lower-case name. */
  readonly header: (name: string) => string | undefined;
  /** Which model made which thinking signature, for this request's account (absent in tests). */
  readonly signatures?: ThinkingSignatures | undefined;
}

/**
 * What the gateway has seen of thinking signatures: Copilot binds each to the model and account
 * that made it and refuses it anywhere else. Backed by a store the server owns.
 */
export interface ThinkingSignatures {
  /** True when this gateway saw the signature made by another model or another account. */
  isForeign(signature: string, modelId: string): boolean;
  /** Notes that `modelId` made this signature (for the request's account). */
  record(signature: string, modelId: string): void;
}

/** The request as it goes to Copilot. */
export interface UpstreamRequest {
  readonly body: string;
  /** Protocol headers the endpoint needs (`anthropic-version`, a vetted `anthropic-beta`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** What could not be carried over, for the log. */
  readonly warnings: readonly string[];
  /** What was changed so that Copilot accepts the request (never content), logged at debug. */
  readonly notes?: readonly string[];
}

/**
 * One streamed answer's translation: Copilot's events in (already parsed from SSE), the
 * client's events out (formatted to SSE by the caller). State lives in the closure.
 */
export interface StreamTranslator {
  /** One upstream event; throws a GatewayError for an event that cannot be read. */
  push(event: SseEvent): readonly SseMessage[];
  /** The upstream body ended: the closing events, or undefined when the answer was cut short. */
  end(): readonly SseMessage[] | undefined;
  /** True once the answer's final event has been produced: nothing more will be sent. */
  readonly isComplete: () => boolean;
  /** The client's error event(s) for a failure in the middle of the stream. */
  fail(error: GatewayError): readonly SseMessage[];
}

/** Token counts and Copilot's own cost figure, read from one finished answer. */
export interface AnswerUsage {
  /** Prompt tokens, cached ones included (as Copilot counts them). */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly reasoningTokens: number;
  /** `copilot_usage` as Copilot sent it, untouched; undefined when it sent none. */
  readonly copilotUsage: unknown;
}

/**
 * Everything particular to one client API, and nothing else: the request's schema and traits,
 * its conversion to each Copilot endpoint that can serve it and of the answers back (whole and
 * streamed), its error shape, and how to read usage out of an answer in its own wire format.
 * The one generic handler (server/handle-dialect-request.ts) does the rest.
 */
export interface Dialect<Request> {
  readonly name: DialectName;
  /** The Copilot endpoint that speaks this dialect natively. */
  readonly nativeEndpoint: UpstreamEndpoint;
  /** The request body's schema (loose: unknown fields pass). */
  readonly requestSchema: z.ZodType<Request>;
  /** Checks beyond the schema (e.g. features CoGPT cannot offer), throwing a 400. */
  checkRequest(request: Request): void;
  traits(request: Request): RequestTraits;
  /** The body for `endpoint`; `raw` is the client's body, sent as it is when nothing changes. */
  toUpstream(
    endpoint: UpstreamEndpoint,
    request: Request,
    raw: string,
    context: ConversionContext,
  ): UpstreamRequest;
  /**
   * A whole answer from `endpoint` (Copilot's text, parsed once on demand) as the client's
   * answer text. Throws an UpstreamError (502) for an answer that is not JSON of the expected shape.
   */
  fromUpstream(
    endpoint: UpstreamEndpoint,
    answer: UpstreamAnswer,
    request: Request,
    context: ConversionContext,
  ): string;
  /** The translator of a streamed answer from `endpoint`. */
  createStreamTranslator(
    endpoint: UpstreamEndpoint,
    request: Request,
    context: ConversionContext,
  ): StreamTranslator;
  /** An error as this API's error body. */
  readonly renderError: (error: GatewayError) => object;
  /** Usage out of a whole answer in this dialect's own wire format (parsed JSON). */
  readUsage(answer: unknown): AnswerUsage | undefined;
}
