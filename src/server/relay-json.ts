import type { z } from "zod";
import type { CopilotResponse } from "../copilot/copilot-client.js";
import type { Exchange } from "./exchange.js";
import { parseUpstreamJson, readUpstreamText } from "./read-upstream-answer.js";

/**
 * A native answer needs no change: its bytes go to the client as they came, not re-serialised,
 * once they have been checked to be JSON of the answer's shape (`schema`, loose).
 */
export async function relayJson(
  exchange: Exchange,
  upstream: CopilotResponse,
  schema: z.ZodType,
  what: string,
): Promise<void> {
  const text = await readUpstreamText(upstream, what);
  parseUpstreamJson(text, upstream, what, schema);
  exchange.send(200, text, "application/json; charset=utf-8");
}
