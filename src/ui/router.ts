import { useEffect, useState } from "preact/hooks";

export type Route =
  | "overview"
  | "spend"
  | "requests"
  | "keys"
  | "models"
  | "health"
  | "sign-in"
  | "join"
  | "not-found";

const BASE = import.meta.env.BASE_URL; // "/ui/"

const PATHS: Record<Exclude<Route, "not-found">, string> = {
  overview: BASE,
  spend: `${BASE}spend`,
  requests: `${BASE}requests`,
  keys: `${BASE}keys`,
  models: `${BASE}models`,
  health: `${BASE}health`,
  "sign-in": `${BASE}sign-in`,
  join: `${BASE}join`,
};

export function pathOf(route: Exclude<Route, "not-found">): string {
  return PATHS[route];
}

export function routeOf(pathname: string): Route {
  const path = pathname.replace(/\/+$/, "") + "/";
  if (path === BASE || path === "/ui/") return "overview";
  for (const [route, routePath] of Object.entries(PATHS)) {
    if (`${routePath}/` === path) return route as Route;
  }
  return "not-found";
}

const NAVIGATE_EVENT = "cogpt:navigate";

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(location.pathname));
  useEffect(() => {
    const update = (): void => setRoute(routeOf(location.pathname));
    window.addEventListener("popstate", update);
    window.addEventListener(NAVIGATE_EVENT, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(NAVIGATE_EVENT, update);
    };
  }, []);
  return route;
}

/** Follows a same-page link without reloading, unless a modifier asks for a new tab. */
export function followLink(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = event.currentTarget as HTMLAnchorElement;
  event.preventDefault();
  navigate(anchor.pathname + anchor.search);
}
