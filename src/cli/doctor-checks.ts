import { connect } from "node:net";
import { request } from "undici";
import { createSqliteTokenCache } from "../cache/sqlite-token-cache.js";
import { checkCachePath } from "../config/check-cache-path.js";
import type { Config } from "../config/config.js";
import { SqliteUnavailableError } from "../store/sqlite-driver.js";
import { describeNetworkError } from "../http/network-errors.js";
import type { CopilotStack } from "../copilot/create-copilot-stack.js";

/** One line of `cogpt doctor`. */
export type Verdict = "ok" | "warn" | "fail" | "skip";

export interface CheckResult {
  readonly name: string;
  readonly verdict: Verdict;
  readonly detail: string;
  /** What to do about a warn or fail. */
  readonly fix?: string;
}

export function check(name: string, verdict: Verdict, detail: string, fix?: string): CheckResult {
  return fix === undefined ? { name, verdict, detail } : { name, verdict, detail, fix };
}

/** Connects to the proxy itself (not through it): is something listening there? */
export async function checkProxy(config: Config): Promise<CheckResult> {
  if (config.proxy === undefined) return check("proxy", "skip", "none set (direct connections)");
  const url = new URL(
    /^[a-z][a-z0-9+.-]*:\/\//i.test(config.proxy) ? config.proxy : `http://${config.proxy}`,
  );
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = url.port === "" ? defaultProxyPort(url.protocol) : Number(url.port);
  const where = `${url.protocol}//${url.host}`;
  try {
    await connectOnce(host, port, config.connectTimeoutMs);
    return check("proxy", "ok", `${where} accepts connections`);
  } catch (error) {
    return check(
      "proxy",
      "fail",
      `cannot connect to ${where}: ${describeNetworkError(error)}`,
      "check PROXY (or ALL_PROXY, HTTPS_PROXY, HTTP_PROXY): host, port, and that the proxy runs",
    );
  }
}

function defaultProxyPort(protocol: string): number {
  if (protocol === "https:") return 443;
  if (protocol.startsWith("socks")) return 1080;
  return 80;
}

function connectOnce(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(Object.assign(new Error("connect timeout"), { code: "ETIMEDOUT" }));
    });
    socket.once("connect", () => {
      socket.end();
      resolve();
    });
    socket.once("error", reject);
  });
}

export interface GitHubProbe {
  readonly result: CheckResult;
  /** GitHub's clock from its `date` header and our clock halfway through the request, ms. */
  readonly clocks: { readonly github: number; readonly local: number } | undefined;
}

/** Any HTTP answer from the GitHub API counts: this is about the network path. */
export async function probeGitHub(
  config: Config,
  upstream: Pick<CopilotStack, "http" | "headers">,
  now: () => number,
): Promise<GitHubProbe> {
  const url = new URL(`${config.githubApiUrl}/`);
  const { authorization: _none, ...headers } = upstream.headers.forGitHub("");
  const started = now();
  try {
    const response = await request(url, {
      method: "GET",
      headers,
      dispatcher: upstream.http.dispatcherFor(url),
    });
    await response.body.dump();
    const local = (started + now()) / 2;
    const date = Date.parse(String(response.headers["date"] ?? ""));
    return {
      result: check("GitHub", "ok", `reachable at ${config.githubApiUrl}`),
      clocks: Number.isNaN(date) ? undefined : { github: date, local },
    };
  } catch (error) {
    return {
      result: check(
        "GitHub",
        "fail",
        `cannot reach ${url.host}: ${describeNetworkError(error)}`,
        "check the network connection, PROXY / NO_PROXY, and GITHUB_API_URL",
      ),
      clocks: undefined,
    };
  }
}

export function checkCache(config: Config): CheckResult {
  if (!config.cache)
    return check("cache", "skip", "CACHE=false: Copilot tokens are kept in memory");
  try {
    checkCachePath(config.cachePath);
    // Opened as the gateway opens it: permission checks pass as root, and say nothing of a file
    // that is locked or not a database.
    createSqliteTokenCache(config.cachePath).close();
    return check("cache", "ok", `${config.cachePath} is writable`);
  } catch (error) {
    if (error instanceof SqliteUnavailableError) {
      // Not the file's fault: the message names the fix (a newer Node, or a compiler).
      return check("cache", "fail", `${error.message}; the gateway runs with the memory cache`);
    }
    return check(
      "cache",
      "fail",
      `${error instanceof Error ? error.message : String(error)}; the gateway runs with the memory cache until this is fixed`,
      "set CACHE_PATH to a file in a writable directory, or CACHE=false",
    );
  }
}

// Copilot tokens live about 30 minutes and are refreshed 5 minutes before they expire, so a
// clock off by minutes makes them look valid when they are not (or the other way round).
const SKEW_WARN_MS = 60_000;
const SKEW_FAIL_MS = 300_000;

/**
 * Compares our clock with GitHub's `date` header. That header has whole seconds (rounded
 * down), so GitHub's time is taken as the middle of its second and up to 2 s count as agreeing.
 */
export function judgeClockSkew(
  clocks: { readonly github: number; readonly local: number } | undefined,
): CheckResult {
  if (clocks === undefined) return check("clock", "skip", "no date from GitHub to compare with");
  const skew = clocks.local - (clocks.github + 500);
  const seconds = Math.round(Math.abs(skew) / 1000);
  if (Math.abs(skew) <= 2000) return check("clock", "ok", "agrees with GitHub's");
  const detail = `${seconds} s ${skew > 0 ? "ahead of" : "behind"} GitHub's`;
  const fix = "turn on network time synchronisation (NTP) on this machine";
  if (Math.abs(skew) >= SKEW_FAIL_MS) return check("clock", "fail", detail, fix);
  if (Math.abs(skew) >= SKEW_WARN_MS) return check("clock", "warn", detail, fix);
  return check("clock", "ok", detail);
}
