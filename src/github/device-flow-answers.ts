import { z } from "zod";

// Reading GitHub's OAuth device-flow answers, and the errors the flow ends in
// (docs/upstream-protocol.md, Device flow).

/** Why the device flow stopped without a token (GitHub's error codes, plus our own three). */
export type DeviceFlowFailure =
  | "expired_token"
  | "access_denied"
  | "incorrect_device_code"
  | "incorrect_client_credentials"
  | "unsupported_grant_type"
  | "unexpected_response"
  | "network"
  | "cancelled";

export class DeviceFlowError extends Error {
  readonly reason: DeviceFlowFailure;

  constructor(reason: DeviceFlowFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DeviceFlowError";
    this.reason = reason;
  }
}

const deviceCodeSchema = z.looseObject({
  device_code: z.string().min(1),
  user_code: z.string().min(1),
  verification_uri: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  interval: z.coerce.number().nonnegative().optional(),
});

const pollAnswerSchema = z.looseObject({
  access_token: z.string().min(1).optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
  interval: z.coerce.number().nonnegative().optional(),
});

export type PollAnswer = z.infer<typeof pollAnswerSchema>;
export type DeviceCodeAnswer = z.infer<typeof deviceCodeSchema>;

/** JSON as asked for; form encoding is what GitHub sends when the Accept header gets lost. */
export function parseBody(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    return undefined;
  } catch {
    const form = new URLSearchParams(text.trim());
    return form.has("error") || form.has("access_token") || form.has("device_code")
      ? Object.fromEntries(form)
      : undefined;
  }
}

export function parseDeviceCode(body: Record<string, unknown>): DeviceCodeAnswer {
  if (typeof body["error"] === "string") throw failureOf(parsePollAnswer(body));
  const parsed = deviceCodeSchema.safeParse(body);
  if (!parsed.success) {
    throw new DeviceFlowError(
      "unexpected_response",
      "GitHub's device code answer was not understood",
    );
  }
  return parsed.data;
}

export function parsePollAnswer(body: Record<string, unknown>): PollAnswer {
  const parsed = pollAnswerSchema.safeParse(body);
  if (
    !parsed.success ||
    (parsed.data.access_token === undefined && parsed.data.error === undefined)
  ) {
    throw new DeviceFlowError("unexpected_response", "GitHub's token answer was not understood");
  }
  return parsed.data;
}

const EXPIRED_MESSAGE = "The code expired before it was entered. Run the login again.";

// GitHub's codes that end the flow, with what to tell the person.
const FAILURES = new Map<string, { reason: DeviceFlowFailure; message: string }>([
  ["expired_token", { reason: "expired_token", message: EXPIRED_MESSAGE }],
  ["access_denied", { reason: "access_denied", message: "The sign-in was declined on GitHub." }],
  [
    "incorrect_device_code",
    { reason: "incorrect_device_code", message: "GitHub did not recognise the device code." },
  ],
  [
    "incorrect_client_credentials",
    {
      reason: "incorrect_client_credentials",
      message: "GitHub did not accept the OAuth client id.",
    },
  ],
  [
    "unsupported_grant_type",
    { reason: "unsupported_grant_type", message: "GitHub did not accept the grant type." },
  ],
]);

export function failureOf(poll: PollAnswer): DeviceFlowError {
  const known = FAILURES.get(poll.error ?? "");
  if (known !== undefined) return new DeviceFlowError(known.reason, known.message);
  const detail = poll.error_description === undefined ? "" : ` (${poll.error_description})`;
  return new DeviceFlowError(
    "unexpected_response",
    `GitHub answered with error "${poll.error ?? "unknown"}"${detail}`,
  );
}

export function expiredError(): DeviceFlowError {
  return new DeviceFlowError("expired_token", EXPIRED_MESSAGE);
}

export function cancelledError(cause: unknown): DeviceFlowError {
  return new DeviceFlowError("cancelled", "Sign-in cancelled.", { cause });
}
