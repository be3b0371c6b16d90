import { once } from "node:events";
import { createServer, request as httpRequest } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect, createServer as createNetServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import { request } from "undici";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createUpstreamHttp } from "./create-upstream-http.js";
import type { UpstreamHttp, UpstreamHttpOptions } from "./create-upstream-http.js";

// Self-signed for 127.0.0.1, valid 2000–2100: the https origin behind the CONNECT tunnel. The
// client must reject it, which proves the TLS handshake went through the tunnel to the origin.
const TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgfl0zMBmTcgUo22M8
MwK4/h1VW8vbf6322k5n9DZ4PGShRANCAAQRx7t8C+oetJQXRUGD+/aN+etV4jKk
lU1Vto1vQyFMSm+kcfHqAZttCDTdUov3/wLl8r2q8uAUtHer7LJ4Evo/
-----END PRIVATE KEY-----`;
const TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBZjCCAQygAwIBAgIBATAKBggqhkjOPQQDAjAVMRMwEQYDVQQDDApjb2dwdC10
ZXN0MCAXDTAwMDEwMTAwMDAwMFoYDzIxMDAwMTAxMDAwMDAwWjAVMRMwEQYDVQQD
DApjb2dwdC10ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEce7fAvqHrSU
F0VBg/v2jfnrVeIypJVNVbaNb0MhTEpvpHHx6gGbbQg03VKL9/8C5fK9qvLgFLR3
q+yyeBL6P6NLMEkwGgYDVR0RBBMwEYcEfwAAAYIJbG9jYWxob3N0MAwGA1UdEwEB
/wQCMAAwHQYDVR0OBBYEFJxSWaXRhFeh+S+h4cVtJw6GuIr1MAoGCCqGSM49BAMC
A0gAMEUCICnTz+IQEJSuWG52w2MczQ9u6MOhIazVgN5IQfmpMMaPAiEAz2cbY7cy
atQbXXhEFKGnROpLuhWP+EzQ5e/0Hbf5DQQ=
-----END CERTIFICATE-----`;

interface ProxiedRequest {
  readonly method: string;
  readonly target: string;
  readonly proxyAuthorization: string | undefined;
}

interface SocksConnection {
  readonly version: number;
  readonly target: string;
  readonly userId: string | undefined;
  readonly password: string | undefined;
}

/** Closes a server and every socket it still holds (keep-alive, tunnels). */
function trackSockets(server: { on(event: "connection", listener: (s: Socket) => void): unknown }) {
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return () => sockets.forEach((socket) => socket.destroy());
}

async function listen(server: Server | ReturnType<typeof createNetServer>): Promise<number> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

function startOrigin(name: string) {
  const server = createServer((req, res) => {
    if (req.url === "/hang") return; // never answers: for the headers timeout
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ origin: name, method: req.method, path: req.url }));
  });
  return { server, destroySockets: trackSockets(server) };
}

