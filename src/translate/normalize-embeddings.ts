import { UpstreamError } from "../errors.js";
import { isJsonObject, readNonEmptyString, type JsonObject } from "./is-json-object.js";

export type EmbeddingEncoding = "float" | "base64";

export interface OpenAIEmbeddingItem {
  object: "embedding";
  index: number;
  embedding: number[] | string;
}

export interface OpenAIEmbeddingList {
  object: "list";
  data: OpenAIEmbeddingItem[];
  model: string;
  usage: JsonObject;
}

/**
 * Makes a Copilot `/embeddings` answer (which may lack the `object` fields) look like OpenAI's,
 * in the encoding the client asked for. With "base64", each vector is the base64 text of its
 * little-endian float32 bytes, which the openai SDK decodes with a Float32Array.
 */
export function normalizeEmbeddings(
  body: unknown,
  defaults: { model: string },
  encoding: EmbeddingEncoding,
): OpenAIEmbeddingList {
  if (!isJsonObject(body) || !Array.isArray(body.data)) {
    throw malformedEmbeddingsError("the answer has no `data` list");
  }
  return {
    object: "list",
    data: body.data.map((item, position) => normalizeItem(item, position, encoding)),
    model: readNonEmptyString(body.model) ?? defaults.model,
    usage: normalizeUsage(body.usage),
  };
}

function normalizeItem(
  item: unknown,
  position: number,
  encoding: EmbeddingEncoding,
): OpenAIEmbeddingItem {
  if (!isJsonObject(item)) throw malformedEmbeddingsError("an item is not an object");
  const index = typeof item.index === "number" ? item.index : position;
  return { object: "embedding", index, embedding: encodeEmbedding(item.embedding, encoding) };
}

function encodeEmbedding(embedding: unknown, encoding: EmbeddingEncoding): number[] | string {
  const floats = readFloats(embedding);
  switch (encoding) {
    case "float":
      return floats;
    case "base64":
      return typeof embedding === "string" ? embedding : encodeFloat32Base64(floats);
    default: {
      const unhandled: never = encoding;
      throw new Error(`unhandled embedding encoding ${String(unhandled)}`);
    }
  }
}

function readFloats(embedding: unknown): number[] {
  if (typeof embedding === "string") return decodeFloat32Base64(embedding);
  if (
    Array.isArray(embedding) &&
    embedding.every((value): value is number => typeof value === "number")
  ) {
    return embedding;
  }
  throw malformedEmbeddingsError("an embedding is neither a list of numbers nor base64 text");
}

export function encodeFloat32Base64(values: readonly number[]): string {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString("base64");
}

function decodeFloat32Base64(text: string): number[] {
  const bytes = Buffer.from(text, "base64");
  if (bytes.length % 4 !== 0) throw malformedEmbeddingsError("a base64 embedding is not float32");
  const values: number[] = [];
  for (let offset = 0; offset < bytes.length; offset += 4) values.push(bytes.readFloatLE(offset));
  return values;
}

// OpenAI's embeddings usage is `{prompt_tokens, total_tokens}`; both are counts of input tokens.
function normalizeUsage(usage: unknown): JsonObject {
  if (!isJsonObject(usage)) return { prompt_tokens: 0, total_tokens: 0 };
  const promptTokens = typeof usage.prompt_tokens === "number" ? usage.prompt_tokens : 0;
  const totalTokens =
    typeof usage.total_tokens === "number" && usage.total_tokens > 0
      ? usage.total_tokens
      : promptTokens;
  return { ...usage, prompt_tokens: promptTokens, total_tokens: totalTokens };
}

function malformedEmbeddingsError(detail: string): UpstreamError {
  return new UpstreamError(502, `Copilot sent malformed embeddings: ${detail}`, {
    code: "upstream_malformed_response",
  });
}
