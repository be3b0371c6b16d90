import { GatewayError } from "../errors.js";
import type { UpstreamEndpoint } from "../protocols/copilot.js";
import type { DialectName } from "./dialect.js";

/**
 * The routing table (server/choose-upstream.ts) never sends a dialect to an endpoint its adapter
 * has no conversion for; reaching one is a bug in the gateway, said as such.
 */
export function unreachableEndpoint(dialect: DialectName, endpoint: UpstreamEndpoint): never {
  throw new GatewayError(
    500,
    "internal",
    `No conversion from the ${dialect} API to Copilot's ${endpoint} (a routing bug in CoGPT)`,
    { code: "internal_error" },
  );
}