/** An HTTP proxy: absolute-form requests and CONNECT tunnels, recording each. */
function startHttpProxy() {
  const proxied: ProxiedRequest[] = [];
  const record = (req: IncomingMessage, target: string) =>
    proxied.push({
      method: req.method ?? "",
      target,
      proxyAuthorization: req.headers["proxy-authorization"],
    });
  const server = createServer((req, res) => {
    record(req, req.url ?? "");
    const target = new URL(req.url ?? "");
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    delete headers["proxy-connection"];
    const forward = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    // The origin may hang up on purpose (timeout tests): answer 502 rather than crash.
    forward.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    record(req, req.url ?? "");
    const [host = "", port = ""] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  return { server, proxied, destroySockets: trackSockets(server) };
}

/** Reads exact byte counts from a socket during a handshake. */
function createSocketReader(socket: Socket) {
  let buffered = Buffer.alloc(0);
  let wake: (() => void) | undefined;
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    wake?.();
  };
  socket.on("data", onData);
  return {
    async read(length: number): Promise<Buffer> {
      while (buffered.length < length) await new Promise<void>((resolve) => (wake = resolve));
      const bytes = buffered.subarray(0, length);
      buffered = buffered.subarray(length);
      return bytes;
    },
    async readUntilZero(): Promise<string> {
      const bytes: number[] = [];
      for (let byte = (await this.read(1))[0]; byte !== 0; byte = (await this.read(1))[0]) {
        bytes.push(byte!);
      }
      return Buffer.from(bytes).toString();
    },
    /** Stops reading; returns what arrived after the handshake. */
    release(): Buffer {
      socket.off("data", onData);
      return buffered;
    },
  };
}

/** A SOCKS4(a)/SOCKS5 server (CONNECT only; SOCKS5 with no auth or user/password). */
function startSocksProxy(requireAuth: boolean) {
  const connections: SocksConnection[] = [];
  const server = createNetServer((client) => {
    client.on("error", () => client.destroy());
    void handshake(client).catch(() => client.destroy());
  });

  async function handshake(client: Socket): Promise<void> {
    const reader = createSocketReader(client);
    const [version] = await reader.read(1);
    let host: string;
    let port: number;
    let userId: string | undefined;
    let password: string | undefined;
    if (version === 4) {
      const request = await reader.read(7);
      port = request.readUInt16BE(1);
      host = [...request.subarray(3, 7)].join(".");
      userId = await reader.readUntilZero();
      if (host.startsWith("0.0.0.")) host = await reader.readUntilZero();
      client.write(Buffer.from([0, 0x5a, 0, 0, 0, 0, 0, 0]));
    } else {
      const [methodCount = 0] = await reader.read(1);
      const methods = [...(await reader.read(methodCount))];
      const method = requireAuth ? 2 : 0;
      if (!methods.includes(method)) {
        client.end(Buffer.from([5, 0xff]));
        return;
      }
      client.write(Buffer.from([5, method]));
      if (method === 2) {
        const [, userLength = 0] = await reader.read(2);
        userId = (await reader.read(userLength)).toString();
        const [passwordLength = 0] = await reader.read(1);
        password = (await reader.read(passwordLength)).toString();
        client.write(Buffer.from([1, 0]));
      }
      const [, , , addressType] = await reader.read(4);
      if (addressType === 1) host = [...(await reader.read(4))].join(".");
      else if (addressType === 3) host = (await reader.read((await reader.read(1))[0]!)).toString();
      else throw new Error("IPv6 targets are not used in these tests");
      port = (await reader.read(2)).readUInt16BE(0);
      client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
    }
    connections.push({ version: version!, target: `${host}:${port}`, userId, password });
    const upstream = connect(port, host);
    upstream.on("error", () => client.destroy());
    upstream.write(reader.release());
    upstream.pipe(client);
    client.pipe(upstream);
  }

  return { server, connections, destroySockets: trackSockets(server) };
}

const baseOptions: UpstreamHttpOptions = {
  proxy: undefined,
  noProxy: [],
  connectTimeoutMs: 5_000,
  headersTimeoutMs: 5_000,
  idleTimeoutMs: 5_000,
};

const origin = startOrigin("origin");
const otherOrigin = startOrigin("other");
const tlsOrigin = createHttpsServer({ key: TLS_KEY, cert: TLS_CERT }, (_req, res) =>
  res.end("secret"),
);
const destroyTlsSockets = trackSockets(tlsOrigin);
const httpProxy = startHttpProxy();
const socksProxy = startSocksProxy(false);
const socksAuthProxy = startSocksProxy(true);
const ports = { origin: 0, other: 0, tls: 0, http: 0, socks: 0, socksAuth: 0 };
let tlsConnections = 0;
tlsOrigin.on("connection", () => (tlsConnections += 1));

beforeAll(async () => {
  ports.origin = await listen(origin.server);
  ports.other = await listen(otherOrigin.server);
  ports.tls = await listen(tlsOrigin);
  ports.http = await listen(httpProxy.server);
  ports.socks = await listen(socksProxy.server);
  ports.socksAuth = await listen(socksAuthProxy.server);
});

afterAll(async () => {
  const servers = [origin, otherOrigin, httpProxy, socksProxy, socksAuthProxy];
  servers.forEach((entry) => entry.destroySockets());
  destroyTlsSockets();
  await Promise.all(
    [...servers.map((entry) => entry.server), tlsOrigin].map(
      (server) => new Promise((resolve) => server.close(resolve)),
    ),
  );
});

let upstream: UpstreamHttp | undefined;

function create(options: Partial<UpstreamHttpOptions>): UpstreamHttp {
  upstream = createUpstreamHttp({ ...baseOptions, ...options });
  return upstream;
}

async function get(http: UpstreamHttp, url: string): Promise<unknown> {
  const { statusCode, body } = await request(url, { dispatcher: http.dispatcherFor(url) });
  expect(statusCode).toEqual(200);
  return body.json();
}

beforeEach(() => {
  httpProxy.proxied.length = 0;
  socksProxy.connections.length = 0;
  socksAuthProxy.connections.length = 0;
  tlsConnections = 0;
});

afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

describe("createUpstreamHttp", () => {
  it("connects directly without a proxy", async () => {
    const http = create({});
    const url = `http://127.0.0.1:${ports.origin}/direct?x=1`;
    expect(await get(http, url)).toEqual({ origin: "origin", method: "GET", path: "/direct?x=1" });
    expect(http.dispatcherFor(url)).toBe(http.dispatcherFor(new URL(url)));
  });

  it("sends plain-http requests through an HTTP proxy in absolute form, with credentials", async () => {
    const http = create({ proxy: `http://us%40er:p%3Ass@127.0.0.1:${ports.http}` });
    const url = `http://127.0.0.1:${ports.origin}/via-proxy`;
    expect(await get(http, url)).toEqual({ origin: "origin", method: "GET", path: "/via-proxy" });
    expect(httpProxy.proxied).toEqual([
      {
        method: "GET",
        target: url,
        proxyAuthorization: `Basic ${Buffer.from("us@er:p:ss").toString("base64")}`,
      },
    ]);
  });

  it("tunnels https requests through an HTTP proxy with CONNECT", async () => {
    const http = create({ proxy: `http://user:pass@127.0.0.1:${ports.http}` });
    const url = `https://127.0.0.1:${ports.tls}/secret`;
    await expect(request(url, { dispatcher: http.dispatcherFor(url) })).rejects.toMatchObject({
      code: "DEPTH_ZERO_SELF_SIGNED_CERT",
    });
    expect(httpProxy.proxied).toEqual([
      {
        method: "CONNECT",
        target: `127.0.0.1:${ports.tls}`,
        proxyAuthorization: `Basic ${Buffer.from("user:pass").toString("base64")}`,
      },
    ]);
    expect(tlsConnections).toEqual(1);
  });

  it("bypasses the proxy for NO_PROXY matches only", async () => {
    const http = create({
      proxy: `http://127.0.0.1:${ports.http}`,
      noProxy: ["example.com", `127.0.0.1:${ports.origin}`],
    });
    const direct = `http://127.0.0.1:${ports.origin}/direct`;
    const proxied = `http://127.0.0.1:${ports.other}/proxied`;
    expect(await get(http, direct)).toEqual({ origin: "origin", method: "GET", path: "/direct" });
    expect(await get(http, proxied)).toEqual({ origin: "other", method: "GET", path: "/proxied" });
    expect(httpProxy.proxied).toEqual([
      { method: "GET", target: proxied, proxyAuthorization: undefined },
    ]);
    expect(http.dispatcherFor(direct)).not.toBe(http.dispatcherFor(proxied));
  });

  it("goes through a SOCKS5 proxy without authentication", async () => {
    const http = create({ proxy: `socks5://127.0.0.1:${ports.socks}` });
    const url = `http://127.0.0.1:${ports.origin}/socks`;
    expect(await get(http, url)).toEqual({ origin: "origin", method: "GET", path: "/socks" });
    expect(socksProxy.connections).toEqual([
      { version: 5, target: `127.0.0.1:${ports.origin}`, userId: undefined, password: undefined },
    ]);
  });

  it("sends SOCKS5 credentials and lets the proxy resolve names (socks5h)", async () => {
    const http = create({ proxy: `socks5h://al%20ice:s%3Acret@127.0.0.1:${ports.socksAuth}` });
    const url = `http://localhost:${ports.origin}/socks-auth`;
    expect(await get(http, url)).toEqual({ origin: "origin", method: "GET", path: "/socks-auth" });
    expect(socksAuthProxy.connections).toEqual([
      { version: 5, target: `localhost:${ports.origin}`, userId: "al ice", password: "s:cret" },
    ]);
  });

  it("goes through a SOCKS4 proxy with a user id", async () => {
    const http = create({ proxy: `socks4://bob@127.0.0.1:${ports.socks}` });
    const url = `http://127.0.0.1:${ports.origin}/socks4`;
    expect(await get(http, url)).toEqual({ origin: "origin", method: "GET", path: "/socks4" });
    expect(socksProxy.connections).toEqual([
      { version: 4, target: `127.0.0.1:${ports.origin}`, userId: "bob", password: undefined },
    ]);
  });

  it("reports a proxy's 407 as an error, never as the upstream's answer", async () => {
    const refusing = createServer((_req, res) => {
      res.writeHead(407, { "proxy-authenticate": "Basic" });
      res.end();
    });
    refusing.on("connect", (_req: IncomingMessage, socket: Socket) => {
      socket.end("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
    });
    const destroyRefusingSockets = trackSockets(refusing);
    try {
      const http = create({ proxy: `http://127.0.0.1:${await listen(refusing)}` });
      const plain = `http://127.0.0.1:${ports.origin}/`;
      const secure = `https://127.0.0.1:${ports.tls}/`;
      await expect(request(plain, { dispatcher: http.dispatcherFor(plain) })).rejects.toMatchObject(
        {
          code: "UND_ERR_INVALID_ARG",
          message: "Proxy Authentication Required (407)",
        },
      );
      await expect(
        request(secure, { dispatcher: http.dispatcherFor(secure) }),
      ).rejects.toMatchObject({
        code: "UND_ERR_ABORTED",
        message: "Proxy response (407) !== 200 when HTTP Tunneling",
      });
    } finally {
      await upstream?.close();
      destroyRefusingSockets();
      await new Promise((resolve) => refusing.close(resolve));
    }
  });

  it.each([
    ["direct", () => undefined],
    ["an HTTP proxy", () => `http://127.0.0.1:${ports.http}`],
    ["a SOCKS5 proxy", () => `socks5://127.0.0.1:${ports.socks}`],
  ])("applies the headers timeout going %s", async (_name, proxy) => {
    const http = create({ proxy: proxy(), headersTimeoutMs: 200 });
    const url = `http://127.0.0.1:${ports.origin}/hang`;
    await expect(request(url, { dispatcher: http.dispatcherFor(url) })).rejects.toMatchObject({
      code: "UND_ERR_HEADERS_TIMEOUT",
    });
  });

  it("rejects an unsupported proxy scheme without echoing credentials", () => {
    expect(() =>
      createUpstreamHttp({ ...baseOptions, proxy: "ftp://user:secret@proxy:2121" }),
    ).toThrow(
      'proxy: unsupported scheme "ftp:" in ftp://proxy:2121/ (use http, https, socks4, socks5 or socks5h)',
    );
  });

  it("closes once, however often it is asked", async () => {
    const http = createUpstreamHttp({ ...baseOptions, proxy: `http://127.0.0.1:${ports.http}` });
    await Promise.all([http.close(), http.close()]);
    await http.close();
  });
});
