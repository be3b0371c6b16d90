import { z } from "zod";
import { UpstreamError } from "../errors.js";
import type { CopilotClient } from "./copilot-client.js";

/**
 * One entry of Copilot's `GET /models` (docs/upstream-protocol.md, Routes and supported_endpoints);
 * unknown fields pass.
 */
export const copilotModelSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  vendor: z.string().optional(),
  version: z.string().optional(),
  preview: z.boolean().optional(),
  model_picker_enabled: z.boolean().optional(),
  is_chat_default: z.boolean().optional(),
  capabilities: z
    .looseObject({
      family: z.string().optional(),
      type: z.string().optional(),
      tokenizer: z.string().optional(),
      limits: z.looseObject({}).optional(),
      supports: z.looseObject({}).optional(),
    })
    .optional(),
  billing: z
    .looseObject({ is_premium: z.boolean().optional(), multiplier: z.number().optional() })
    .optional(),
  policy: z.looseObject({ state: z.string().optional(), terms: z.string().optional() }).optional(),
  supported_endpoints: z.array(z.string()).optional(),
});

export type CopilotModel = z.infer<typeof copilotModelSchema>;

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
