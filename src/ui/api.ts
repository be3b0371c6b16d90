// Calls to /ui/api/ (docs/ui-api.md): JSON in and out, the CSRF token on every change.

export const API_BASE = `${import.meta.env.BASE_URL}api/`;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  remove(path: string): Promise<void>;
}

/** An API client; `csrfToken` is the session's (null before signing in). */
export function createApi(csrfToken: string | null): Api {
  async function call<T>(method: string, path: string, body: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (method !== "GET" && csrfToken !== null) headers["x-cogpt-csrf"] = csrfToken;
    const response = await fetch(API_BASE + path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      credentials: "same-origin",
    });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      const error = readError(parsed);
      throw new ApiError(response.status, error.code, error.message ?? `HTTP ${response.status}`);
    }
    return parsed as T;
  }
  return {
    get: (path) => call("GET", path, undefined),
    post: (path, body) => call("POST", path, body),
    remove: (path) => call("DELETE", path, undefined),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function readError(body: unknown): { code: string | null; message: string | null } {
  if (typeof body !== "object" || body === null || !("error" in body)) {
    return { code: null, message: null };
  }
  const error = body.error;
  if (typeof error !== "object" || error === null) return { code: null, message: null };
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    code: typeof code === "string" ? code : null,
    message: typeof message === "string" ? message : null,
  };
}
