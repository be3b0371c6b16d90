import { InvalidRequestError } from "../../errors.js";
import type { SseMessage } from "../../sse/format-sse.js";

/**
 * The last completed response on one WebSocket, kept so that the next `response.create` may
 * name it in `previous_response_id` and send only the new input items, as OpenAI's WebSocket
 * mode allows without stored state (and as Codex does on a kept socket).
 * https://platform.openai.com/docs/guides/websocket-mode
 */
export interface PreviousResponse {
  /** The ids the client saw for it (Copilot may change `response.id` between events). */
  readonly ids: ReadonlySet<string>;
  /** Its whole input, as items. */
  readonly input: readonly unknown[];
  /** Its output items, in order. */
  readonly output: readonly unknown[];
}

/**
 * The request body with `previous_response_id` replaced by the conversation it stands for:
 * the previous input, its output, then the new input. An id that is not the socket's last
 * response is a 400, as OpenAI answers (`previous_response_not_found`).
 */
export function continuePreviousResponse(
  body: Readonly<Record<string, unknown>>,
  previous: PreviousResponse | undefined,
): Record<string, unknown> {
  const { previous_response_id: id, ...rest } = body;
  if (id === undefined || id === null || id === "") return { ...rest };
  if (typeof id !== "string" || previous === undefined || !previous.ids.has(id)) {
    throw new InvalidRequestError(
      `Previous response with id '${typeof id === "string" ? id : JSON.stringify(id)}' not found: CoGPT keeps only the last response of this WebSocket; send the whole conversation in \`input\``,
      { code: "previous_response_not_found", param: "previous_response_id" },
    );
  }
  return { ...rest, input: [...previous.input, ...previous.output, ...inputItems(rest["input"])] };
}

/** `input` as a list of items: a string is one user message. */
export function inputItems(input: unknown): unknown[] {
  if (input === undefined || input === null) return [];
  if (typeof input === "string") return [{ type: "message", role: "user", content: input }];
  return Array.isArray(input) ? input : [input];
}

/** Watches the events sent for one response and keeps what the next request may continue. */
export interface ResponseRecorder {
  observe(messages: readonly SseMessage[]): void;
  /** The response, once it completed; undefined for a failed or cut one. */
  result(): PreviousResponse | undefined;
}

export function createResponseRecorder(input: unknown): ResponseRecorder {
  const ids = new Set<string>();
  const output: unknown[] = [];
  let completed = false;
  return {
    observe(messages) {
      for (const { data } of messages) {
        // Only the events that matter are parsed: text deltas pass untouched.
        if (!RECORDED.test(data)) continue;
        const event = parseObject(data);
        const type = event?.["type"];
        if (type === "response.output_item.done" && event?.["item"] !== undefined) {
          output.push(event["item"]);
        } else if (type === "response.created" || type === "response.completed") {
          const response = event?.["response"] as { id?: unknown } | undefined;
          if (typeof response?.id === "string") ids.add(response.id);
          if (type === "response.completed") completed = true;
        }
      }
    },
    result() {
      return completed ? { ids, input: inputItems(input), output } : undefined;
    },
  };
}

const RECORDED = /"response\.(?:output_item\.done|created|completed)"/;

function parseObject(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === "object" && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
