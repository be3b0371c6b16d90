import type { Context } from "hono";
import { LightAbortSignal, type AbortSignalLike } from "../http/abort-signal-like.js";
import type { AppEnv } from "./app-env.js";

/**
 * Aborts when the client goes away before its answer is complete, so the upstream request is
 * cancelled at once. On a real socket it watches Node's response directly (cheaper than the Web
 * Request's AbortSignal); under `app.request()` in tests, the Web Request's signal.
 */
export function clientSignal(c: Context<AppEnv>): AbortSignalLike {
  const outgoing = (c.env as AppEnv["Bindings"] | undefined)?.outgoing;
  if (outgoing === undefined) return c.req.raw.signal;
  const signal = new LightAbortSignal();
  outgoing.once("close", () => {
    if (!outgoing.writableFinished) signal.abort(clientGone());
  });
  return signal;
}

function clientGone(): Error {
  const error = new Error("The client closed the connection");
  error.name = "AbortError";
  return error;
}
