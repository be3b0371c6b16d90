import { z } from "zod";

/*
 * Copilot's native `/v1/messages` answers as the gateway checks them before relaying them
 * unchanged: only what makes an answer an answer (loose objects: every other field passes).
 * https://docs.anthropic.com/en/api/messages
 */

export const anthropicMessageUpstreamSchema = z.looseObject({
  type: z.literal("message"),
  content: z.array(z.looseObject({ type: z.string() })),
});

export type AnthropicMessageUpstream = z.infer<typeof anthropicMessageUpstreamSchema>;

export const anthropicCountTokensUpstreamSchema = z.looseObject({
  input_tokens: z.number(),
});
