import type { Dispatcher } from "undici";
import { fetchCopilotUser, fetchGitHubLogin, type CopilotUser } from "../../github/copilot-user.js";
import {
  pollDeviceCode,
  requestDeviceCode,
  type DevicePoll,
  type IssuedDeviceCode,
} from "../../github/device-flow.js";
import type { GitHubApiOptions } from "../../github/github-api.js";

/** What the dashboard asks of GitHub: an account's plan and quotas, and the join flow's sign-in. */
export interface UiGitHub {
  copilotUser(githubToken: string): Promise<CopilotUser>;
  login(githubToken: string): Promise<string | undefined>;
  /** Exchanges the token for a Copilot token; throws the exchange's GatewayError without a seat. */
  checkCopilot(githubToken: string): Promise<void>;
  requestDeviceCode(): Promise<IssuedDeviceCode>;
  pollDeviceCode(deviceCode: string, intervalSeconds: number): Promise<DevicePoll>;
}

export interface UiGitHubOptions {
  readonly github: GitHubApiOptions;
  /** GitHub's web URL (GITHUB_URL): the device flow lives there, not on the API host. */
  readonly githubUrl: string;
  readonly dispatcher: Dispatcher;
  /** The client headers of the device flow (no credentials). */
  readonly headers: Readonly<Record<string, string>>;
  /** The gateway's token source: a Copilot token proves the seat and is cached for later. */
  readonly exchange: (githubToken: string) => Promise<unknown>;
}

export function createUiGitHub(options: UiGitHubOptions): UiGitHub {
  const flow = {
    githubUrl: options.githubUrl,
    dispatcher: options.dispatcher,
    headers: options.headers,
  };
  return {
    copilotUser: (githubToken) => fetchCopilotUser(options.github, githubToken),
    login: (githubToken) => fetchGitHubLogin(options.github, githubToken),
    checkCopilot: async (githubToken) => {
      await options.exchange(githubToken);
    },
    requestDeviceCode: () => requestDeviceCode(flow),
    pollDeviceCode: (deviceCode, intervalSeconds) =>
      pollDeviceCode(flow, deviceCode, intervalSeconds),
  };
}
