import type { CopilotModel } from "../protocols/copilot.js";
import { renderTable } from "./render-table.js";

export const COPILOT_SETTINGS_URL = "https://github.com/settings/copilot";

/** What `cogpt models` shows of one model. */
export interface ModelSummary {
  readonly id: string;
  readonly vendor: string | undefined;
  /**
   * HTTP routes the model serves, `ws:` transports left out
   * (docs/upstream-protocol.md, Routes and supported_endpoints).
   */
  readonly endpoints: readonly string[];
  readonly contextWindow: number | undefined;
  /** Premium requests one user request costs; 0 for models included in the plan. */
  readonly multiplier: number | undefined;
  /** `enabled`, `disabled`, or undefined when Copilot sets no policy. */
  readonly policy: string | undefined;
}

export function summarizeModel(model: CopilotModel): ModelSummary {
  const limits = model.capabilities?.limits ?? {};
  const contextWindow = limits["max_context_window_tokens"];
  const billing = model.billing;
  return {
    id: model.id,
    vendor: model.vendor,
    endpoints: listEndpoints(model),
    contextWindow: typeof contextWindow === "number" ? contextWindow : undefined,
    multiplier: billing?.is_premium === false ? 0 : billing?.multiplier,
    policy: model.policy?.state,
  };
}

/** A model without `supported_endpoints` serves chat completions only (or embeddings). */
function listEndpoints(model: CopilotModel): string[] {
  const listed = model.supported_endpoints;
  if (listed !== undefined) return listed.filter((endpoint) => !endpoint.startsWith("ws:"));
  switch (model.capabilities?.type ?? "chat") {
    case "chat":
      return ["/chat/completions"];
    case "embeddings":
      return ["/embeddings"];
    default:
      return [];
  }
}

/** The table, then a line telling where to enable the models a policy disables. */
export function formatModels(models: readonly CopilotModel[]): string[] {
  const summaries = models.map(summarizeModel);
  const rows = summaries.map((model) => [
    model.id,
    model.vendor ?? "-",
    model.endpoints.length === 0 ? "-" : model.endpoints.join(" "),
    model.contextWindow === undefined ? "-" : formatTokens(model.contextWindow),
    formatMultiplier(model.multiplier),
    model.policy ?? "-",
  ]);
  const lines = renderTable([
    ["Model", "Vendor", "Endpoints", "Context", "Premium", "Policy"],
    ...rows,
  ]);
  lines.push("", `${summaries.length} models.`);
  const disabled = summaries
    .filter((model) => model.policy === "disabled")
    .map((model) => model.id);
  if (disabled.length > 0) {
    lines.push(
      `Disabled by policy: ${disabled.join(", ")}. Enable them at ${COPILOT_SETTINGS_URL} ` +
        "(on a business or enterprise seat, your organization's admin decides).",
    );
  }
  return lines;
}

/** 128000 → `128k`, 1000000 → `1M`. */
export function formatTokens(count: number): string {
  if (count >= 1_000_000 && count % 100_000 === 0) return `${count / 1_000_000}M`;
  if (count >= 1000) return `${Math.round(count / 1000)}k`;
  return String(count);
}

function formatMultiplier(multiplier: number | undefined): string {
  if (multiplier === undefined) return "-";
  return multiplier === 0 ? "free" : `${multiplier}x`;
}

export function modelsToJson(models: readonly CopilotModel[]): Record<string, unknown>[] {
  return models.map((model) => {
    const summary = summarizeModel(model);
    return {
      id: summary.id,
      vendor: summary.vendor ?? null,
      endpoints: summary.endpoints,
      context_window: summary.contextWindow ?? null,
      premium_multiplier: summary.multiplier ?? null,
      policy: summary.policy ?? null,
    };
  });
}
