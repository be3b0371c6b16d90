import { connect } from "node:net";
import { FAKE_GITHUB_TOKEN } from "./harness.js";

/** Which error body a route answers with; Anthropic routes will add their own dialect. */
export type Dialect = "openai";

export interface GatewayRoute {
  readonly path: string;
  /** The methods the route answers; every other method gets a 405 (OPTIONS: CORS preflight). */
  readonly methods: readonly string[];
  readonly dialect: Dialect;
}

/** Every route the gateway serves, with and without `/v1`. Add new routes here. */
export const GATEWAY_ROUTES: readonly GatewayRoute[] = [
  ...["/v1", ""].flatMap((prefix): GatewayRoute[] => [
    { path: `${prefix}/models`, methods: ["GET"], dialect: "openai" },
    { path: `${prefix}/chat/completions`, methods: ["POST"], dialect: "openai" },
    { path: `${prefix}/embeddings`, methods: ["POST"], dialect: "openai" },
  ]),
  { path: "/", methods: ["GET"], dialect: "openai" },
  { path: "/healthz", methods: ["GET"], dialect: "openai" },
];

/** Paths no route serves; the gateway answers them in the OpenAI dialect. */
export const UNKNOWN_PATHS = [
  "/v1/nothing-here",
  "/v1/chat",
  "/v2/models",
  "/v1/models/x/y",
  "/%ff",
];

export const AUTHORIZATION = `Bearer ${FAKE_GITHUB_TOKEN}`;

/** True when `body` is exactly `{"error":{"message","type","code","param"}}` with those types. */
export function isErrorBody(dialect: Dialect, body: unknown): boolean {
  switch (dialect) {
    case "openai":
      return isOpenAIErrorBody(body);
    default: {
      const unhandled: never = dialect;
      return unhandled;
    }
  }
}

function isOpenAIErrorBody(body: unknown): boolean {
  if (!isRecord(body) || !hasExactKeys(body, ["error"])) return false;
  const error = body["error"];
  return (
    isRecord(error) &&
    hasExactKeys(error, ["code", "message", "param", "type"]) &&
    typeof error["message"] === "string" &&
    error["message"] !== "" &&
    typeof error["type"] === "string" &&
    (typeof error["code"] === "string" || error["code"] === null) &&
    (typeof error["param"] === "string" || error["param"] === null)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function hasExactKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  return JSON.stringify(Object.keys(value).sort()) === JSON.stringify(keys);
}

export interface RawExchange {
  /** Everything the server sent, as latin1 text (bytes preserved). */
  readonly text: string;
  /** Status of the first response, or undefined when none came. */
  readonly status: number | undefined;
  /** Milliseconds from connecting until the first response byte (or until the end). */
  readonly firstByteMs: number;
  /** Whether the server closed the connection within `waitMs`. */
  readonly closedByServer: boolean;
}

export interface RawOptions {
  /** How long to wait for the server to close before giving up (default 3000). */
  readonly waitMs?: number;
  /** Stop waiting as soon as the first response has arrived (for keep-alive answers). */
  readonly untilFirstResponse?: boolean;
}

/**
 * Writes bytes on a plain TCP socket, for requests no HTTP client would send, and collects the
 * answer until the server closes the connection.
 */
export function sendRaw(
  url: string,
  chunks: readonly (string | Uint8Array)[],
  options: RawOptions = {},
): Promise<RawExchange> {
  const { port, hostname } = new URL(url);
  const startedAt = performance.now();
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    let firstByteMs: number | undefined;
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(received).toString("latin1");
      const status = /^HTTP\/1\.[01] (\d{3}) /.exec(text)?.[1];
      resolve({
        text,
        status: status === undefined ? undefined : Number(status),
        firstByteMs: firstByteMs ?? performance.now() - startedAt,
        closedByServer,
      });
    };
    const timer = setTimeout(() => finish(false), options.waitMs ?? 3000);
    socket.on("data", (data) => {
      firstByteMs ??= performance.now() - startedAt;
      received.push(data);
      if (options.untilFirstResponse === true && hasCompleteResponse(received)) finish(false);
    });
    socket.on("error", () => finish(true));
    socket.on("close", () => finish(true));
    for (const chunk of chunks) socket.write(chunk);
  });
}

function hasCompleteResponse(received: readonly Buffer[]): boolean {
  const text = Buffer.concat(received).toString("latin1");
  const headerEnd = text.indexOf("\r\n\r\n");
  if (headerEnd === -1) return false;
  const length = /\r\ncontent-length: (\d+)\r\n/i.exec(text.slice(0, headerEnd + 2))?.[1];
  return length === undefined || text.length >= headerEnd + 4 + Number(length);
}

/** The JSON body of the first response in a raw exchange. */
export function rawJsonBody(exchange: RawExchange): unknown {
  const headerEnd = exchange.text.indexOf("\r\n\r\n");
  const length = /\r\ncontent-length: (\d+)\r\n/i.exec(exchange.text)?.[1];
  const start = headerEnd + 4;
  const body = exchange.text.slice(start, start + Number(length));
  return JSON.parse(Buffer.from(body, "latin1").toString("utf8"));
}

/** `[[[…]]]` or `{"a":{"a":…}}`, `depth` levels deep. */
export function nestedArrays(depth: number): string {
  return "[".repeat(depth) + "]".repeat(depth);
}

export function nestedObjects(depth: number): string {
  return '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
}
