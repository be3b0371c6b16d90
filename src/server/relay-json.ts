import type { Context } from "hono";
import type { CopilotResponse } from "../copilot/copilot-client.js";
import type { AppEnv } from "./app-env.js";

/** A native answer needs no change: its bytes go to the client as they came, not re-serialised. */
export async function relayJson(c: Context<AppEnv>, upstream: CopilotResponse): Promise<Response> {
  return c.body(await upstream.body.text(), 200, {
    "content-type": "application/json; charset=utf-8",
  });
}
