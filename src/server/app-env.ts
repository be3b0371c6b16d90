import type { IncomingMessage, ServerResponse } from "node:http";
import type { Initiator } from "../copilot/copilot-headers.js";

/** What one request carries through the middleware chain (Hono context variables). */
export interface RequestLogFields {
  model?: string | undefined;
  modelUsed?: string;
  stream?: boolean;
  initiator?: Initiator;
  /** Set by routes that log when their stream ends rather than when the handler returns. */
  deferred?: boolean;
  /** Extra detail for the log line (e.g. why a stream ended early). */
  note?: string;
}

export interface AppEnv {
  /** Set by @hono/node-server; absent when a test calls `app.request()`. */
  Bindings: { incoming?: IncomingMessage; outgoing?: ServerResponse };
  Variables: {
    requestId: string;
    startedAt: number;
    githubToken: string;
    /** Short, non-reversible fingerprint of the credential, for logs. */
    credential: string;
    log: RequestLogFields;
  };
}
