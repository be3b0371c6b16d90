/**
 * Copilot's `/responses` streams give the response and each output item a new id in every event
 * (docs/upstream-protocol.md, 2026 changes); only `output_index` is stable. Clients that key
 * items by id (the AI SDK, Codex) then lose track of them. A pinner keeps the first id seen for
 * the response and for each output index, and writes it into every later event that carries
 * another. It works on the event's JSON text: deltas (most events) are matched by pattern and
 * spliced, never parsed; only the few events that hold a whole item or response are parsed.
 */
export type ResponsesIdPinner = (type: string, data: string) => string;

// A JSON member `"item_id":"…"` or `"output_index":n`. Inside a JSON string every quote is
// escaped, so `"item_id"` followed by a colon can only be a key.
const ITEM_ID = /"item_id"\s*:\s*("(?:[^"\\]|\\.)*")/;
const OUTPUT_INDEX = /"output_index"\s*:\s*(\d+)/;

const ITEM_EVENTS = new Set(["response.output_item.added", "response.output_item.done"]);
const RESPONSE_EVENTS = new Set([
  "response.created",
  "response.in_progress",
  "response.completed",
  "response.incomplete",
  "response.failed",
  "response.queued",
]);

export function createResponsesIdPinner(): ResponsesIdPinner {
  // Ids as JSON string literals (quotes included), so they can be spliced back as they are.
  const itemIds = new Map<number, string>();
  let responseId: string | undefined;

  /** The pinned literal for this index: the first one seen, remembered now if it is. */
  function pin(index: number, literal: string): string {
    const pinned = itemIds.get(index);
    if (pinned !== undefined) return pinned;
    itemIds.set(index, literal);
    return literal;
  }

  function pinDelta(data: string): string {
    const id = ITEM_ID.exec(data);
    const index = OUTPUT_INDEX.exec(data);
    if (id === null || index === null || id[1] === undefined) return data;
    const literal = id[1];
    const pinned = pin(Number(index[1]), literal);
    if (pinned === literal) return data;
    const start = id.index + id[0].length - literal.length;
    return data.slice(0, start) + pinned + data.slice(start + literal.length);
  }

  function pinItem(data: string): string {
    const event = parseObject(data);
    const item = event?.["item"];
    const index = event?.["output_index"];
    if (!isObject(item) || typeof index !== "number" || typeof item["id"] !== "string") {
      return data;
    }
    const literal = JSON.stringify(item["id"]);
    const pinned = pin(index, literal);
    if (pinned === literal) return data;
    item["id"] = JSON.parse(pinned) as string;
    return JSON.stringify(event);
  }

  function pinResponse(data: string): string {
    const event = parseObject(data);
    const response = event?.["response"];
    if (!isObject(response)) return data;
    let changed = false;
    if (typeof response["id"] === "string") {
      responseId ??= response["id"];
      if (response["id"] !== responseId) {
        response["id"] = responseId;
        changed = true;
      }
    }
    const output = response["output"];
    if (Array.isArray(output)) {
      output.forEach((item: unknown, index) => {
        const pinned = itemIds.get(index);
        if (!isObject(item) || typeof item["id"] !== "string" || pinned === undefined) return;
        const id = JSON.parse(pinned) as string;
        if (item["id"] === id) return;
        item["id"] = id;
        changed = true;
      });
    }
    return changed ? JSON.stringify(event) : data;
  }

  return (type, data) => {
    if (ITEM_EVENTS.has(type)) return pinItem(data);
    if (RESPONSE_EVENTS.has(type)) return pinResponse(data);
    return data.includes('"item_id"') ? pinDelta(data) : data;
  };
}

function parseObject(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return isObject(value) ? value : undefined;
  } catch {
    // Not JSON: relayed as it came; the client sees what Copilot sent.
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
