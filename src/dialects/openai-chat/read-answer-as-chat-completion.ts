import type { UpstreamEndpoint } from "../../protocols/copilot.js";
import { responsesUpstreamAnswerSchema } from "../../protocols/openai/responses-wire.js";
import { normalizeChatCompletion } from "../../translate/normalize-chat-completion.js";
import type { UpstreamAnswer } from "../../translate/parse-upstream-json.js";
import type { ConversionContext } from "../dialect.js";
import { unreachableEndpoint } from "../unreachable-endpoint.js";
import { convertResponseToChatCompletion } from "./convert-response-to-chat-completion.js";

/**
 * A whole answer from Copilot's `/chat/completions` (normalised to OpenAI's shape) or
 * `/responses` (converted) as a chat completion: the Chat adapter's own answer, and the middle
 * step of the adapters that reach those endpoints through Chat.
 */
export function readAnswerAsChatCompletion(
  endpoint: UpstreamEndpoint,
  answer: UpstreamAnswer,
  { model, created }: ConversionContext,
): unknown {
  switch (endpoint) {
    case "/chat/completions":
      return normalizeChatCompletion(answer.read("chat completion"), {
        model: model.id,
        created,
      });
    case "/responses":
      return convertResponseToChatCompletion(
        answer.read("Responses answer", responsesUpstreamAnswerSchema),
        { model: model.id },
      );
    case "/v1/messages":
      return unreachableEndpoint("chat", endpoint);
  }
}
