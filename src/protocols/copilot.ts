import { z } from "zod";

/*
 * Copilot's own wire types (docs/upstream-protocol.md), shared by the Copilot client and the
 * dialect adapters, so that translators never import from copilot/.
 */

/** Who started a turn: decides billing (docs/upstream-protocol.md, X-Initiator). */
export type Initiator = "user" | "agent";

/**
 * The Copilot routes a model can be served on
 * (docs/upstream-protocol.md, Routes and supported_endpoints).
 */
export type UpstreamEndpoint = "/chat/completions" | "/responses" | "/v1/messages";

/**
 * One entry of Copilot's `GET /models` (docs/upstream-protocol.md, Routes and supported_endpoints);
 * unknown fields pass.
 */
export const copilotModelSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  vendor: z.string().optional(),
  version: z.string().optional(),
  preview: z.boolean().optional(),
  model_picker_enabled: z.boolean().optional(),
  is_chat_default: z.boolean().optional(),
  capabilities: z
    .looseObject({
      family: z.string().optional(),
      type: z.string().optional(),
      tokenizer: z.string().optional(),
      limits: z.looseObject({}).optional(),
      supports: z.looseObject({}).optional(),
    })
    .optional(),
  billing: z
    .looseObject({ is_premium: z.boolean().optional(), multiplier: z.number().optional() })
    .optional(),
  policy: z.looseObject({ state: z.string().optional(), terms: z.string().optional() }).optional(),
  supported_endpoints: z.array(z.string()).optional(),
});

export type CopilotModel = z.infer<typeof copilotModelSchema>;
