import { countWords } from "./chat-answer.js";
import type { FakeResponse } from "./fake-response.js";
import { jsonResponse, parseJsonBody, textResponse } from "./fake-response.js";
import type { FakeState } from "./fake-state.js";

const DEFAULT_DIMENSIONS = 8;

/**
 * POST /embeddings. Copilot refuses token-array input and answers without the `object` fields
 * OpenAI clients expect, so the fake does too (docs/upstream-protocol.md,
 * Routes and supported_endpoints).
 */
export function handleEmbeddings(state: FakeState, bodyText: string): FakeResponse {
  const parsed = parseJsonBody(bodyText);
  if (!parsed.ok) return textResponse(400, `bad request: ${parsed.message}\n`);
  const body = parsed.value;
  const inputs = readInputs(body["input"]);
  if (inputs === undefined) {
    const error = {
      message: "input must be a string or array of strings",
      code: "invalid_request_body",
    };
    return textResponse(400, `${JSON.stringify({ error })}\n`);
  }
  const modelId = body["model"];
  const model = typeof modelId === "string" ? state.models.get(modelId) : undefined;
  if (model === undefined || model.type !== "embeddings") {
    return textResponse(400, state.fixtures.modelNotSupportedBody);
  }
  const requested = body["dimensions"];
  const dimensions =
    typeof requested === "number" && Number.isInteger(requested) && requested > 0
      ? requested
      : DEFAULT_DIMENSIONS;
  const tokens = inputs.reduce((total, input) => total + countWords(input), 0);
  return jsonResponse(200, {
    data: inputs.map((input, index) => ({ embedding: fakeEmbedding(input, dimensions), index })),
    model: model.id,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

function readInputs(input: unknown): string[] | undefined {
  if (typeof input === "string") return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  return input.every((item): item is string => typeof item === "string") ? input : undefined;
}

/**
 * A deterministic vector for a text: a small PRNG (mulberry32) seeded with the text's FNV-1a hash,
 * values in [-1, 1] rounded to 6 decimals so tests can compare exact literals.
 */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  let seed = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    seed = Math.imul(seed ^ text.charCodeAt(index), 0x01000193);
  }
  return Array.from({ length: dimensions }, () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let value = Math.imul(seed ^ (seed >>> 15), seed | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    const unit = ((value ^ (value >>> 14)) >>> 0) / 4294967296;
    return Math.round((unit * 2 - 1) * 1e6) / 1e6;
  });
}
