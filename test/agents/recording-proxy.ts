import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A loopback HTTP proxy that forwards nothing: it only writes down who tried to go where. */
export interface RecordingProxy {
  /** http://127.0.0.1:PORT, for HTTP_PROXY / HTTPS_PROXY / ALL_PROXY. */
  readonly url: string;
  /** Every attempt, as "CONNECT host:port" or "GET http://host/path". */
  readonly attempts: readonly string[];
  /** Forget the attempts so far (between test cases). */
  reset(): void;
  close(): Promise<void>;
}

/**
 * The agents get this as their proxy with NO_PROXY for loopback, so any request to a host other
 * than the gateway lands here (a CONNECT for https, an absolute-form request for http) and is
 * refused. A test asserts `attempts` is empty: nothing left the machine.
 */
export async function startRecordingProxy(): Promise<RecordingProxy> {
  const attempts: string[] = [];
  const server: Server = createServer((req, res) => {
    attempts.push(`${req.method ?? "?"} ${req.url ?? ""}`);
    res.writeHead(403, { "content-type": "text/plain" }).end("blocked by the test proxy\n");
  });
  // A client that gives up resets its socket; that is not the test's failure.
  server.on("clientError", (_error, socket) => socket.destroy());
  server.on("connect", (req, socket) => {
    socket.on("error", () => socket.destroy());
    attempts.push(`CONNECT ${req.url ?? ""}`);
    socket.end("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolvePromise());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    attempts,
    reset: () => {
      attempts.length = 0;
    },
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}
