import { BlockList, isIP } from "node:net";

/** One NO_PROXY entry, parsed. */
type NoProxyRule =
  | { readonly kind: "all" }
  | { readonly kind: "domain"; readonly domain: string; readonly port: number | undefined }
  | { readonly kind: "address"; readonly addresses: BlockList; readonly port: number | undefined };

/**
 * Whether a request to `url` bypasses the proxy, by curl's NO_PROXY rules: `*` matches every
 * host; `example.com`, `.example.com` (and `*.example.com`) match the host and its subdomains;
 * IP literals match exactly and CIDR blocks (`10.0.0.0/8`) by range; an entry with a port
 * (`host:8080`, `[::1]:8080`) matches only that port. Case-insensitive.
 */
export function matchesNoProxy(url: URL, noProxy: readonly string[]): boolean {
  const host = normalizeHostname(url.hostname);
  const port = effectivePort(url);
  const hostFamily = isIP(host);
  return noProxy.some((entry) => {
    const rule = parseNoProxyEntry(entry);
    if (rule === undefined) return false;
    switch (rule.kind) {
      case "all":
        return true;
      case "domain":
        // A domain entry never matches an IP host: "3.4" must not match "1.2.3.4".
        return (
          hostFamily === 0 &&
          portMatches(rule.port, port) &&
          (host === rule.domain || host.endsWith(`.${rule.domain}`))
        );
      case "address":
        return (
          hostFamily !== 0 &&
          portMatches(rule.port, port) &&
          rule.addresses.check(host, hostFamily === 6 ? "ipv6" : "ipv4")
        );
      default: {
        const unreachable: never = rule;
        return unreachable;
      }
    }
  });
}

function parseNoProxyEntry(rawEntry: string): NoProxyRule | undefined {
  const entry = rawEntry.trim().toLowerCase();
  if (entry === "") return undefined;
  if (entry === "*") return { kind: "all" };
  const split = splitHostAndPort(entry);
  if (split === undefined) return undefined;
  const { host, port } = split;

  const [address, prefix, ...rest] = host.split("/");
  const family = address === undefined ? 0 : isIP(address);
  if (family !== 0 && address !== undefined && rest.length === 0) {
    const type = family === 6 ? "ipv6" : "ipv4";
    const addresses = new BlockList();
    if (prefix === undefined) {
      addresses.addAddress(address, type);
    } else {
      const bits = Number(prefix);
      if (!/^\d+$/.test(prefix) || bits > (family === 6 ? 128 : 32)) return undefined;
      addresses.addSubnet(address, bits, type);
    }
    return { kind: "address", addresses, port };
  }

  const domain = normalizeHostname(host.replace(/^\*?\./, ""));
  if (domain === "" || domain.includes("/")) return undefined;
  return { kind: "domain", domain, port };
}

/** Splits `host:port`, `[v6]:port`, `[v6]`, a bare IPv6 literal, or a plain host. */
function splitHostAndPort(entry: string): { host: string; port: number | undefined } | undefined {
  if (entry.startsWith("[")) {
    const close = entry.indexOf("]");
    if (close === -1) return undefined;
    const host = entry.slice(1, close);
    const after = entry.slice(close + 1);
    if (after === "") return { host, port: undefined };
    if (!after.startsWith(":")) return undefined;
    const port = parsePort(after.slice(1));
    return port === undefined ? undefined : { host, port };
  }
  const colons = entry.split(":").length - 1;
  // Two or more colons without brackets: an IPv6 literal, which cannot carry a port.
  if (colons !== 1) return { host: entry, port: undefined };
  const [host = "", portText = ""] = entry.split(":");
  const port = parsePort(portText);
  return port === undefined ? undefined : { host, port };
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

function portMatches(rulePort: number | undefined, port: number): boolean {
  return rulePort === undefined || rulePort === port;
}

/** Lowercase, without IPv6 brackets or a trailing root dot (`example.com.`). */
function normalizeHostname(hostname: string): string {
  const unbracketed =
    hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return unbracketed.toLowerCase().replace(/\.$/, "");
}

function effectivePort(url: URL): number {
  if (url.port !== "") return Number(url.port);
  return url.protocol === "https:" || url.protocol === "wss:" ? 443 : 80;
}
