import type { IncomingHttpHeaders } from "node:http";

/**
 * One of an account's Copilot limits as the quota headers of every answer report it
 * (docs/upstream-protocol.md, Billing): `ent=1500&ov=0.0&ovPerm=false&rem=62.5&rst=<ISO time>`.
 */
export interface QuotaWindow {
  /** `premium_interactions` (the monthly allowance), `chat`, `session`, `weekly`, … */
  readonly name: string;
  /** The entitlement; -1 means unlimited. */
  readonly entitlement: number;
  /** Overage used. */
  readonly overage: number;
  readonly overagePermitted: boolean;
  readonly percentRemaining: number;
  /** Epoch ms of the reset, when given. */
  readonly resetsAt: number | undefined;
}

const SNAPSHOT_PREFIX = "x-quota-snapshot-";
const RATE_LIMIT_PREFIX = "x-usage-ratelimit-";

/** Every quota header of an answer, each read defensively (a header of another shape is skipped). */
export function readQuotaWindows(headers: IncomingHttpHeaders): QuotaWindow[] {
  const windows: QuotaWindow[] = [];
  for (const header in headers) {
    let name: string | undefined;
    if (header.startsWith(SNAPSHOT_PREFIX)) name = header.slice(SNAPSHOT_PREFIX.length);
    else if (header.startsWith(RATE_LIMIT_PREFIX)) name = header.slice(RATE_LIMIT_PREFIX.length);
    const value = headers[header];
    if (name === undefined || name === "" || typeof value !== "string") continue;
    const window = parseQuotaWindow(name, value);
    if (window !== undefined) windows.push(window);
  }
  return windows;
}

export function parseQuotaWindow(name: string, value: string): QuotaWindow | undefined {
  const fields = new URLSearchParams(value);
  const entitlement = readNumber(fields.get("ent"));
  const percentRemaining = readNumber(fields.get("rem"));
  if (entitlement === undefined || percentRemaining === undefined) return undefined;
  const reset = fields.get("rst");
  const resetsAt = reset === null || reset === "" ? undefined : Date.parse(reset);
  return {
    name,
    entitlement,
    overage: readNumber(fields.get("ov")) ?? 0,
    overagePermitted: fields.get("ovPerm") === "true",
    percentRemaining,
    resetsAt: resetsAt === undefined || Number.isNaN(resetsAt) ? undefined : resetsAt,
  };
}

function readNumber(text: string | null): number | undefined {
  if (text === null || text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
