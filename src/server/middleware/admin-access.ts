import { createHash, timingSafeEqual } from "node:crypto";
import { AuthenticationError, PermissionError } from "../../errors.js";
import { findBrowserSign, isLoopback, readCredential, type CredentialRequest } from "./auth.js";

export interface AdminAccessOptions {
  /** ADMIN_KEY; undefined: only the loopback gets in. */
  readonly adminKey: string | undefined;
  /** What the refusals call the protected thing (`/metrics`). */
  readonly resource: string;
}

/** What the access check reads of a request: what authentication reads. */
export type AdminRequest = CredentialRequest;

/**
 * Who may read the gateway's own state (`/metrics`, the admin API): whoever presents ADMIN_KEY
 * (`Authorization: Bearer <key>` or `x-api-key`), and a client on this machine that is not a
 * browser page: a loopback address, no `Origin`, a loopback `Host` (not a name rebound by DNS)
 * and no cross-site `Sec-Fetch-Site`, as for the server-held account. Throws 401 off the
 * loopback without the key, 403 for a browser on the loopback. The key is compared by its
 * SHA-256, in constant time.
 */
export function createAdminAccess(options: AdminAccessOptions): (request: AdminRequest) => void {
  const keyDigest = options.adminKey === undefined ? undefined : digest(options.adminKey);
  const { resource } = options;

  return (request) => {
    const credential = readCredential(request.authorization, request.apiKey);
    if (
      credential !== undefined &&
      keyDigest !== undefined &&
      timingSafeEqual(digest(credential), keyDigest)
    ) {
      return;
    }
    if (isLoopback(request.remoteAddress)) {
      checkNotBrowser(request, resource);
      return;
    }
    if (keyDigest === undefined) {
      throw new AuthenticationError(
        `${resource} is served only to clients on this machine (loopback); set ADMIN_KEY on the ` +
          "gateway and send it as Authorization: Bearer <ADMIN_KEY> to read it from elsewhere",
        { code: "admin_key_not_set" },
      );
    }
    if (credential === undefined) {
      throw new AuthenticationError(
        `${resource} needs the gateway's admin key: send Authorization: Bearer <ADMIN_KEY>`,
        { code: "missing_api_key" },
      );
    }
    throw new AuthenticationError(`Wrong admin key for ${resource}: it is not ADMIN_KEY`, {
      code: "invalid_api_key",
    });
  };
}

function checkNotBrowser(request: AdminRequest, resource: string): void {
  switch (findBrowserSign(request, false)) {
    case undefined:
      return;
    case "origin":
      throw new PermissionError(
        `A browser request (with an Origin header) cannot read ${resource} without the admin ` +
          "key; send Authorization: Bearer <ADMIN_KEY>",
        { code: "origin_not_allowed" },
      );
    case "host":
      throw new PermissionError(
        `Without the admin key, ${resource} answers only requests addressed to a loopback name ` +
          "(Host: localhost, 127.0.0.1 or [::1]); another Host is what a page reaching this " +
          "machine through DNS rebinding sends",
        { code: "host_not_allowed" },
      );
    case "cross-site":
      throw new PermissionError(
        `A browser request from another site (Sec-Fetch-Site: ${request.fetchSite}) cannot ` +
          `read ${resource} without the admin key`,
        { code: "cross_site_request" },
      );
  }
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
