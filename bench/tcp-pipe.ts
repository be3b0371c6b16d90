import { connect, createServer, type AddressInfo } from "node:net";

/**
 * The benchmark's floor hop (`npm run bench -- --hop tcp-pipe`): a TCP proxy that pipes each
 * client connection to Copilot's address byte for byte. It reads no HTTP at all, so the client
 * sends it what it would send Copilot directly (path, Copilot token, editor headers). No gateway
 * can do less per request than this: it shows what one more process between client and upstream
 * costs on this machine, whatever the gateway is written in. Never a product. Copilot's base URL
 * is its one argument; it says where it listens the way the gateway does.
 */

const target = new URL(process.argv[2] ?? "");
const port = Number(target.port);
const host = target.hostname;

const server = createServer({ noDelay: true }, (client) => {
  const upstream = connect({ host, port, noDelay: true });
  client.pipe(upstream).pipe(client);
  const close = (): void => {
    client.destroy();
    upstream.destroy();
  };
  client.once("error", close).once("close", close);
  upstream.once("error", close).once("close", close);
});
server.listen(Number(process.env["PORT"] ?? 0), process.env["HOST"] ?? "127.0.0.1", () => {
  const { port: listening } = server.address() as AddressInfo;
  process.stderr.write(`tcp pipe listening on http://127.0.0.1:${listening}\n`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
