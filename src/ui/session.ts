import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { createApi, type Api } from "./api.js";
import type { UiSessionInfo } from "../protocols/ui-api.js";

export interface SessionContextValue {
  readonly session: UiSessionInfo | null;
  readonly api: Api;
  /** Called with every failed call: a 401 ends the session in the page. */
  readonly onApiError: (error: Error) => void;
  readonly signedIn: (session: UiSessionInfo) => void;
  readonly signOut: () => void;
  readonly refresh: () => Promise<void>;
}

export const SessionContext = createContext<SessionContextValue>({
  session: null,
  api: createApi(null),
  onApiError: () => undefined,
  signedIn: () => undefined,
  signOut: () => undefined,
  refresh: async () => undefined,
});

export function useSession(): SessionContextValue {
  return useContext(SessionContext);
}
