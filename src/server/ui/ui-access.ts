import { AuthenticationError, PermissionError } from "../../errors.js";
import type { KeyStore } from "../../keys/managed-key.js";
import type { UiRole } from "../../protocols/ui-api.js";
import type { Exchange } from "../exchange.js";
import { isLoopback, isLoopbackHost, readCredential } from "../middleware/auth.js";
import { secretsEqual, type UiSession, type UiSessions } from "./ui-sessions.js";

export const SESSION_COOKIE = "cogpt_session";

/** Who is calling the dashboard API, and how. */
export interface UiCaller {
  readonly role: UiRole;
  readonly keyName: string | null;
  /** The session, when signed in with a cookie (ADMIN_KEY as a bearer has none). */
  readonly session: UiSession | undefined;
}

/** What every answer under /ui carries (docs/ui-api.md). */
export const UI_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/**
 * Without ADMIN_KEY the whole of /ui is for this machine only: a loopback client that addressed
 * the gateway by a loopback name (not a name rebound by DNS to 127.0.0.1).
 */
export function checkUiReach(exchange: Exchange, adminKey: string | undefined): void {
  if (adminKey !== undefined) return;
  if (!isLoopback(exchange.incoming.socket.remoteAddress)) {
    throw new PermissionError(
      "The dashboard is served only to this machine (loopback) while ADMIN_KEY is not set; " +
        "set ADMIN_KEY on the gateway to open it to the network",
      { code: "loopback_only" },
    );
  }
  if (!isLoopbackHost(exchange.header("host"))) {
    throw new PermissionError(
      "Without ADMIN_KEY the dashboard answers only requests addressed to localhost, 127.0.0.1 or [::1]",
      { code: "host_not_allowed" },
    );
  }
}

/** The value of one cookie of the request, if sent. */
export function readCookie(exchange: Exchange, name: string): string | undefined {
  const header = exchange.header("cookie");
  if (header === undefined) return undefined;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index !== -1 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/**
 * The caller: ADMIN_KEY as a bearer (no cookie, no CSRF token), else a live session cookie (a
 * friend's only while their key is live). A wrong bearer is refused outright rather than ignored.
 */
export function identifyCaller(
  exchange: Exchange,
  options: { adminKey: string | undefined; sessions: UiSessions; keys: KeyStore; now: number },
): UiCaller | undefined {
  const bearer = readCredential(exchange.header("authorization"), undefined);
  if (bearer !== undefined) {
    if (options.adminKey !== undefined && secretsEqual(bearer, options.adminKey)) {
      return { role: "admin", keyName: null, session: undefined };
    }
    throw new AuthenticationError(
      "The bearer token is not the gateway's ADMIN_KEY; sign in on the page, or send Authorization: Bearer <ADMIN_KEY>",
      { code: "invalid_api_key" },
    );
  }
  const id = readCookie(exchange, SESSION_COOKIE);
  const session = id === undefined || id === "" ? undefined : options.sessions.get(id);
  if (session === undefined) return undefined;
  if (session.role === "friend") {
    const key = session.keyName === null ? undefined : options.keys.findByName(session.keyName);
    const live =
      key !== undefined &&
      key.revokedAt === undefined &&
      (key.expiresAt === undefined || key.expiresAt > options.now);
    if (!live) {
      options.sessions.delete(session.id);
      return undefined;
    }
  }
  return { role: session.role, keyName: session.keyName, session };
}

/**
 * Cross-site request forgery: a change (any method but GET and HEAD) must come from the
 * gateway's own page: an Origin, when sent, naming this host, no cross-site Sec-Fetch-Site, and
 * with a cookie the session's CSRF token in `x-cogpt-csrf`.
 */
export function checkChange(exchange: Exchange, caller: UiCaller | undefined): void {
  if (exchange.method === "GET" || exchange.method === "HEAD") return;
  const origin = exchange.header("origin");
  if (origin !== undefined && !isOwnOrigin(origin, exchange.header("host"))) {
    throw csrfRejected(`a request from ${origin} may not change anything here`);
  }
  const site = exchange.header("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") {
    throw csrfRejected(`a ${site} request may not change anything here`);
  }
  const session = caller?.session;
  if (session === undefined) return;
  const token = exchange.header("x-cogpt-csrf");
  if (token === undefined || !secretsEqual(token, session.csrfToken)) {
    throw csrfRejected(
      "the x-cogpt-csrf header is missing or wrong (read csrfToken from GET /ui/api/session)",
    );
  }
}

/** Whether `origin` names the host the request was sent to (a default port written or not). */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    const from = new URL(origin);
    return from.host === new URL(`${from.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

function csrfRejected(detail: string): PermissionError {
  return new PermissionError(`Cross-site request refused: ${detail}`, { code: "csrf_rejected" });
}

/** The session cookie: HttpOnly, SameSite=Strict, Path=/ui, Secure behind a TLS proxy. */
export function sessionCookie(session: UiSession, now: number, secure: boolean): string {
  const maxAge = Math.max(0, Math.floor((session.expiresAt - now) / 1000));
  return (
    `${SESSION_COOKIE}=${session.id}; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=${maxAge}` +
    (secure ? "; Secure" : "")
  );
}

export function clearedSessionCookie(secure: boolean): string {
  return (
    `${SESSION_COOKIE}=; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=0` +
    (secure ? "; Secure" : "")
  );
}

/** Served over TLS, as far as the gateway can tell: a proxy in front that says so. */
export function isSecure(exchange: Exchange): boolean {
  return exchange.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}
