import { renderOpenAIError } from "../../dialects/openai-chat/render-openai-error.js";
import type { Metrics } from "../../metrics/create-metrics.js";
import { readCredentialRequest } from "../middleware/auth.js";
import { createAdminAccess } from "../middleware/admin-access.js";
import type { Router } from "../router.js";

export interface MetricsRouteOptions {
  readonly metrics: Metrics;
  /** ADMIN_KEY; undefined: /metrics is served to the loopback only. */
  readonly adminKey: string | undefined;
}

/**
 * `GET /metrics`: the Prometheus text format, for a scraper on this machine or one that presents
 * ADMIN_KEY (see createAdminAccess). It says who spends what, so a browser page must not read it.
 */
export function registerMetricsRoute(router: Router, options: MetricsRouteOptions): void {
  const checkAccess = createAdminAccess({ adminKey: options.adminKey, resource: "/metrics" });
  router.on(
    "GET",
    "/metrics",
    async (exchange) => {
      checkAccess(readCredentialRequest(exchange.incoming));
      const { contentType, body } = await options.metrics.render();
      exchange.setHeader("cache-control", "no-store");
      exchange.send(200, body, contentType);
    },
    { authenticated: false, renderError: renderOpenAIError },
  );
}
