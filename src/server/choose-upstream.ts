import type { CopilotModel, UpstreamEndpoint } from "../protocols/copilot.js";
import { InvalidRequestError } from "../errors.js";

/** The API a client speaks to CoGPT. */
export type ClientDialect = "chat" | "responses" | "messages";

/**
 * The one routing decision: for each client dialect, the upstream endpoints CoGPT can translate
 * to, best first. The client's own dialect comes first (native, nothing lost); then the closest.
 * Claude-only `/v1/messages` is not a target for OpenAI clients: every Claude model Copilot offers
 * also serves `/chat/completions`.
 */
export const ROUTING_TABLE: Readonly<Record<ClientDialect, readonly UpstreamEndpoint[]>> = {
  chat: ["/chat/completions", "/responses"],
  responses: ["/responses", "/chat/completions"],
  messages: ["/v1/messages", "/chat/completions", "/responses"],
};

/** Models with no `supported_endpoints` are chat-only. */
export function endpointsOf(model: CopilotModel): readonly string[] {
  return model.supported_endpoints ?? ["/chat/completions"];
}

/** The endpoint to call for this client and model, or a 400 that says why there is none. */
export function chooseUpstream(dialect: ClientDialect, model: CopilotModel): UpstreamEndpoint {
  const served = endpointsOf(model);
  const choice = ROUTING_TABLE[dialect].find((endpoint) => served.includes(endpoint));
  if (choice !== undefined) return choice;
  throw new InvalidRequestError(
    `The model "${model.id}" is served by Copilot only on ${served.join(", ")}, which CoGPT cannot reach from this API; choose another model`,
    { code: "unsupported_api_for_model", param: "model" },
  );
}
