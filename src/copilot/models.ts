import { z } from "zod";
import { UpstreamError } from "../errors.js";
import { copilotModelSchema, type CopilotModel } from "../protocols/copilot.js";
import type { CopilotClient } from "./copilot-client.js";

const modelListSchema = z.looseObject({ data: z.array(z.unknown()) });

/** Parses `/models`, skipping malformed entries and keeping the first of duplicate ids. */
export function parseModelList(body: unknown): CopilotModel[] {
  const list = modelListSchema.safeParse(body);
  if (!list.success) throw new UpstreamError(502, "Copilot's model list was not understood");
  const seen = new Set<string>();
  const models: CopilotModel[] = [];
  for (const entry of list.data.data) {
    const model = copilotModelSchema.safeParse(entry);
    if (!model.success || seen.has(model.data.id)) continue;
    seen.add(model.data.id);
    models.push(model.data);
  }
  return models;
}

export interface ModelCatalog {
  /** The account's models, fetched at most once per TTL (single flight). */
  getModels(githubToken: string, requestId: string): Promise<readonly CopilotModel[]>;
}

export function createModelCatalog(options: {
  readonly client: CopilotClient;
  readonly ttlMs: number;
  readonly now?: () => number;
}): ModelCatalog {
  const now = options.now ?? Date.now;
  const entries = new Map<
    string,
    { models: readonly CopilotModel[]; until: number } | Promise<readonly CopilotModel[]>
  >();

  return {
    async getModels(githubToken, requestId) {
      const entry = entries.get(githubToken);
      if (entry instanceof Promise) return entry;
      if (entry !== undefined && entry.until > now()) return entry.models;
      const pending = (async () => {
        const response = await options.client.call({
          githubToken,
          method: "GET",
          path: "/models",
          initiator: "user",
          vision: false,
          requestId,
        });
        const models = parseModelList(await response.body.json());
        entries.set(githubToken, { models, until: now() + options.ttlMs });
        return models;
      })();
      entries.set(githubToken, pending);
      try {
        return await pending;
      } catch (error) {
        entries.delete(githubToken);
        throw error;
      }
    },
  };
}
