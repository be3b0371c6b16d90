import { InvalidRequestError } from "../errors.js";
import type { CopilotModel } from "../protocols/copilot.js";

export type ModelKind = "chat" | "embeddings";

/**
 * Maps the model a client asked for to one Copilot lists (docs/upstream-protocol.md, Model names):
 * the user's MODEL_MAP first, then the exact id, then built-in rules for the names clients send
 * (dated Claude ids, `-latest`, hyphen versions where Copilot uses dots). No model: Copilot's
 * default of the kind.
 */
export function resolveModel(
  requested: string | undefined,
  models: readonly CopilotModel[],
  modelMap: ReadonlyMap<string, string>,
  kind: ModelKind,
): CopilotModel {
  if (requested === undefined || requested === "") {
    const fallback = defaultModel(models, kind);
    if (fallback === undefined) {
      throw new InvalidRequestError(`No ${kind} model is available for this account`, {
        code: "model_not_found",
        param: "model",
      });
    }
    return fallback;
  }
  const mapped = modelMap.get(requested) ?? modelMap.get(requested.toLowerCase()) ?? requested;
  const byId = indexById(models);
  // Nearly every request names a listed model: skip the rules then.
  const exact = byId.get(mapped.toLowerCase());
  if (exact !== undefined) return exact;
  for (const candidate of candidateIds(mapped)) {
    const model = byId.get(candidate);
    if (model !== undefined) return model;
  }
  const family = newestOfClaudeFamily(mapped, models);
  if (family !== undefined) return family;
  const available = models
    .filter((model) => modelKind(model) === kind)
    .map((model) => model.id)
    .join(", ");
  throw new InvalidRequestError(
    `The model "${requested}" does not exist or is not offered to this account. Available ${kind} models: ${available}`,
    { code: "model_not_found", param: "model" },
  );
}

/** The ids to try, most specific first. Exported for tests. */
export function candidateIds(name: string): string[] {
  const lower = name.trim().toLowerCase();
  const candidates = [lower];
  // claude-sonnet-4-20250514, claude-3-5-haiku-latest → drop the date or `-latest`
  const undated = lower.replace(/-(\d{8}|\d{4}-\d{2}-\d{2}|latest)$/, "");
  candidates.push(undated);
  // claude-sonnet-4-5 → claude-sonnet-4.5; claude-3-5-sonnet → claude-3.5-sonnet
  const dotted = undated.replace(/(?<=-\d+)-(?=\d{1,2}(?:-|$))/g, ".");
  candidates.push(dotted);
  // claude-3-7-sonnet → claude-3.7-sonnet is covered above; claude-sonnet-4-0 → claude-sonnet-4
  candidates.push(dotted.replace(/\.0(?=-|$)/, ""));
  return [...new Set(candidates)];
}

const CLAUDE_FAMILY = /\b(opus|sonnet|haiku)\b/;
const CLAUDE_ID =
  /^claude-(?:(opus|sonnet|haiku)-(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)-(opus|sonnet|haiku))$/;

/**
 * Claude clients name versions Copilot may not list (`claude-3-5-haiku-latest`,
 * `claude-opus-4-1`): serve them with the newest listed model of the same family.
 */
function newestOfClaudeFamily(
  name: string,
  models: readonly CopilotModel[],
): CopilotModel | undefined {
  const wanted = CLAUDE_FAMILY.exec(name.toLowerCase())?.[1];
  if (!name.toLowerCase().startsWith("claude") || wanted === undefined) return undefined;
  let best: { model: CopilotModel; version: number } | undefined;
  for (const model of models) {
    const match = CLAUDE_ID.exec(model.id);
    if (match === null) continue;
    const family = match[1] ?? match[4];
    const version = Number(match[2] ?? match[3]);
    if (family === wanted && (best === undefined || version > best.version)) {
      best = { model, version };
    }
  }
  return best?.model;
}

// A model list is fetched once per TTL and asked for on every request: index it once.
const indexes = new WeakMap<readonly CopilotModel[], Map<string, CopilotModel>>();

function indexById(models: readonly CopilotModel[]): Map<string, CopilotModel> {
  let index = indexes.get(models);
  if (index === undefined) {
    index = new Map();
    for (const model of models) index.set(model.id.toLowerCase(), model);
    indexes.set(models, index);
  }
  return index;
}

export function modelKind(model: CopilotModel): string {
  return model.capabilities?.type ?? "chat";
}

function defaultModel(models: readonly CopilotModel[], kind: ModelKind): CopilotModel | undefined {
  const ofKind = models.filter((model) => modelKind(model) === kind);
  if (kind === "chat") {
    return (
      ofKind.find((model) => model.is_chat_default === true) ??
      ofKind.find((model) => model.model_picker_enabled === true) ??
      ofKind[0]
    );
  }
  return ofKind[0];
}
