/**
 * Copilot's error codes for a limit of the account (docs/upstream-protocol.md, Billing), with the
 * quota window each one concerns and how to name it to a person.
 */
export interface LimitRefusal {
  /** The quota header's window that says when it resets, if one does. */
  readonly window: string | undefined;
  readonly label: string;
  /** A spending allowance ("quota": OpenAI's insufficient_quota) or a rate ("rate_limit"). */
  readonly kind: "quota" | "rate_limit";
  /** Whether a fallback model may serve while it lasts (an allowance, not a per-model rate). */
  readonly exhaustsAccount: boolean;
}

export const LIMIT_REFUSALS: Readonly<Record<string, LimitRefusal>> = {
  quota_exceeded: {
    window: "premium_interactions",
    label: "the monthly AI-credit allowance",
    kind: "quota",
    exhaustsAccount: true,
  },
  billing_not_configured: {
    window: "premium_interactions",
    label: "the monthly AI-credit allowance (and no paid overage is set up)",
    kind: "quota",
    exhaustsAccount: true,
  },
  session_quota_exceeded: {
    window: "session",
    label: "the session limit (a rolling window of about five hours)",
    kind: "rate_limit",
    exhaustsAccount: true,
  },
  user_weekly_rate_limited: {
    window: "weekly",
    label: "the weekly limit",
    kind: "rate_limit",
    exhaustsAccount: true,
  },
  user_global_rate_limited: {
    window: undefined,
    label: "Copilot's overall rate limit for this account",
    kind: "rate_limit",
    exhaustsAccount: false,
  },
  user_model_rate_limited: {
    window: undefined,
    label: "Copilot's rate limit for this model",
    kind: "rate_limit",
    exhaustsAccount: false,
  },
  integration_rate_limited: {
    window: undefined,
    label: "Copilot's rate limit for this client integration",
    kind: "rate_limit",
    exhaustsAccount: false,
  },
};

export function limitRefusalFor(code: string | undefined): LimitRefusal | undefined {
  return code === undefined ? undefined : LIMIT_REFUSALS[code];
}
