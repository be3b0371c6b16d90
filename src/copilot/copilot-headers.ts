import { createHash, randomUUID } from "node:crypto";
import type { Config } from "../config/config.js";
import type { Initiator } from "../protocols/copilot.js";

/*
 * Every header and version string CoGPT sends to GitHub and Copilot lives here
 * (docs/upstream-protocol.md, Request headers).
 * Copilot rejects old version strings (HTTP 466), so they all come from the configuration.
 */

export interface CopilotRequestHeaderInput {
  readonly copilotToken: string;
  readonly initiator: Initiator;
  readonly vision: boolean;
  /** Stable per GitHub token (see `machineIdFor`). */
  readonly machineId: string;
  readonly sessionId: string;
  readonly requestId?: string;
}

export interface CopilotHeaders {
  /**
   * The client identity sent, as the settings that make it (`EDITOR_VERSION=1.104.3, …`): what a
   * 466 answer tells the person to change.
   */
  readonly identity: string;
  /** Headers for a call to the Copilot API. */
  forCopilot(input: CopilotRequestHeaderInput): Record<string, string>;
  /** Headers for a call to the GitHub API (token exchange, user, quota). */
  forGitHub(githubToken: string): Record<string, string>;
}

export type ClientIdentityConfig = Pick<
  Config,
  | "editorVersion"
  | "editorPluginVersion"
  | "githubApiVersion"
  | "userAgent"
  | "copilotIntegrationId"
>;

export function createCopilotHeaders(config: ClientIdentityConfig): CopilotHeaders {
  const editorVersion = `vscode/${config.editorVersion}`;
  const pluginVersion = `copilot-chat/${config.editorPluginVersion}`;
  const userAgent = config.userAgent;
  const integrationId = config.copilotIntegrationId;
  const githubApiVersion = config.githubApiVersion;
  const githubBase: Record<string, string> = {
    accept: "application/json",
    "editor-version": editorVersion,
    "editor-plugin-version": pluginVersion,
    "user-agent": userAgent,
    "x-github-api-version": githubApiVersion,
  };

  return {
    identity: describeClientIdentity(config),
    forCopilot(input) {
      // One object literal, not a spread of shared headers: on Node 20 every property added
      // after a spread costs about a microsecond, the whole literal some 50 ns. Order as sent.
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "copilot-integration-id": integrationId,
        "editor-version": editorVersion,
        "editor-plugin-version": pluginVersion,
        "user-agent": userAgent,
        "x-github-api-version": githubApiVersion,
        authorization: `Bearer ${input.copilotToken}`,
        "openai-intent": input.initiator === "agent" ? "conversation-agent" : "conversation-panel",
        "x-initiator": input.initiator,
        "x-request-id": input.requestId ?? randomUUID(),
        "vscode-machineid": input.machineId,
        "vscode-sessionid": input.sessionId,
      };
      if (input.vision) headers["copilot-vision-request"] = "true";
      return headers;
    },
    forGitHub(githubToken) {
      return { ...githubBase, authorization: `token ${githubToken}` };
    },
  };
}

/** The settings of the client identity and their values, as a person would set them. */
export function describeClientIdentity(config: ClientIdentityConfig): string {
  return [
    `EDITOR_VERSION=${config.editorVersion}`,
    `EDITOR_PLUGIN_VERSION=${config.editorPluginVersion}`,
    `GITHUB_API_VERSION=${config.githubApiVersion}`,
    `USER_AGENT=${config.userAgent}`,
    `COPILOT_INTEGRATION_ID=${config.copilotIntegrationId}`,
  ].join(", ");
}

/** A stable machine id for one GitHub token: derived, so it survives restarts and reveals nothing. */
export function machineIdFor(githubTokenHash: string): string {
  return createHash("sha256").update(`cogpt:machine-id:${githubTokenHash}`).digest("hex");
}

const SESSION_LIFETIME_MS = 15 * 60 * 1000;

/** Session ids as the editor makes them: a UUID plus unix ms, renewed every 15 minutes. */
export function createSessionIds(
  now: () => number = Date.now,
  uuid: () => string = randomUUID,
): (key: string) => string {
  const sessions = new Map<string, { id: string; until: number }>();
  return (key) => {
    const time = now();
    const current = sessions.get(key);
    if (current !== undefined && current.until > time) return current.id;
    const id = `${uuid()}${time}`;
    sessions.set(key, { id, until: time + SESSION_LIFETIME_MS });
    return id;
  };
}
