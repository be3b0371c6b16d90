import type { CopilotResponse } from "../copilot/copilot-client.js";
import type { Exchange } from "./exchange.js";

/** A native answer needs no change: its bytes go to the client as they came, not re-serialised. */
export async function relayJson(exchange: Exchange, upstream: CopilotResponse): Promise<void> {
  exchange.send(200, await upstream.body.text(), "application/json; charset=utf-8");
}
