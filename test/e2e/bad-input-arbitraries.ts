import fc from "fast-check";
import { AUTHORIZATION, GATEWAY_ROUTES, UNKNOWN_PATHS } from "./bad-input-client.js";

/** Any JSON value, kept shallow so a run stays fast. */
const anyJson = fc.jsonValue({ maxDepth: 3 });

const modelName = fc.constantFrom(
  "gpt-4o",
  "gpt-5-mini",
  "claude-sonnet-4.5",
  "claude-sonnet-4-5",
  "claude-sonnet-4-20250514",
  "text-embedding-3-small",
  "no-such-model",
  "",
);

const contentPart = fc.oneof(
  fc.record({ type: fc.constant("text"), text: fc.string() }),
  fc.record({ type: fc.constant("image_url"), image_url: fc.record({ url: fc.webUrl() }) }),
  fc.record({ type: fc.string() }),
);

const chatMessage = fc.record(
  {
    role: fc.constantFrom("system", "developer", "user", "assistant", "tool", "function"),
    content: fc.oneof(fc.string(), fc.constant(null), fc.array(contentPart, { maxLength: 3 })),
    name: fc.string(),
    tool_call_id: fc.string(),
  },
  { requiredKeys: ["role"] },
);

/** A chat request the gateway's schema accepts, with random values. */
const validChatRequest = fc.record(
  {
    model: modelName,
    messages: fc.array(chatMessage, { minLength: 1, maxLength: 4 }),
    stream: fc.oneof(fc.boolean(), fc.constant(null)),
    stream_options: fc.record({ include_usage: fc.boolean() }, { requiredKeys: [] }),
    n: fc.integer({ min: 1, max: 3 }),
    tools: fc.array(fc.record({ type: fc.constant("function"), function: anyJson }), {
      maxLength: 2,
    }),
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    max_tokens: fc.integer({ min: -1, max: 4096 }),
    response_format: anyJson,
  },
  { requiredKeys: ["messages"] },
);

/** `dimensions` stays small: a huge valid one would only make the fake upstream build a huge
 *  vector, which tests nothing of the gateway. */
const validEmbeddingsRequest = fc.record(
  {
    model: modelName,
    input: fc.oneof(fc.string(), fc.array(fc.string(), { minLength: 1, maxLength: 3 })),
    encoding_format: fc.constantFrom("float", "base64"),
    dimensions: fc.integer({ min: 1, max: 16 }),
    user: fc.string(),
  },
  { requiredKeys: ["input"] },
);

/** The same request with one field (or one message) replaced by any JSON value. */
function withOneFieldMistyped(
  valid: fc.Arbitrary<Record<string, unknown>>,
  fields: readonly string[],
): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(valid, fc.constantFrom(...fields), anyJson)
    .filter(([, field, value]) => !(field === "dimensions" && typeof value === "number"))
    .map(([request, field, value]) => {
      const messages = request["messages"];
      if (field === "messages[0]" && Array.isArray(messages)) {
        return { ...request, messages: [value, ...messages.slice(1)] };
      }
      return { ...request, [field]: value };
    });
}

/** A valid-looking request with one byte overwritten: broken JSON or broken UTF-8. */
function withOneByteChanged(valid: fc.Arbitrary<unknown>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(valid, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([request, at, byte]) => {
    const bytes = utf8(JSON.stringify(request));
    bytes[at % bytes.length] = byte;
    return bytes;
  });
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const json = (value: unknown) => utf8(JSON.stringify(value));

/** Bodies shaped like a request: valid, with a mistyped field, or with a broken byte. */
function requestShaped(
  valid: fc.Arbitrary<Record<string, unknown>>,
  fields: readonly string[],
): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { arbitrary: valid.map(json), weight: 3 },
    { arbitrary: withOneFieldMistyped(valid, fields).map(json), weight: 2 },
    { arbitrary: withOneByteChanged(valid), weight: 1 },
  );
}

const chatBody = requestShaped(validChatRequest, [
  ...["model", "messages", "messages[0]", "stream", "stream_options", "n", "tools"],
]);
const embeddingsBody = requestShaped(validEmbeddingsRequest, [
  ...["model", "input", "encoding_format", "dimensions", "user"],
]);

/** Any bytes at all: text, JSON of any shape, raw bytes, and request-shaped bodies. */
const anyBody: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }).map(utf8),
  fc.json({ maxDepth: 4 }).map(utf8),
  fc.uint8Array({ maxLength: 300 }),
  chatBody,
  embeddingsBody,
);

const knownPaths = GATEWAY_ROUTES.map((route) => route.path);
const postPaths = GATEWAY_ROUTES.filter((route) => route.methods.includes("POST")).map(
  (route) => route.path,
);

const requestPath = fc.oneof(
  { arbitrary: fc.constantFrom(...postPaths), weight: 4 },
  { arbitrary: fc.constantFrom(...knownPaths), weight: 2 },
  { arbitrary: fc.constantFrom(...UNKNOWN_PATHS), weight: 1 },
);

const requestMethod = fc.oneof(
  { arbitrary: fc.constant("POST"), weight: 6 },
  { arbitrary: fc.constantFrom("GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"), weight: 2 },
);

/** Mostly a valid key; sometimes none or an unknown share token. */
const authorization = fc.oneof(
  { arbitrary: fc.constant(AUTHORIZATION), weight: 8 },
  { arbitrary: fc.constantFrom(undefined, "Bearer share-unknown"), weight: 2 },
);

const contentType = fc.constantFrom(
  "application/json",
  "application/json",
  "text/plain",
  "application/x-www-form-urlencoded",
  undefined,
);

const pathsOf = (name: string) => knownPaths.filter((path) => path.endsWith(name));

const headers = { authorization, contentType };

/** Requests at a route with the body it expects (in any state), and anything anywhere. */
export const generatedRequest = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      method: fc.constant("POST"),
      path: fc.constantFrom(...pathsOf("/chat/completions")),
      body: chatBody,
      ...headers,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      method: fc.constant("POST"),
      path: fc.constantFrom(...pathsOf("/embeddings")),
      body: embeddingsBody,
      ...headers,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ method: requestMethod, path: requestPath, body: anyBody, ...headers }),
  },
);

export type GeneratedRequest = typeof generatedRequest extends fc.Arbitrary<infer T> ? T : never;
