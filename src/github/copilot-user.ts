import { z } from "zod";
import { UpstreamError } from "../errors.js";
import { getGitHubJson, type GitHubApiOptions } from "./github-api.js";

/**
 * One of `quota_snapshots` in `copilot_internal/user`
 * (docs/upstream-protocol.md, Copilot user and quota).
 */
export interface QuotaSnapshot {
  readonly unlimited: boolean;
  readonly entitlement: number;
  readonly remaining: number;
  readonly percentRemaining: number;
  readonly overageCount: number;
  readonly overagePermitted: boolean;
}

/** What `cogpt usage` and `cogpt doctor` need of `GET {api}/copilot_internal/user`. */
export interface CopilotUser {
  readonly login: string | undefined;
  /** `individual`, `business`, `enterprise`, … */
  readonly plan: string | undefined;
  /** `access_type_sku`, e.g. `copilot_standalone_seat_quota`. */
  readonly sku: string | undefined;
  /** `YYYY-MM-DD`. */
  readonly quotaResetDate: string | undefined;
  readonly apiUrl: string | undefined;
  /**
   * true: billed in AI credits by tokens; false: billed in premium requests (a user turn costs the
   * model's multiplier); undefined when GitHub does not say.
   */
  readonly tokenBasedBilling: boolean | undefined;
  /** By quota id: `premium_interactions`, `chat`, `completions` (and any new one GitHub adds). */
  readonly quotas: ReadonlyMap<string, QuotaSnapshot>;
}

const snapshotSchema = z.looseObject({
  unlimited: z.boolean().optional(),
  entitlement: z.number().optional(),
  remaining: z.number().optional(),
  percent_remaining: z.number().optional(),
  overage_count: z.number().optional(),
  overage_permitted: z.boolean().optional(),
  token_based_billing: z.boolean().optional(),
});

const copilotUserSchema = z.looseObject({
  login: z.string().optional(),
  copilot_plan: z.string().optional(),
  access_type_sku: z.string().optional(),
  quota_reset_date: z.string().optional(),
  token_based_billing: z.boolean().optional(),
  endpoints: z.looseObject({ api: z.string().optional() }).optional(),
  quota_snapshots: z.record(z.string(), z.unknown()).optional(),
});

export async function fetchCopilotUser(
  options: GitHubApiOptions,
  githubToken: string,
): Promise<CopilotUser> {
  return parseCopilotUser(await getGitHubJson(options, "/copilot_internal/user", githubToken));
}

/** Parses the answer; a snapshot GitHub shapes differently is left out rather than guessed. */
export function parseCopilotUser(body: unknown): CopilotUser {
  const parsed = copilotUserSchema.safeParse(body);
  if (!parsed.success) {
    throw new UpstreamError(502, "GitHub's copilot_internal/user answer was not understood");
  }
  const user = parsed.data;
  const quotas = new Map<string, QuotaSnapshot>();
  let snapshotBilling: boolean | undefined;
  for (const [id, value] of Object.entries(user.quota_snapshots ?? {})) {
    const snapshot = snapshotSchema.safeParse(value);
    if (!snapshot.success) continue;
    if (id === "premium_interactions") snapshotBilling = snapshot.data.token_based_billing;
    const entitlement = snapshot.data.entitlement ?? 0;
    const remaining = snapshot.data.remaining ?? 0;
    quotas.set(id, {
      unlimited: snapshot.data.unlimited ?? false,
      entitlement,
      remaining,
      percentRemaining:
        snapshot.data.percent_remaining ?? (entitlement > 0 ? (remaining / entitlement) * 100 : 0),
      overageCount: snapshot.data.overage_count ?? 0,
      overagePermitted: snapshot.data.overage_permitted ?? false,
    });
  }
  return {
    login: user.login,
    plan: user.copilot_plan,
    sku: user.access_type_sku,
    quotaResetDate: user.quota_reset_date,
    apiUrl: user.endpoints?.api,
    // Each snapshot repeats it; the account's own field wins.
    tokenBasedBilling: user.token_based_billing ?? snapshotBilling,
    quotas,
  };
}

/** `GET {api}/user`: the GitHub login of the token's owner. */
export async function fetchGitHubLogin(
  options: GitHubApiOptions,
  githubToken: string,
): Promise<string | undefined> {
  const parsed = z
    .looseObject({ login: z.string() })
    .safeParse(await getGitHubJson(options, "/user", githubToken));
  return parsed.success ? parsed.data.login : undefined;
}
