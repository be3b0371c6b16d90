import { request } from "undici";
import type { FakeCopilot } from "./fake-copilot-types.js";
import { FAKE_GITHUB_TOKEN } from "./fake-copilot-types.js";

/**
 * Headers the fake (like the real Copilot API) requires besides the token
 * (docs/upstream-protocol.md, Request headers).
 */
export const FAKE_CLIENT_HEADERS: Readonly<Record<string, string>> = {
  "copilot-integration-id": "vscode-chat",
  "editor-version": "vscode/1.104.3",
  "editor-plugin-version": "copilot-chat/0.31.5",
  "user-agent": "GitHubCopilotChat/0.31.5",
  "x-github-api-version": "2025-05-01",
};

/** Every header a direct call to the fake Copilot API needs. */
export function fakeCopilotHeaders(copilotToken: string): Record<string, string> {
  return { ...FAKE_CLIENT_HEADERS, authorization: `Bearer ${copilotToken}` };
}

/** Exchanges a GitHub token at the fake GitHub for a Copilot token (one §2 exchange). */
export async function fetchFakeCopilotToken(
  fake: Pick<FakeCopilot, "githubUrl">,
  githubToken: string = FAKE_GITHUB_TOKEN,
): Promise<string> {
  const response = await request(`${fake.githubUrl}/copilot_internal/v2/token`, {
    headers: { ...FAKE_CLIENT_HEADERS, authorization: `token ${githubToken}` },
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) {
    throw new Error(`fake token exchange answered ${response.statusCode}: ${text}`);
  }
  return (JSON.parse(text) as { token: string }).token;
}
