import { socksDispatcher } from "fetch-socks";
import type { SocksProxies } from "fetch-socks";
import { Agent, Pool, ProxyAgent } from "undici";
import type { Dispatcher } from "undici";
import { matchesNoProxy } from "./matches-no-proxy.js";

export { matchesNoProxy } from "./matches-no-proxy.js";

export interface UpstreamHttpOptions {
  /** http://, https://, socks4://, socks4a://, socks5://, socks5h://, socks://; undefined: direct. */
  readonly proxy: string | undefined;
  /** NO_PROXY entries: "*", "host", ".suffix", "suffix", "host:port", IPs, CIDR blocks. */
  readonly noProxy: readonly string[];
  readonly connectTimeoutMs: number;
  /** Time to response headers. */
  readonly headersTimeoutMs: number;
  /** Longest pause between body chunks (undici `bodyTimeout`). */
  readonly idleTimeoutMs: number;
  /**
   * Connections to one origin. Set above the gateway's own concurrency limit: undici queues
   * what finds every connection busy, with no deadline, and a queue there would make a plain
   * request wait behind long streams. Default 1024 (the CLI's own commands).
   */
  readonly connectionsPerOrigin?: number;
}

export interface UpstreamHttp {
  /** The dispatcher to use for a request to this URL/origin (direct or through the proxy). */
  dispatcherFor(url: URL | string): Dispatcher;
  close(): Promise<void>;
}

const DEFAULT_CONNECTIONS_PER_ORIGIN = 1024;
// Reusing a TLS connection saves a handshake per request; 30 s stays under the idle timeouts of
// common load balancers (60 s and more), so a POST rarely meets a socket the server just closed.
const KEEP_ALIVE_TIMEOUT_MS = 30_000;
const DEFAULT_SOCKS_PORT = 1080;

// One proxy, not a chain; named through fetch-socks so `socks` need not be a direct dependency.
type SocksProxy = Exclude<SocksProxies, readonly unknown[]>;

/**
 * The HTTP clients for everything CoGPT sends upstream (GitHub, Copilot): one shared direct
 * agent and, with a proxy configured, one proxy dispatcher, chosen per origin by NO_PROXY.
 */
export function createUpstreamHttp(options: UpstreamHttpOptions): UpstreamHttp {
  const direct = new Agent(buildAgentOptions(options));
  const proxyUrl = options.proxy?.trim() ?? "";
  const proxied = proxyUrl === "" ? undefined : createProxyDispatcher(proxyUrl, options);
  const decisions = new Map<string, Dispatcher>();
  let closing: Promise<void> | undefined;

  return {
    dispatcherFor(url) {
      if (proxied === undefined) return direct;
      const target = typeof url === "string" ? new URL(url) : url;
      let dispatcher = decisions.get(target.origin);
      if (dispatcher === undefined) {
        dispatcher = matchesNoProxy(target, options.noProxy) ? direct : proxied;
        decisions.set(target.origin, dispatcher);
      }
      return dispatcher;
    },
    close() {
      closing ??= Promise.all([direct.close(), proxied?.close()]).then(() => undefined);
      return closing;
    },
  };
}

function buildAgentOptions(options: UpstreamHttpOptions): Agent.Options {
  return {
    connect: { timeout: options.connectTimeoutMs },
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.idleTimeoutMs,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    // Each streamed completion holds a connection for its whole length (no pipelining).
    connections: options.connectionsPerOrigin ?? DEFAULT_CONNECTIONS_PER_ORIGIN,
    pipelining: 1,
  };
}

function createProxyDispatcher(proxy: string, options: UpstreamHttpOptions): Dispatcher {
  const url = parseProxyUrl(proxy);
  switch (url.protocol) {
    case "http:":
    case "https:":
      return createHttpProxyDispatcher(url, options);
    case "socks:":
    case "socks4:":
    case "socks4a:":
    case "socks5:":
    case "socks5h:":
      return createSocksProxyDispatcher(url, options);
    default:
      throw new Error(
        `proxy: unsupported scheme "${url.protocol}" in ${redactProxyUrl(url)} ` +
          "(use http, https, socks4, socks5 or socks5h)",
      );
  }
}

function createHttpProxyDispatcher(url: URL, options: UpstreamHttpOptions): Dispatcher {
  const agentOptions = buildAgentOptions(options);
  const credentials = readCredentials(url);
  const connect = { timeout: options.connectTimeoutMs };
  return new ProxyAgent({
    ...agentOptions,
    uri: redactProxyUrl(url),
    ...(credentials === undefined
      ? {}
      : {
          token: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`,
        }),
    // Plain-http targets go as absolute-form requests, as curl sends them: many proxies allow
    // CONNECT only to port 443. https targets are tunnelled with CONNECT.
    proxyTunnel: false,
    proxyTls: connect,
    requestTls: connect,
    // ProxyAgent builds some pools itself with only `connect`; give every pool our timeouts.
    factory: (origin, poolOptions) => new Pool(origin, { ...agentOptions, ...poolOptions }),
    // The connection that carries CONNECT: its answer is part of connecting.
    clientFactory: (origin, poolOptions) =>
      new Pool(origin, { ...poolOptions, headersTimeout: options.connectTimeoutMs }),
  });
}

function createSocksProxyDispatcher(url: URL, options: UpstreamHttpOptions): Dispatcher {
  const credentials = readCredentials(url);
  const isSocks4 = url.protocol === "socks4:" || url.protocol === "socks4a:";
  // The socks client sends host names to the proxy for every scheme, so socks5 resolves like
  // socks5h (and socks4 like socks4a): no local DNS lookup leaks the target.
  const proxy: SocksProxy = {
    type: isSocks4 ? 4 : 5,
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port === "" ? DEFAULT_SOCKS_PORT : Number(url.port),
    ...(credentials === undefined
      ? {}
      : isSocks4
        ? { userId: credentials.username }
        : { userId: credentials.username, password: credentials.password }),
  };
  const { connect: _connect, ...agentOptions } = buildAgentOptions(options);
  return socksDispatcher(proxy, {
    ...agentOptions,
    connect: { timeout: options.connectTimeoutMs },
  });
}

function parseProxyUrl(proxy: string): URL {
  // curl treats a proxy without a scheme as http.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
  try {
    return new URL(withScheme);
  } catch {
    throw new Error("proxy: not a valid URL (check the proxy setting)");
  }
}

function readCredentials(url: URL): { username: string; password: string } | undefined {
  if (url.username === "" && url.password === "") return undefined;
  return { username: decodeUrlPart(url.username), password: decodeUrlPart(url.password) };
}

/** Percent-decodes, keeping text with a stray `%` (e.g. a password `p%zz`) as written. */
function decodeUrlPart(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The proxy URL without its credentials, fit for a message or a log. */
function redactProxyUrl(url: URL): string {
  const redacted = new URL(url.href);
  redacted.username = "";
  redacted.password = "";
  return redacted.href;
}
