import type { IncomingHttpHeaders } from "node:http";
import { readUpstreamRequestIds } from "../copilot/copilot-errors.js";
import { UpstreamError, type UpstreamRequestIds } from "../errors.js";
import type { Exchange } from "./exchange.js";

/**
 * GitHub support asks for Copilot's request ids: both go on the request's log line, and
 * `x-github-request-id` goes back to the client as a response header, so a user can quote it.
 * Called when Copilot's answer arrives (before any byte of ours is sent, streams included) and
 * again for an error that carries them.
 */
export function recordUpstreamRequestIds(exchange: Exchange, ids: UpstreamRequestIds): void {
  if (ids.upstreamRequestId !== undefined) {
    exchange.log.upstreamRequestId = ids.upstreamRequestId;
    exchange.setHeader("x-github-request-id", ids.upstreamRequestId);
  }
  if (ids.copilotServiceRequestId !== undefined) {
    exchange.log.copilotServiceRequestId = ids.copilotServiceRequestId;
  }
}

/** The ids of a successful Copilot answer, from its headers. */
export function recordUpstreamAnswerIds(exchange: Exchange, headers: IncomingHttpHeaders): void {
  recordUpstreamRequestIds(exchange, readUpstreamRequestIds(headers));
}

/** The ids an error carries, if it is Copilot's. */
export function recordUpstreamErrorIds(exchange: Exchange, error: unknown): void {
  if (error instanceof UpstreamError) recordUpstreamRequestIds(exchange, error);
}
