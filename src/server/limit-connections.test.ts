import { createServer, request, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { limitConnections, type ConnectionLimit } from "./limit-connections.js";

let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A server whose `/slow` answers only when `release` is called, and `/` at once. */
async function startServer(max: number): Promise<{
  port: number;
  limit: ConnectionLimit;
  release: () => void;
}> {
  const held: (() => void)[] = [];
  server = createServer((incoming, outgoing) => {
    if (incoming.url === "/slow") held.push(() => outgoing.end("slow"));
    else outgoing.end("ok");
  });
  const limit = limitConnections(server, max);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { port, limit, release: () => held.splice(0).forEach((end) => end()) };
}

function open(port: number, firstBytes = ""): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      if (firstBytes !== "") socket.write(firstBytes);
      resolve(socket);
    });
    socket.on("error", () => undefined);
    sockets.push(socket);
  });
}

function get(port: number, path = "/"): Promise<string> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ port, host: "127.0.0.1", path, agent: false }, (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => resolve(text));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe("limitConnections", () => {
  it("closes the longest-idle connections to let new clients in", async () => {
    const { port, limit } = await startServer(8);
    // Idle sockets, and sockets stuck in an incomplete request head (slowloris).
    for (let i = 0; i < 20; i++) await open(port, i % 2 === 0 ? "" : "GET / HTTP/1.1\r\nHost:");
    await settle();
    expect(limit.open).toBe(8);
    expect(await get(port)).toBe("ok");
    await settle();
    expect(limit.open).toBeLessThanOrEqual(8);
    const closed = sockets.filter((socket) => socket.destroyed || socket.readableEnded);
    expect(closed.length).toBeGreaterThanOrEqual(12);
  });

  it("keeps connections with a request in flight, and turns newcomers away only when all are busy", async () => {
    const { port, limit, release } = await startServer(4);
    const answers = Array.from({ length: 4 }, () => get(port, "/slow"));
    await settle();
    expect(limit.open).toBe(4);
    await expect(get(port)).rejects.toThrow(/ECONNRESET|socket hang up/);
    release();
    expect(await Promise.all(answers)).toEqual(["slow", "slow", "slow", "slow"]);
    await settle();
    expect(await get(port)).toBe("ok");
  });

  it("never closes an upgraded connection (a WebSocket) as idle", async () => {
    const { port, limit } = await startServer(2);
    // The server takes the upgrade and keeps the socket, as a WebSocket server does.
    const upgraded: Socket[] = [];
    server?.on("upgrade", (_incoming, socket: Socket) => upgraded.push(socket));
    const client = await open(
      port,
      "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
    );
    await settle();
    expect(upgraded).toHaveLength(1);
    await open(port);
    await open(port);
    await settle();
    expect(limit.open).toBe(2);
    expect(client.destroyed || client.readableEnded).toBe(false);
    for (const socket of upgraded) socket.destroy();
  });
});
